import { afterEach, describe, expect, it } from "vitest";
import { ANSWER_WORKER } from "../../../../analytics/capabilities/index.ts";
import { createLogger } from "../../../../analytics/platform/base/log.ts";
import { AnswerThread } from "../../../../analytics/platform/commands/index.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
let runner: AnswerThread | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
  t?.cleanup();
});

describe("the answer thread", () => {
  it("logs what the commands it runs for Slack and the console did, through the server's logger, and never what was asked", async () => {
    t = demoDb();
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line)) });
    runner = new AnswerThread(ANSWER_WORKER, t.path, t.core.settings, () => t.core.now(), logger);
    await runner.run("revenue last 7 days for jane@example.com", { userId: "U0MARKETER" }).catch(() => {});
    await runner.run("revenue last 7 days", { userId: "console" });
    await runner.run("campaigns this month", { userId: "U0MARKETER" });
    const messages = lines.map((line) => [line["msg"], line["surface"], line["kind"] ?? line["code"]]);
    expect(messages).toContainEqual(["answered", "console", "kpi"]);
    expect(messages).toContainEqual(["answered", "slack", "kpi"]);
    expect(JSON.stringify(lines)).not.toContain("jane@example.com");
    expect(lines.every((line) => typeof line["ms"] === "number")).toBe(true);
  });
});
