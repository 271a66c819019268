import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { experimentsService } from "../../../../analytics/capabilities/experiments/api.ts";
import { experimentDataSchema } from "../../../../analytics/capabilities/experiments/index.ts";
import { changesState } from "../../../../analytics/platform/commands/registry.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";
import { DEMO, DEMO_NOW } from "../../../support/demo.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const DAY = 86_400_000;
const near = (actual: number, expected: number, tolerance = 1e-9) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);

const run = (argv: string[]) => runLift(t, argv);

const viewed = (
  who: Record<string, string>,
  variant: string,
  at: number,
  id: string,
  experiment = "hero",
) => ({
  type: "track",
  event: "Experiment Viewed",
  ...who,
  timestamp: at,
  messageId: id,
  properties: { experiment_id: experiment, variation_id: variant },
});

describe("exposures from Experiment Viewed events", () => {
  it("keep each person's first exposure, leave out people seen in both variants, and follow an identify", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-23T12:00:00Z") });
    const start = Date.parse("2026-11-10T10:00:00Z");
    const result = await t.platform.ingest.write("events", [
      viewed({ anonymousId: "a1" }, "0", start, "e1"),
      viewed({ anonymousId: "a1" }, "0", start + DAY, "e2"),
      viewed({ anonymousId: "a2" }, "1", start + 3600_000, "e3"),
      viewed({ anonymousId: "a3" }, "0", start, "e4"),
      viewed({ anonymousId: "a3" }, "1", start + 2 * DAY, "e5"),
      // a4 signs up later as u4, who saw the same variant from another device.
      viewed({ anonymousId: "a4" }, "1", start + 2 * 3600_000, "e6"),
      viewed({ userId: "u4" }, "1", start + DAY, "e7"),
      { type: "identify", userId: "u4", anonymousId: "a4", timestamp: start + 2 * DAY, messageId: "e8" },
      {
        type: "track",
        event: "Experiment Viewed",
        userId: "u5",
        timestamp: start,
        messageId: "bad",
        properties: {},
      },
    ]);
    expect(result.rejected).toEqual([
      {
        index: 8,
        reason:
          "properties.experiment_id and properties.variation_id are needed: an Experiment Viewed event says which experiment and which variation",
      },
    ]);
    expect(
      t.db.sqlite
        .prepare(
          "SELECT person_id AS p, variant AS v, first_at AS at, conflict AS c FROM exposures ORDER BY p",
        )
        .all(),
    ).toEqual([
      { p: "a1", v: "0", at: start, c: 0 },
      { p: "a2", v: "1", at: start + 3600_000, c: 0 },
      { p: "a3", v: "0", at: start, c: 1 },
      { p: "u4", v: "1", at: start + 2 * 3600_000, c: 0 },
    ]);
    // Made the first time its exposures arrived: running, equal split, goal orders; GrowthBook's "0" is control.
    const analysis = await experimentsService.of(t.platform).analyse("hero");
    expect(analysis.config.row).toMatchObject({ status: "running", goal: "orders", source: "events" });
    expect(analysis.config.control).toBe("0");
    expect(analysis.result.variants.map((v) => [v.id, v.users])).toEqual([
      ["0", 1],
      ["1", 2],
    ]);
    expect(analysis.result.excluded).toBe(1);
  });

  it("count goal events after first exposure only, within the window, orders once per order id, with CUPED from the 30 days before", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-23T12:00:00Z"), timeZone: "UTC" });
    const start = Date.parse("2026-11-01T10:00:00Z");
    const events: Record<string, unknown>[] = [];
    const order = (person: string, at: number, id: string, revenue: number) => ({
      type: "track",
      event: "Order Completed",
      anonymousId: person,
      timestamp: at,
      messageId: `m-${id}`,
      properties: { order_id: id, revenue },
    });
    for (let i = 0; i < 400; i++) {
      const person = `p${i}`;
      const variant = i % 2 ? "B" : "A";
      events.push(viewed({ anonymousId: person }, variant, start + (i % 10) * DAY, `v${i}`, "cta"));
      // Earlier orders (before exposure) for some: CUPED's covariate.
      if (i % 5 === 0) events.push(order(person, start - 3 * DAY, `pre${i}`, 30));
      // After exposure: B orders more often; one order sent twice.
      if (i % (variant === "B" ? 3 : 4) === 0)
        events.push(order(person, start + (i % 10) * DAY + 3600_000, `o${i}`, 40));
      if (i % 5 === 0 && i % 3 === 0)
        events.push(order(person, start + (i % 10) * DAY + 7200_000, `o${i}b`, 25));
    }
    events.push({ ...order("p0", start + 3600_000, "o0", 40), messageId: "m-o0-again" });
    await t.platform.ingest.write("events", events);
    const experiments = experimentsService.of(t.platform);
    const analysis = await experiments.analyse("cta");
    const a = analysis.result.variants.find((v) => v.id === "A")!;
    const b = analysis.result.variants.find((v) => v.id === "B")!;
    const expected = (variant: "A" | "B") => {
      let orders = 0;
      let buyers = 0;
      for (let i = variant === "B" ? 1 : 0; i < 400; i += 2) {
        const n = (i % (variant === "B" ? 3 : 4) === 0 ? 1 : 0) + (i % 5 === 0 && i % 3 === 0 ? 1 : 0);
        orders += n;
        if (n > 0) buyers++;
      }
      return { orders, buyers };
    };
    expect([a.users, a.conversions, Math.round(a.mean * a.users)]).toEqual([
      200,
      expected("A").buyers,
      expected("A").orders,
    ]);
    expect([b.users, b.conversions]).toEqual([200, expected("B").buyers]);
    near(b.mean, expected("B").orders / 200);
    // The orders before exposure are the covariate: CUPED is reported.
    expect(analysis.result.comparisons[0]!.cuped).not.toBeNull();
    // Goal events outside the window after exposure do not count.
    t.platform.db.sqlite.prepare("UPDATE experiments SET window_days = 1 WHERE id = 'cta'").run();
    await t.platform.ingest.write("events", [order("p2", start + 5 * DAY, "late", 40)]);
    expect(Math.round((await experiments.analyse("cta")).result.variants[0]!.mean * 200)).toBe(
      expected("A").orders,
    );
  });
});

