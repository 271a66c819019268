import { experimentsService } from "../../analytics/capabilities/experiments/api.ts";
import { simulate } from "../../analytics/capabilities/experiments/simulate.ts";
import type { BenchEntry } from "../common.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * One experiment with a million exposures, analysed from the database (goal:
 * orders, with CUPED), against a plain SQL count over the same exposures; and
 * the decision rule's error rates under daily peeking.
 */
export const experimentsBench: BenchEntry = {
  name: "experiments",
  async run(context) {
    const exposures = context.quick ? 100_000 : 1_000_000;
    const platform = context.freshPlatform(`experiments-${exposures}.db`);
    const day = 86_400_000;
    const start = platform.now() - 30 * day;
    const batch: Record<string, unknown>[] = [];
    const flush = async () => {
      await platform.ingest.write("events", batch.splice(0));
    };
    for (let i = 0; i < exposures; i++) {
      const at = start + Math.floor((i / exposures) * 29 * day);
      const person = `p${i}`;
      const variant = i % 2 === 0 ? "control" : "treatment";
      batch.push({
        type: "track",
        event: "Experiment Viewed",
        anonymousId: person,
        timestamp: at,
        messageId: `x${i}`,
        properties: { experiment_id: "big", variation_id: variant },
      });
      if (i % 10 === 0 || (variant === "treatment" && i % 97 === 1))
        batch.push({
          type: "track",
          event: "Order Completed",
          anonymousId: person,
          timestamp: at + 3600_000,
          messageId: `o${i}`,
          properties: { order_id: `o${i}`, revenue: 20 + (i % 50) },
        });
      if (batch.length >= 20_000) await flush();
    }
    await flush();
    const experiments = experimentsService.of(platform);
    const analyse = await context.medianMs(3, () => experiments.analyse("big"));
    const count = await context.medianMs(3, () =>
      platform.db.sqlite
        .prepare("SELECT variant, count(*) FROM exposures WHERE experiment_id = 'big' GROUP BY variant")
        .all(),
    );
    const aa = simulate({
      experiments: context.quick ? 500 : 2000,
      days: 30,
      perArmPerDay: 400,
      baseline: 0.1,
      effect: 0,
      seed: 1,
    });
    const power = simulate({
      experiments: context.quick ? 100 : 500,
      days: 30,
      perArmPerDay: 1500,
      baseline: 0.1,
      effect: 0.1,
      seed: 2,
    });
    platform.db.close();
    return [
      {
        name: `experiment analysis, ${fmt(exposures)} exposures (orders, CUPED, daily chart)`,
        ratio: analyse / count,
        goal: "< 1 s",
        detail: `${fmt(analyse)} ms ÷ ${fmt(count, 1)} ms plain SQL count of the exposures`,
      },
      {
        name: "A/A experiments called a winner or loser (checked daily, 30 days)",
        ratio: aa.decided / 0.05,
        goal: "≤ 5.5 %",
        detail: `${fmt(aa.decided * 100, 1)} % by the sequential rule ÷ α 5 %; a plain daily t-test: ${fmt(aa.peekingDecided * 100, 1)} %`,
      },
      {
        name: "true +10 % effects found within 30 days (10 % baseline, 1,500/arm/day)",
        ratio: power.winners / 0.8,
        goal: "≥ 80 %",
        detail: `${fmt(power.winners * 100, 1)} % ÷ 80 % target`,
      },
    ];
  },
};
