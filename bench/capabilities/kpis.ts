import { addDays, startOfDayMs } from "../../analytics/platform/time/zone.ts";
import { figuresFromRaw } from "../../db/platform/queries/metrics.ts";
import type { BenchEntry } from "../common.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** KPI answers and the digest on the large workspace: from rollups, against the same figures from a raw scan. */
export const kpiBench: BenchEntry = {
  name: "kpi",
  async run(context) {
    const platform = await context.largePlatform();
    const period = { kind: "last_days" as const, n: 30 };
    const sums = await context.medianMs(5, () =>
      platform.kpiReport({
        metrics: ["pageviews", "signups", "orders", "revenue", "aov", "spend", "roas"],
        period,
        compare: "previous",
        by: "none",
        filter: {},
      }),
    );
    const byChannel = await context.medianMs(5, () =>
      platform.kpiReport({
        metrics: ["orders", "revenue", "spend", "roas"],
        period,
        compare: "previous",
        by: "channel",
        filter: {},
      }),
    );
    const visitorsOver = (n: number) =>
      platform.kpiReport({
        metrics: ["visitors", "conversion_rate"],
        period: { kind: "last_days" as const, n },
        compare: "none",
        by: "none",
        filter: {},
      });
    // The first question over a year makes any day sets not yet kept (once per day, then kept).
    const firstYearStarted = performance.now();
    await visitorsOver(365);
    const firstYear = performance.now() - firstYearStarted;
    const visitors = await context.medianMs(3, () => visitorsOver(30));
    const year = await context.medianMs(3, () => visitorsOver(365));
    const yearByWeek = await context.medianMs(3, () =>
      platform.kpiReport({
        metrics: ["visitors"],
        period: { kind: "last_days" as const, n: 365 },
        compare: "none",
        by: "week",
        filter: {},
      }),
    );
    // The whole daily and weekly digest: every capability's section, the anomaly scan included.
    const daily = await context.medianMs(3, () => platform.schedules.digestNow("daily"));
    const weekly = await context.medianMs(3, () => platform.schedules.digestNow("weekly"));
    const end = addDays(platform.today(), -1);
    const from = addDays(end, -29);
    const zone = platform.settings.timeZone;
    const window = { fromMs: startOfDayMs(from, zone), toMs: startOfDayMs(addDays(end, 1), zone) };
    const raw = await context.medianMs(1, () =>
      figuresFromRaw(platform.db, window, { from, to: end }, "none"),
    );
    const total = (platform.db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
    const people = (platform.db.sqlite.prepare("SELECT count(*) AS n FROM people").get() as { n: number }).n;
    const scale = `${fmt(total)} events, ${fmt(people)} people, 365 days`;
    return [
      {
        name: "KPI counts & sums, last 30 days vs previous",
        ratio: sums / raw,
        goal: "< 50 ms",
        detail: `${fmt(sums, 1)} ms from rollups ÷ ${fmt(raw)} ms raw scan (${scale})`,
      },
      {
        name: "KPI by channel, last 30 days vs previous",
        ratio: byChannel / raw,
        goal: "< 50 ms",
        detail: `${fmt(byChannel, 1)} ms ÷ ${fmt(raw)} ms raw scan`,
      },
      {
        name: "exact distinct visitors, last 30 days",
        ratio: visitors / raw,
        goal: "< 500 ms",
        detail: `${fmt(visitors, 1)} ms ÷ ${fmt(raw)} ms raw scan`,
      },
      {
        name: "exact distinct visitors, last 365 days (and by week)",
        ratio: year / raw,
        goal: "< 500 ms",
        detail: `${fmt(year, 1)} ms ÷ ${fmt(raw)} ms raw scan of 30 days; by week ${fmt(yearByWeek, 1)} ms; the first time (day sets made) ${fmt(firstYear)} ms`,
      },
      {
        name: "daily digest, every section (anomaly scan included)",
        ratio: daily / raw,
        goal: "< 2 s",
        detail: `${fmt(daily)} ms ÷ ${fmt(raw)} ms raw scan; weekly digest ${fmt(weekly)} ms`,
      },
    ];
  },
};