describe("the demo's experiments", () => {
  it("show their three states: checkout-cta ships, the A/A test finds no effect, pricing-page's split is broken", async () => {
    t = demoDb();
    const experiments = experimentsService.of(t.platform);
    const started = (days: number) => Date.parse(`${DEMO.end}T12:00:00Z`) - days * DAY;
    // checkout-cta started 49 days before the demo's last day: too early after a week, shipped by day 30.
    expect((await experiments.analyse("checkout-cta", started(49) + 6 * DAY)).result.decision.verdict).toBe(
      "keep_running",
    );
    expect((await experiments.analyse("checkout-cta", started(49) + 30 * DAY)).result.decision.verdict).toBe(
      "ship",
    );
    const checkout = await experiments.analyse("checkout-cta", DEMO_NOW);
    expect(checkout.result.decision).toMatchObject({ verdict: "ship", variant: "treatment" });
    expect(checkout.result.srm.ok).toBe(true);
    // The A/A test: keep running after a week, no effect likely by day 45.
    expect((await experiments.analyse("hero-copy-aa", started(59) + 7 * DAY)).result.decision.verdict).toBe(
      "keep_running",
    );
    expect((await experiments.analyse("hero-copy-aa", started(59) + 45 * DAY)).result.decision.verdict).toBe(
      "stop_no_effect",
    );
    const pricing = await experiments.analyse("pricing-page", DEMO_NOW);
    expect(pricing.result.decision.verdict).toBe("check_srm");
    expect(pricing.result.srm.pValue).toBeLessThan(0.001);
  });

  it("tells checkout-cta's channel once that treatment wins, with the chart and the buttons", async () => {
    t = demoDb();
    const job = t.platform.registries.jobs.get("experiments")!;
    const context = t.platform.jobContext(job, t.core.consoleNotifier);
    await job.run(context, DEMO_NOW);
    // The alert check runs at its next hourly slot, twice: one message.
    for (const at of [DEMO_NOW + 3600_000, DEMO_NOW + 2 * 3600_000]) {
      await t.platform.schedules.runDue(at);
      await t.platform.deliveries.process(t.core.consoleNotifier, at);
    }
    const items = (await t.platform.feed.list()).filter(
      (item) => item.report.title.includes("checkout-cta") || item.report.summary.includes("Checkout button"),
    );
    expect(items).toHaveLength(1);
    const message = items[0]!.report;
    expect(message.summary).toMatch(/treatment wins/);
    expect(message.charts[0]).toMatchObject({ kind: "line", format: "percent" });
    expect(message.charts[0]!.band).toBeDefined();
    expect(message.actions.map((a) => a.label)).toEqual(
      expect.arrayContaining(["Ship treatment", "Stop", "Snooze alerts 7 days"]),
    );
  });

  it("prints experiment/1 JSON from lift run that the exported schema parses", async () => {
    t = demoDb();
    const { code, out } = await run(["run", "experiment checkout-cta", "--json"]);
    expect(code).toBe(0);
    const data = experimentDataSchema.parse(JSON.parse(out).data);
    expect(data.decision.verdict).toBe("ship");
    expect(data.comparisons[0]!.variant).toBe("treatment");
  });

  it("ships from the button: recorded with who and when, and the alerts stop", async () => {
    t = demoDb();
    const experiments = experimentsService.of(t.platform);
    await experiments.ensureAlert((await experiments.analyse("checkout-cta")).config.row, "U0ADMIN");
    const alertsOf = async () =>
      (await t.platform.schedules.list({ kind: "alert" })).filter(
        (s) => s.options.kind === "alert" && s.options.rule["experimentId"] === "checkout-cta",
      );
    expect(await alertsOf()).toHaveLength(1);
    const report = await t.platform.registries.commands.run("experiment ship checkout-cta treatment", {
      userId: "U0ADMIN",
    });
    expect(report.title).toBe("Shipped treatment · Checkout button: “Pay now”");
    expect((await experiments.get("checkout-cta")).status).toBe("shipped");
    expect(await alertsOf()).toHaveLength(0);
    expect(
      t.db.sqlite
        .prepare("SELECT actor, action, detail FROM audit_log WHERE action = 'experiment.ship'")
        .get(),
    ).toEqual({
      actor: "U0ADMIN",
      action: "experiment.ship",
      detail: "checkout-cta: shipped treatment (verdict: ship)",
    });
    await expect(
      t.platform.registries.commands.run("experiment ship checkout-cta treatment", { userId: "U0ADMIN" }),
    ).rejects.toThrow("checkout-cta is already shipped (treatment)");
  });

  it("changes settings with experiment set, refusing what it cannot read", async () => {
    t = demoDb();
    const commands = t.platform.registries.commands;
    const context = { userId: "U0ADMIN" };
    await commands.run(
      'experiment set hero-copy-aa goal "Signed Up" split 50/50 mde 5% window 14 days',
      context,
    );
    const row = await experimentsService.of(t.platform).get("hero-copy-aa");
    expect(row).toMatchObject({ goal: "Signed Up", mde: 0.05, windowDays: 14 });
    await expect(commands.run("experiment set hero-copy-aa colour blue", context)).rejects.toThrow(
      "I do not know “colour”",
    );
    await expect(commands.run("experiment set hero-copy-aa split 50/30/20", context)).rejects.toThrow(
      "split has 3 weights",
    );
    expect(changesState(commands.find("experiment")!, "set hero-copy-aa mde 5%")).toBe(true);
    expect(changesState(commands.find("experiment")!, "hero-copy-aa")).toBe(false);
  });
});

