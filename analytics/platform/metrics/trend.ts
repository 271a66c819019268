import {
  type BaseFigures,
  type Coverage,
  type DayRange,
  dataCoverage,
  emptyFigures,
} from "../../../db/platform/queries/metrics.ts";
import { eachDay } from "../time/zone.ts";
import type { MetricDefinition } from "./definitions.ts";
import type { MetricsDeps } from "./kpis.ts";
import type { Period } from "./periods.ts";
import { type FigureReader, figureReader, partsFor, valuesOf } from "./read.ts";
import { missingOn } from "./sources-of-data.ts";
import type { KpiQuery, KpiResult, Values } from "./types.ts";

/** Daily values of each metric over the period, aligned with the comparison's days (for the answer's chart). */
export async function dailyTrend(
  read: FigureReader,
  metrics: MetricDefinition[],
  period: Period,
  comparison: Period | null,
  coverage: Coverage,
  previousCoverage: Coverage | null,
  missingNow: Set<string>,
  /** The period's daily figures when the question already read them (`by day`). */
  alreadyByDay?: Map<string, BaseFigures>,
): Promise<KpiResult["trend"]> {
  if (period.partial) return { days: [], current: [], previous: null };
  const days = eachDay(period.from, period.to);
  const byDay = alreadyByDay ?? (await read(period, "day", null));
  const current = days.map((day) => valuesOf(metrics, byDay.get(day), missingOn(coverage, day, missingNow)));
  let previous: Values[] | null = null;
  if (comparison && previousCoverage) {
    const before = await read(comparison, "day", null);
    const previousDays = eachDay(comparison.from, comparison.to);
    previous = days.map((_, i) => {
      const day = previousDays[i];
      return day === undefined
        ? {}
        : valuesOf(metrics, before.get(day), missingOn(previousCoverage, day, new Set()));
    });
  }
  return { days, current, previous };
}

/**
 * One metric's value on each day of a range, and nothing else (no totals, no
 * comparison): what an anomaly check reads over weeks of history. A distinct
 * count over the whole range would cost seconds on a large workspace; per day
 * it is a count of rollup rows. A day a source has no data for is null.
 */
export async function dailyValues(
  deps: MetricsDeps,
  metric: MetricDefinition,
  range: DayRange,
  filter: { channel?: string | undefined; campaignId?: string | undefined },
): Promise<Map<string, number | null>> {
  const query: KpiQuery = {
    metrics: [metric.key],
    period: { kind: "yesterday" },
    compare: "none",
    by: "day",
    filter,
  };
  const read = figureReader(deps, query, filter, partsFor([metric]));
  const [byDay, coverage] = await Promise.all([read(range, "day", null), dataCoverage(deps.db, range)]);
  const values = new Map<string, number | null>();
  for (const day of eachDay(range.from, range.to)) {
    const missing = missingOn(coverage, day, new Set());
    values.set(
      day,
      metric.needs.some((need) => missing.has(need))
        ? null
        : metric.compute(byDay.get(day) ?? emptyFigures()),
    );
  }
  return values;
}
