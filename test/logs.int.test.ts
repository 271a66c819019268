import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../analytics/platform/base/log.ts";
import { runLift } from "./support/cli.ts";
import { emptyDb, type TestDb } from "./support/db.ts";
import { DEMO, DEMO_NOW } from "./support/demo.ts";

/*
 * Nothing personal in logs: the demo seeded with everything its parts derive, data taken in
 * (customers, identified events carrying an email, a file with rows refused), every example of
 * every command of the help, alerts set and every job run once, all with logging at debug; then
 * every line is searched for the workspace's emails, names, phone numbers, tokens and keys.
 */

let t: TestDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

describe("logs", () => {
  it("hold none of the demo's emails, names, tokens or keys, at debug, through demo, ingest, every command and job", async () => {
    const lines: string[] = [];
    const sink = { write: (line: string) => void lines.push(line) };
    const slackToken = "xoxb-1234567890-abcdefghijklmnop";
    t = emptyDb({
      logger: createLogger("debug", sink),
      now: () => DEMO_NOW,
      env: { SLACK_BOT_TOKEN: slackToken },
    });
    await t.platform.seedDemo({ seed: DEMO.seed, end: DEMO.end, scale: "small", timeZone: DEMO.timeZone });

    // Taken in: a customer with a phone and a full name, events naming them, a file with rows refused.
    const ingest = t.platform.ingest;
    await ingest.write("customers", [
      {
        id: "log-c1",
        email: "marguerite.delacroix@example.org",
        name: "Marguerite Delacroix",
        phone: "+33 6 12 34 56 78",
      },
      { id: "log-c2", email: "not-an-email", name: "Bartholomew Quince" },
    ]);
    await ingest.write("events", [
      {
        type: "identify",
        userId: "log-c1",
        anonymousId: "log-anon-1",
        traits: { email: "marguerite.delacroix@example.org", name: "Marguerite Delacroix" },
        timestamp: "2026-11-22T10:00:00Z",
        messageId: "log-m1",
      },
      {
        type: "track",
        userId: "log-c1",
        event: "",
        properties: { email: "marguerite.delacroix@example.org" },
      },
    ]);
    const file = join(dirname(t.path), "customers.csv");
    writeFileSync(
      file,
      "id,email,name,first_seen\nlog-c3,hortensia.vale@example.net,Hortensia Vale,2026-11-01\nlog-c4,bad@example.net,Bad Date,31/31/2026\n",
    );
    expect((await runLift(t, ["import", "customers", file])).code).toBe(3);
    const key = await runLift(t, ["keys", "create", "logging test"]);
    const writeKey = /lift_wk_[A-Za-z0-9_-]+/.exec(key.out)?.[0];
    expect(writeKey).toBeDefined();

    // Every example of every command, as an admin in a channel; alerts among them.
    const asker = { userId: "U0ADMIN", channelId: "C0LOGS" };
    const help = await t.platform.answer("help", asker);
    const commands = help.table!.rows.map((row) => String(row[2] ?? row[0]).split(" ")[0]!);
    let ran = 0;
    for (const name of commands) {
      const info = t.platform.commands.find(name);
      for (const example of info?.examples ?? []) {
        ran++;
        await t.platform.answer(example, asker).catch(() => undefined);
      }
    }
    expect(ran).toBeGreaterThan(60);
    for (const alert of [
      "alert revenue drops 20% daily",
      "alert when sentiment spikes",
      "alert orders below 1 daily",
    ])
      await t.platform.answer(alert, asker).catch(() => undefined);
    await t.platform.answer("customer marguerite.delacroix@example.org", asker);
    await t.platform.answer("privacy export marguerite.delacroix@example.org", asker);
    // Every job once (digests, alerts, automations, retention, …), on the console's notifier.
    for (const job of t.core.jobs()) await t.core.runJob(job.name, DEMO_NOW, t.core.consoleNotifier);

    // What must never be in a line: every customer's email and name, the phones, tokens and keys.
    const customers = t.db.sqlite
      .prepare("SELECT lift_email(email) AS email, lift_traits(traits, email) AS traits FROM customers")
      .all() as { email: string | null; traits: string }[];
    const secrets = new Set<string>(["+33 6 12 34 56 78", slackToken, writeKey!]);
    for (const c of customers) {
      if (c.email?.includes("@")) secrets.add(c.email);
      const traits = JSON.parse(c.traits) as Record<string, unknown>;
      // Full names, and first names long enough not to be an ordinary word in a message.
      if (typeof traits["name"] === "string" && traits["name"].length >= 5) secrets.add(traits["name"]);
    }
    for (const file of ["lift-data.key", "lift-hash.key"])
      for (const k of readFileSync(join(dirname(t.path), file), "utf8")
        .trim()
        .split("\n"))
        secrets.add(k);
    expect(secrets.size).toBeGreaterThan(100);
    expect(lines.length).toBeGreaterThan(30);
    const log = lines.join("");
    expect(log).toContain('"level":20'); // debug lines were written
    const found = [...secrets].filter((secret) =>
      new RegExp(`(?<![A-Za-z0-9])${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9])`).test(log),
    );
    expect(found).toEqual([]);
  }, 180_000);
});
