import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { silentLogger } from "../../../analytics/platform/base/log.ts";
import type { Report } from "../../../analytics/platform/reports/report.ts";
import { bufferIo, runCli } from "../../../bot/cli/index.ts";
import { parseConfig } from "../../../env.ts";
import { type Built, build, type Server, startServer } from "../../../main.ts";
import { copyWithKeys } from "../../support/db.ts";
import { DEMO, DEMO_NOW } from "../../support/demo.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import { buttonClick, findButton, SIGNING_SECRET, slackPost, slashCommand } from "../../support/slack.ts";

let dir: string;
let built: Built | undefined;
let server: Server | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  await server?.close();
  await built?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CONSOLE_TOKEN = "console-token-for-the-test-0001";
const COMMAND = "kpi revenue by channel last 30 days";

describe("Lift with Slack tokens pointed at a Slack-compatible API", () => {
  it("answers /lift in HTTP mode on the one port, with text and chart, and the same numbers as the console and lift run", async () => {
    dir = mkdtempSync(join(tmpdir(), "lift-e2e-"));
    copyWithKeys(inject("demoDbPath"), join(dir, "lift.db"));
    fake = await FakeSlack.start();
    const config = parseConfig({
      DATABASE_URL: join(dir, "lift.db"),
      LIFT_TIMEZONE: DEMO.timeZone,
      LIFT_CURRENCY: DEMO.currency,
      SLACK_BOT_TOKEN: "xoxb-e2e-token-0000",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      LIFT_CONSOLE_TOKEN: CONSOLE_TOKEN,
    });
    built = await build(config, { logger: silentLogger(), now: () => DEMO_NOW, answerThread: true });
    server = await startServer(built, { port: 0, host: "127.0.0.1" });
    expect(server.slack).not.toBeNull();
    expect(fake.callsTo("auth.test")[0]!.token).toBe("xoxb-e2e-token-0000");

    // Slack: the private answer within 3 s, then "Post to channel" with the chart.
    const slash = slashCommand(fake, COMMAND);
    const started = performance.now();
    const ack = await slackPost(server.url, slash.form);
    expect(ack.status).toBe(200);
    const ephemeral = await fake.waitFor(() => fake!.responsesTo(slash.responseUrl)[0]);
    expect(performance.now() - started).toBeLessThan(3000);
    await slackPost(
      server.url,
      buttonClick(fake, findButton(ephemeral["blocks"], "lift_post_to_channel")).form,
    );
    const posted = await fake.waitFor(() =>
      fake!.messages.find((m) => m.blocks?.some((b) => b["type"] === "image")),
    );
    const slackTable = String(
      (
        posted.blocks!.find((b) => String((b["text"] as { text?: string })?.text).startsWith("```"))![
          "text"
        ] as { text: string }
      ).text,
    );

    // The console (token required in Slack modes) and `lift run --json` over the same database.
    expect((await fetch(`${server.url}/console/run`, { method: "POST", body: "{}" })).status).toBe(401);
    const consoleAnswer = (await (
      await fetch(`${server.url}/console/run`, {
        method: "POST",
        headers: { authorization: `Bearer ${CONSOLE_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ command: COMMAND }),
      })
    ).json()) as { html: string };
    const io = bufferIo();
    expect(
      await runCli(["run", COMMAND, "--json"], {
        core: built.core,
        runner: built.runner,
        io,
        serverUrl: server.url,
      }),
    ).toBe(0);
    const cli = JSON.parse(io.stdout) as Report;

    const paid = cli.table!.rows.find((row) => row[0] === "Paid search")!;
    const revenue = `$${(Number(paid[1]) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
    for (const shown of [slackTable, consoleAnswer.html]) {
      expect(shown).toMatch(new RegExp(`Paid search[^\\n]*\\${revenue}`.replace(/<[^>]+>/g, "")));
    }
    expect(posted.text).toContain(cli.facts[0]!.value);
    expect(consoleAnswer.html).toContain(cli.facts[0]!.value);
  });
});
