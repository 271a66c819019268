import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLift } from "./support/cli.ts";
import { demoDb, type TestDb } from "./support/db.ts";

/**
 * The demo's answers, pinned: `lift run "…" --json` for questions across every capability,
 * compared with what they were before a change that should not change behaviour (the contract
 * refactor moved most files). `PIN_UPDATE=1` writes them anew (after a change that means to).
 */
const QUESTIONS = [
  "revenue last 30 days by channel",
  "orders, revenue and aov last 7 days vs previous period",
  "visitors last 14 days by day",
  "conversion rate this month",
  "channels last 30 days",
  "campaigns last 30 days",
  "top 5 campaigns by roas last 30 days",
  "pacing",
  "forecast revenue next 30 days",
  "will we hit $20k revenue this month?",
  "funnel page > Product Added > Order Completed within 7 days last 30 days",
  "digest",
  "why revenue last 7 days",
  "how much revenue did we make yesterday?",
  "experiments",
  "experiment checkout-cta",
  "experiment pricing-page",
  "sentiment last 14 days",
  "mentions negative about shipping",
  "topics",
  "segments",
  "segment champions",
  "revenue last 30 days for segment champions",
  "orders by segment last 30 days",
  "subscriptions",
  "alerts",
  "sources",
  "help",
];

const FILE = join(import.meta.dirname, "fixtures", "pinned", "answers.json");

/** Stored-answer ids differ run to run; everything else must not. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "id" && key !== "answerId")
        .map(([key, v]) => [key, stable(v)]),
    );
  return value;
}

let t: TestDb;
const seen: Record<string, unknown> = {};
afterAll(() => {
  t?.cleanup();
  if (process.env["PIN_UPDATE"] === "1") writeFileSync(FILE, `${JSON.stringify(seen, null, 1)}\n`);
});

describe("the demo's answers", () => {
  const pinned: Record<string, unknown> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  for (const question of QUESTIONS) {
    it(`are what they were: ${question}`, async () => {
      t ??= demoDb();
      const { code, out, err } = await runLift(t, ["run", question, "--json"]);
      let answer: unknown;
      try {
        answer = stable(JSON.parse(out));
      } catch {
        answer = { out, err };
      }
      seen[question] = { code, answer };
      if (process.env["PIN_UPDATE"] !== "1") expect({ code, answer }).toEqual(pinned[question]);
    });
  }
});
