import type { BaseFigures, Coverage } from "../../../db/platform/queries/metrics.ts";
import { formatDay } from "../base/format.ts";
import { addDays, eachDay, endOfMonth, startOfMonth, startOfWeek } from "../time/zone.ts";
import type { MetricDefinition } from "./definitions.ts";
import { CHANNEL_LABELS } from "./kpis.ts";
import type { Period } from "./periods.ts";
import { valuesOf } from "./read.ts";
import { fewUnits, missingIn } from "./sources-of-data.ts";
import { isGroupBreakdown, type KpiGroup, type KpiQuery } from "./types.ts";

const isTime = (by: string): by is "day" | "week" | "month" =>
  by === "day" || by === "week" || by === "month";

export function timeBuckets(period: Period, grain: "day" | "week" | "month"): string[] {
  const days = eachDay(period.from, period.to);
  if (grain === "day") return days;
  return [...new Set(days.map((day) => (grain === "month" ? startOfMonth(day) : startOfWeek(day))))];
}

/** The days of the period a time bucket covers (a week or month may start before it). */
function bucketDays(key: string, grain: "day" | "week" | "month", period: Period): string[] {
  if (grain === "day") return [key];
  const end = grain === "week" ? addDays(key, 6) : endOfMonth(key);
  // Days are ISO strings: the later start and the earlier end of the bucket and the period.
  const from = [key, period.from].sort()[1]!;
  const to = [end, period.to].sort()[0]!;
  return eachDay(from, to);
}

function labelOf(by: string, key: string, labels: Map<string, string> | null): string {
  if (by === "channel") return CHANNEL_LABELS[key] ?? key;
  if (by === "campaign") return key === "" ? "(no campaign)" : (labels?.get(key) ?? key);
  if (by === "day") return formatDay(key, { short: true });
  if (by === "week") return `Week of ${formatDay(key, { short: true })}`;
  if (by === "month")
    return new Date(`${key}T12:00:00Z`).toLocaleDateString("en-US", {
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    });
  return labels?.get(key) ?? key;
}

/**
 * The groups of a breakdown: one per channel, campaign, scope group or time
 * bucket, with the comparison's figures for group breakdowns, ordered by the
 * first metric (and cut, with a rank).
 */
export async function breakdownGroups(input: {
  query: KpiQuery;
  metrics: MetricDefinition[];
  period: Period;
  /** Null when a source makes the comparison unsafe. */
  comparison: Period | null;
  coverage: Coverage;
  missingNow: Set<string>;
  missingBefore: Set<string>;
  read(period: Period, shiftDays: number): Promise<Map<string, BaseFigures>>;
  shift: number;
  labels: Map<string, string> | null;
}): Promise<{
  groups: KpiGroup[];
  fewGroups: Set<string>;
  rankedOf?: number;
  byDay: Map<string, BaseFigures> | undefined;
}> {
  const { query, metrics, period, comparison, coverage, missingNow, missingBefore } = input;
  const by = query.by;
  const [byNow, byBefore] = await Promise.all([
    input.read(period, 0),
    comparison && isGroupBreakdown(by) ? input.read(comparison, input.shift) : Promise.resolve(null),
  ]);
  const keys = isTime(by)
    ? timeBuckets(period, by)
    : [...new Set([...byNow.keys(), ...(byBefore?.keys() ?? [])])];
  const groups: KpiGroup[] = [];
  const fewGroups = new Set<string>();
  for (const key of keys) {
    groups.push({
      key,
      label: labelOf(by, key, input.labels),
      current: valuesOf(
        metrics,
        byNow.get(key),
        isTime(by) ? missingIn(coverage, bucketDays(key, by, period), missingNow) : missingNow,
      ),
      previous: byBefore ? valuesOf(metrics, byBefore.get(key), missingBefore) : null,
    });
    if (byBefore && fewUnits(metrics[0]!, byNow.get(key), byBefore.get(key))) fewGroups.add(key);
  }
  let rankedOf: number | undefined;
  if (isGroupBreakdown(by)) {
    const first = metrics[0]!;
    // Groups without a value (a ratio over zero) go last either way.
    const sign = query.rank?.order === "bottom" ? -1 : 1;
    groups.sort(
      (a, b) =>
        sign * ((b.current[first.key] ?? -sign * Infinity) - (a.current[first.key] ?? -sign * Infinity)),
    );
    if (query.rank) {
      rankedOf = groups.length;
      if (query.rank.n !== null) groups.splice(query.rank.n);
    }
  }
  return {
    groups,
    fewGroups,
    ...(rankedOf === undefined ? {} : { rankedOf }),
    byDay: by === "day" && !period.partial ? byNow : undefined,
  };
}
