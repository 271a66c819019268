import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITIES } from "../analytics/capabilities/index.ts";
import { Core } from "../analytics/platform/core.ts";
import { consoleRoutes } from "../bot/console/routes.ts";
import { openDatabase } from "../db/client.ts";
import { ConfigError, parseConfig } from "../env.ts";
import { notes } from "./fixtures/capabilities/notes/index.ts";
import { capabilitySettings, depsFor } from "./support/db.ts";
import { listen } from "./support/server.ts";

/**
 * README's "Adding a capability", done: the notes capability (test/fixtures/capabilities/notes/)
 * is written against the contract only, and added by its folder and one line in the list. Its
 * table comes from its drizzle schema through `drizzle-kit generate`, as a real one's would.
 */
const capabilities = [...CAPABILITIES, notes];

const root = new URL("..", import.meta.url).pathname;
let dir: string;
let migrations: string;
const NOW = Date.parse("2026-11-23T12:00:00Z");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lift-capability-"));
  migrations = join(dir, "migrations");
  cpSync(join(root, "db", "migrations"), migrations, { recursive: true });
  const config = join(dir, "drizzle.config.ts");
  writeFileSync(
    config,
    `export default ${JSON.stringify({
      dialect: "sqlite",
      schema: [
        join(root, "db/platform/schema/*.ts"),
        join(root, "db/*/schema.ts"),
        join(root, "test/fixtures/capabilities/notes/schema.ts"),
      ],
      // drizzle-kit reads `out` relative to the working directory.
      out: relative(root, migrations),
    })};\n`,
  );
  await promisify(execFile)(join(root, "node_modules/.bin/drizzle-kit"), ["generate", "--config", config], {
    cwd: root,
  });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lift(env: Record<string, string> = {}) {
  const db = openDatabase(join(dir, `lift-${Math.random().toString(36).slice(2)}.db`), {
    migrationsFolder: migrations,
  });
  let now = NOW;
  const core = new Core({
    ...depsFor(db, { capabilities, timeZone: "UTC", now: () => now, settings: {} }),
    settings: {
      timeZone: "UTC",
      currency: "USD",
      fxRates: {},
      capabilities: capabilitySettings(capabilities, env),
    },
  });
  return {
    db,
    core,
    tick: (ms: number) => (now += ms),
    run: (text: string) => core.runner().run(text, { userId: "U1" }),
  };
}

describe("a capability added by its folder and one line", () => {
  it("gets its table from its own migration", () => {
    const added = readdirSync(migrations).filter((f) => f.endsWith(".sql"));
    const last = readFileSync(join(migrations, added.sort().at(-1)!), "utf8");
    expect(last).toContain("CREATE TABLE `notes`");
    // Nothing of the product's schema changed: the new migration is the notes table alone.
    expect(last).not.toMatch(/ALTER TABLE|DROP/);
  });

  it("has its setting checked at start with the others, one line per wrong value", () => {
    expect(parseConfig({ LIFT_NOTES_SHOWN: "3" }, capabilities).capabilities["notes"]).toEqual({
      LIFT_NOTES_SHOWN: 3,
    });
    let error: unknown;
    try {
      parseConfig({ LIFT_NOTES_SHOWN: "lots" }, capabilities);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'LIFT_NOTES_SHOWN Invalid input: expected number, received NaN (got "lots")',
    ]);
  });

  it("answers its command, is asked in plain words, and reads its setting", async () => {
    const { run, db } = lift({ LIFT_NOTES_SHOWN: "2" });
    await run("notes add first");
    await run("notes add second");
    const listed = await run("notes add third");
    expect(listed.summary).toBe("3 notes");
    expect(listed.details).toEqual(["U1: third", "U1: second"]);
    const asked = await run("what notes do we have?");
    expect(asked.title).toBe("Notes");
    db.close();
  });

  it("sees events in the batch's transaction through its observer, and rejects its bad ones with the reason", async () => {
    const { core, run, db } = lift();
    const result = await core.ingestEvents([
      {
        type: "track",
        event: "Note Taken",
        userId: "u1",
        messageId: "n1",
        timestamp: "2026-11-23T10:00:00Z",
        properties: { text: "call back" },
      },
      {
        type: "track",
        event: "Note Taken",
        userId: "u2",
        messageId: "n2",
        timestamp: "2026-11-23T10:05:00Z",
        properties: {},
      },
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { index: 1, reason: "properties.text is needed: a Note Taken event says what the note was" },
    ]);
    expect((await run("notes")).details).toEqual(["u1: call back"]);
    db.close();
  });

  it("fires its alert kind through the platform's incident lifecycle", async () => {
    const { core, run, tick, db } = lift();
    const confirmed = await run("alert notes above 1");
    expect(confirmed.title).toBe("Alert set · notes above 1");
    await run("notes add one");
    await run("notes add two");
    const at = tick(5 * 60_000);
    // The platform's own minute job: due alert checks, then the delivery queue.
    expect(await core.runJob("subscriptions", at, core.consoleNotifier)).toBe("ran");
    const fired = (await core.feed()).filter((item) => JSON.stringify(item.report).includes("2 notes"));
    expect(fired).toHaveLength(1);
    db.close();
  });

  it("renders its console panel and runs its job once across processes", async () => {
    const { core, db } = lift();
    const server = await listen(consoleRoutes({ core, runner: core.runner() }));
    try {
      const panels = (await (await fetch(`${server.url}/console/panels`)).json()) as { id: string }[];
      expect(panels.map((p) => p.id)).toContain("notes");
      expect(await core.runJob("notes-tidy", NOW, core.consoleNotifier)).toBe("ran");
      expect(await core.runJob("notes-tidy", NOW, core.consoleNotifier)).toBe("skipped");
      const panel = (await (await fetch(`${server.url}/console/panels/notes`)).json()) as { html: string };
      expect(panel.html).toContain("lift: hourly tidy");
    } finally {
      await server.close();
      db.close();
    }
  });
});
