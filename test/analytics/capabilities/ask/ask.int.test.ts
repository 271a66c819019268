import { afterEach, describe, expect, it } from "vitest";
import { explain } from "../../../../analytics/capabilities/ask/explain.ts";
import { whyDataSchema } from "../../../../analytics/capabilities/ask/index.ts";
import type { KpiQuery } from "../../../../analytics/platform/metrics/kpis.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";
import { PHRASINGS } from "../../platform/metrics/phrasings.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const asker = { userId: "cli" };
/** A report without what differs between two runs of the same command. */
const same = (report: Report) => {
  const { id: _id, command: _command, actions, ...rest } = report;
  return { ...rest, actions: actions.map(({ answerId: _a, ...a }) => a) };
};

describe("ask on the demo workspace", () => {
  it("gives every phrasing of the grammar tests the very answer kpi gives", async () => {
    t = demoDb();
    const registry = t.platform.registries.commands;
    let compared = 0;
    for (const [text] of PHRASINGS) {
      if (text.trim() === "" || /^kpis?$/.test(text.trim())) continue;
      const direct = await registry
        .run(`kpi ${text}`, asker)
        .then(same)
        .catch((e: Error) => `error: ${e.message}`);
      const asked = await registry
        .run(text, asker)
        .then(same)
        .catch((e: Error) => `error: ${e.message}`);
      expect(asked, text).toEqual(direct);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("stores a question in plain words as the command it was read as, and says how it read it", async () => {
    t = demoDb();
    const report = await t.platform.answer("how much revnue did we make yesterday?", asker);
    const stored = await t.platform.answers.get(report.id!);
    expect(stored!.command).toBe("kpi revenue yesterday");
    expect(report.kind).toBe("kpi");
    expect(report.warnings).toContain("Read “revnue” as revenue.");
    expect(report.period).toMatchObject({ from: "2026-11-22", to: "2026-11-22", timeZone: "Europe/Berlin" });
  });

  it("reads a command word inside a sentence as a question", async () => {
    t = demoDb();
    const report = await t.platform.answer("campaigns with the lowest ctr last 7 days", asker);
    expect(report.command).toBe("kpi ctr last 7 days by campaign bottom");
    expect(report.title).toContain("lowest first");
  });

  it("keeps a thread's parameters when a reply in plain words changes one", async () => {
    t = demoDb();
    const report = await t.platform.answer("what about for the email channel by campaign please", {
      ...asker,
      previous: "kpi revenue last 7 days",
    });
    expect(report.command).toBe("kpi revenue last 7 days by campaign for email");
  });

  it("names a metric it does not have with what it can answer instead, as buttons that run", async () => {
    t = demoDb();
    const report = await t.platform.answer("what was our bounce rate last week", asker);
    expect(report.title).toBe("Lift does not measure bounce rate");
    for (const action of report.actions) await t.platform.answer(action.command, asker);
  });

  it("says it cannot read a question about something else, instead of guessing", async () => {
    t = demoDb();
    await expect(t.platform.answer("what's the weather like in berlin", asker)).rejects.toThrow(
      "as a question about your marketing data",
    );
  });
});

describe("why", () => {
  const week: KpiQuery = {
    metrics: ["revenue"],
    period: { kind: "last_days", n: 7 },
    compare: "previous",
    by: "none",
    filter: {},
  };

  it.each([
    ["revenue", {}],
    ["orders", {}],
    ["signups", {}],
    ["visitors", {}],
    ["revenue", { channel: "paid_search" }],
    ["spend", {}],
  ] as const)("splits the change in %s (%o) into drivers that add up to it", async (metric, filter) => {
    t = demoDb();
    const e = await explain(t.platform, { ...week, metrics: [metric], filter });
    expect(e.change).not.toBeNull();
    const total = e.change!;
    const tolerance = 1e-6 * Math.max(1, Math.abs(total));
    const rows = e.drivers!.rows;
    expect(Math.abs(rows.reduce((a, r) => a + r.change, 0) - total)).toBeLessThanOrEqual(tolerance);
    for (const row of rows) {
      if (row.parts) {
        const parts = row.parts.reduce((a, p) => a + p.contribution, 0);
        expect(Math.abs(parts - row.change)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(row.change)));
      }
    }
    if (e.factors) {
      expect(Math.abs(e.factors.reduce((a, f) => a + f.contribution, 0) - total)).toBeLessThanOrEqual(
        tolerance,
      );
    }
    if (e.campaigns) {
      expect(Math.abs(e.campaigns.reduce((a, r) => a + r.change, 0) - total)).toBeLessThanOrEqual(tolerance);
    }
    expect(e.verdict.history).toHaveLength(8);
  });

  it("splits a rate by its factors, and reads normal variation from the same weekday", async () => {
    t = demoDb();
    const e = await explain(t.platform, {
      ...week,
      metrics: ["conversion_rate"],
      period: { kind: "yesterday" },
    });
    expect(e.factors!.map((f) => f.name)).toEqual(["orders", "traffic"]);
    expect(Math.abs(e.factors!.reduce((a, f) => a + f.contribution, 0) - e.change!)).toBeLessThan(1e-12);
    expect(e.verdict.basis).toBe("the same weekday over the last 8 weeks, median ± 3 robust σ");
    expect(["within", "beyond"]).toContain(e.verdict.state);
  });

  it("answers why questions with drivers, the verdict and context, stored as a why command", async () => {
    t = demoDb();
    const report = await t.platform.answer("why did paid search revenue drop yesterday?", asker);
    expect(report.command).toBe("why revenue yesterday for paid search");
    expect(report.kind).toBe("why");
    expect(report.summary).toMatch(/normal variation/);
    expect(report.facts.map((f) => f.label)).toContain("Normal variation");
    expect(report.charts[0]?.kind).toBe("hbar");
    expect(report.period?.timeZone).toBe("Europe/Berlin");
  });

  it("prints why/1 JSON from lift run that the exported schema parses, for a question in plain words", async () => {
    t = demoDb();
    const { code, out } = await runLift(t, ["run", "why did orders drop last week?", "--json"]);
    expect(code).toBe(0);
    const data = whyDataSchema.parse(JSON.parse(out).data);
    expect(data.metric).toBe("orders");
    expect(data.drivers!.rows.reduce((a, r) => a + r.change, 0)).toBeCloseTo(data.change!, 6);
  });

  it("reads a direction question about a channel's traffic as why visitors, over the last 7 days", async () => {
    t = demoDb();
    const report = await t.platform.answer("is paid search traffic down", asker);
    expect(report.kind).toBe("why");
    expect(report.command).toMatch(/^why visitors last 7 days for paid search/);
  });
});