describe("another tool's results", () => {
  it("imports per-user results and gives scipy's numbers on the same file (exit 3 with a bad row)", async () => {
    t = emptyDb();
    // test/fixtures/experiments/make-results.py wrote the file and printed these values.
    const path = join(import.meta.dirname, "../../../fixtures/experiments/results.csv");
    const { code, out } = await run([
      "experiments",
      "import",
      "vendor-test",
      path,
      "--control",
      "A",
      "--split",
      "50/50",
    ]);
    expect(code).toBe(0);
    expect(out).toContain("6,000 rows read");
    const experiments = experimentsService.of(t.platform);
    let analysis = await experiments.analyse("vendor-test");
    expect(analysis.result.variants.map((v) => [v.id, v.users, v.conversions])).toEqual([
      ["A", 3010, 317],
      ["B", 2990, 337],
    ]);
    const c = analysis.result.comparisons[0]!;
    near(c.absolute.pValue, 0.3582341911291902);
    near(c.relative.estimate, 0.07020246246689799);
    near(c.relative.pValue, 0.3745041026604371);
    // Revenue per person: Welch's test as scipy.stats.ttest_ind(equal_var=False) computes it.
    await run(["experiments", "import", "vendor-test", path, "--control", "A", "--goal", "revenue"]);
    analysis = await experiments.analyse("vendor-test");
    near(analysis.result.variants[0]!.mean, 5.3706046511627905);
    near(analysis.result.variants[1]!.mean, 6.071558528428094);
    near(analysis.result.comparisons[0]!.absolute.pValue, 0.18249242735189158, 1e-8);
  });

  it("says which rows it could not read, and marks a user in two variants as left out", async () => {
    t = emptyDb();
    const path = join(t.dir, "results.csv");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, "user,group,converted,revenue\nu1,A,1,20\nu2,B,maybe,0\nu3,B,0,0\nu1,B,0,0\n");
    const { code, out } = await run(["experiments", "import", "x", path, "--control", "A"]);
    expect(code).toBe(3);
    expect(out).toContain('row 2: converted "maybe" is not 0/1, true/false, yes/no or a whole count');
    const analysis = await experimentsService.of(t.platform).analyse("x");
    expect(analysis.result.excluded).toBe(1);
  });
});
