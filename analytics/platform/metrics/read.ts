import {
  type BaseFigures,
  type DayRange,
  type MetricFilter as DbFilter,
  emptyFigures,
  type FigureParts,
  figuresFromRaw,
  figuresFromRollups,
  type Grain,
  type SqlPart,
} from "../../../db/platform/queries/metrics.ts";
import { AppError } from "../base/errors.ts";
import type { MetricDefinition } from "./definitions.ts";
import type { MetricsDeps } from "./kpis.ts";
import type { KpiQuery, Values } from "./types.ts";

const PEOPLE_METRICS = new Set(["visitors", "conversion_rate"]);

/** Only the queries the metrics need: distinct people are the costly one. */
export function partsFor(metrics: MetricDefinition[]): FigureParts {
  return {
    people: metrics.some((m) => PEOPLE_METRICS.has(m.key)),
    events: metrics.some((m) => m.needs.includes("events") && !PEOPLE_METRICS.has(m.key)),
    orders: metrics.some((m) => m.needs.includes("orders")),
    spend: metrics.some((m) => m.needs.includes("spend")),
  };
}

export function valuesOf(
  metrics: MetricDefinition[],
  figures: BaseFigures | undefined,
  missing: Set<string>,
): Values {
  const values: Values = {};
  for (const metric of metrics) {
    values[metric.key] = metric.needs.some((need) => missing.has(need))
      ? null
      : metric.compute(figures ?? emptyFigures());
  }
  return values;
}

/** Reads figures per group of a range: the rollups, or raw rows between two instants (today so far). */
export type FigureReader = (
  range: DayRange,
  grain: Grain,
  raw: { fromMs: number; toMs: number } | null,
  scopeKey?: SqlPart,
) => Promise<Map<string, BaseFigures>>;

/**
 * The figures a question reads, with the metric sources it asked for (`including deals`) added to
 * orders and revenue group by group.
 */
export function figureReader(
  deps: MetricsDeps,
  query: KpiQuery,
  filter: DbFilter,
  parts: FigureParts,
): FigureReader {
  const included = deps.sources.filter((s) => query.include?.includes(s.word));
  for (const word of query.include ?? [])
    if (!deps.sources.some((s) => s.word === word))
      throw new AppError("invalid_input", `Lift has no “${word}” to include`, {
        hint:
          deps.sources.length > 0
            ? `it can include ${deps.sources.map((s) => s.word).join(", ")}`
            : "no other records are connected",
      });
  return async (range, grain, raw, scopeKey) => {
    const figures = raw
      ? await figuresFromRaw(deps.db, raw, range, grain, filter, parts, scopeKey)
      : await figuresFromRollups(deps.db, range, grain, filter, parts, scopeKey);
    if (included.length === 0 || !parts.orders) return figures;
    if (grain === "scope")
      throw new AppError(
        "invalid_input",
        `${included.map((s) => s.word).join(", ")} cannot be read by a group of customers`,
        {
          hint: "leave out `including …`, or break down by channel or campaign",
        },
      );
    for (const source of included) {
      for (const [key, extra] of await source.read(range, grain, filter)) {
        const group = figures.get(key) ?? emptyFigures();
        figures.set(key, group);
        group.orders += extra.orders;
        group.revenueMinor += extra.revenueMinor;
      }
    }
    return figures;
  };
}
