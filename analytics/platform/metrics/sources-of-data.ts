import { type BaseFigures, type Coverage, emptyFigures } from "../../../db/platform/queries/metrics.ts";
import { formatDay, formatDayRange } from "../base/format.ts";
import { addDays, eachDay } from "../time/zone.ts";
import type { MetricDefinition } from "./definitions.ts";
import type { Period } from "./periods.ts";
import type { DataExtents } from "./types.ts";
import { MIN_UNITS_FOR_CHANGE } from "./units.ts";

/*
 * What the kinds of data behind an answer (events, orders, spend) say about it:
 * none at all (shown as "no data", never zero), starting after the period
 * begins, stopping before it ends — each said in a warning, and the changes
 * that depend on them withheld.
 */

const SOURCES = ["events", "orders", "spend"] as const;
const SOURCE_NAMES = { events: "events", orders: "orders", spend: "campaign spend" } as const;

const capitalize = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

export function sourcesWithout(coverage: Coverage): Set<string> {
  const missing = new Set<string>();
  for (const source of SOURCES) if (coverage[source].size === 0) missing.add(source);
  return missing;
}

/** The sources with no data on any of `days`, besides those missing for the whole period. */
export function missingIn(coverage: Coverage, days: string[], base: Set<string>): Set<string> {
  const missing = new Set(base);
  for (const source of SOURCES) if (!days.some((day) => coverage[source].has(day))) missing.add(source);
  return missing;
}

/** The sources with no data on `day`, besides those missing for the whole period. */
export function missingOn(coverage: Coverage, day: string, base: Set<string>): Set<string> {
  return missingIn(coverage, [day], base);
}

/** Days of `period` after a source's last data day, when that is not the whole period. */
function trailingGap(days: Set<string>, period: Period): string[] {
  const all = eachDay(period.from, period.to);
  const lastWithData = all.filter((day) => days.has(day)).pop();
  if (lastWithData === undefined) return [];
  return all.filter((day) => day > lastWithData);
}

/**
 * Whether a change of `metric` rests on too few units to be news: fewer than
 * MIN_UNITS_FOR_CHANGE orders, visitors, signups (…) in either period.
 */
export function fewUnits(
  metric: MetricDefinition,
  now: BaseFigures | undefined,
  before: BaseFigures | undefined,
): boolean {
  if (!metric.units) return false;
  const a = metric.units(now ?? emptyFigures());
  const b = metric.units(before ?? emptyFigures());
  return a !== null && b !== null && Math.min(a, b) < MIN_UNITS_FOR_CHANGE;
}

/**
 * The warnings of an answer about its data, which sources make a change unsafe to show
 * (`incomplete`), and why there is no comparison for some (`notes`: "orders data starts Sep 3").
 */
export function sourceWarnings(input: {
  metrics: MetricDefinition[];
  period: Period;
  comparison: Period | null;
  coverage: Coverage;
  missingNow: Set<string>;
  missingBefore: Set<string>;
  extents: DataExtents;
}): { warnings: string[]; incomplete: Set<string>; notes: string[] } {
  const { metrics, period, comparison, coverage, missingNow, missingBefore, extents } = input;
  const warnings: string[] = [];
  // A source that stops before the period ends would show as a fall, and a comparison with days
  // before a source's first data as a rise: say so and withhold the change.
  const incomplete = new Set<string>();
  const notes: string[] = [];
  for (const source of SOURCES) {
    if (!metrics.some((m) => m.needs.includes(source))) continue;
    const first = extents[source].firstDay;
    if (first !== null && comparison && comparison.from < first) {
      incomplete.add(source);
      notes.push(`${SOURCE_NAMES[source]} data starts ${formatDay(first)}`);
    }
    if (first !== null && period.from < first && !missingNow.has(source)) {
      warnings.push(
        `${capitalize(SOURCE_NAMES[source])} data starts ${formatDay(first)}: ${formatDayRange(period.from, addDays(first, -1))} ${first === addDays(period.from, 1) ? "has" : "have"} none, so the figures cover less than the period.`,
      );
    }
    if (missingNow.has(source)) {
      warnings.push(
        `No ${SOURCE_NAMES[source]} at all for ${formatDayRange(period.from, period.to)}: shown as “no data”, not zero.`,
      );
      continue;
    }
    const gap = period.partial ? [] : trailingGap(coverage[source], period);
    if (gap.length > 0) {
      incomplete.add(source);
      warnings.push(
        `${capitalize(SOURCE_NAMES[source])} stop after ${formatDay(addDays(gap[0]!, -1))}: ` +
          `${formatDayRange(gap[0]!, gap.at(-1)!)} ${gap.length === 1 ? "has" : "have"} no data yet, so changes that depend on them are not shown.`,
      );
    }
    if (comparison && missingBefore.has(source)) {
      warnings.push(
        `No ${SOURCE_NAMES[source]} for the comparison period (${formatDayRange(comparison.from, comparison.to)}).`,
      );
    }
  }
  if (period.partial)
    warnings.push(
      `Today is not over: compared with the same hours of ${comparison ? formatDay(comparison.from) : "last week"}.`,
    );
  return { warnings, incomplete, notes };
}
