import { z } from "zod";
import { toMajorUnits } from "../base/format.ts";
import type { KpiResult, Values } from "./types.ts";

/**
 * The machine-readable result behind a KPI answer (`lift run "…" --json`
 * prints it as the Report's `data`). Money is in major units of the currency
 * (12.5 is $12.50), rates are fractions (0.034 is 3.4 %), changes are relative
 * (−0.12 is −12 %); null is "no data", never zero.
 */
export const kpiDataSchema = z.object({
  schema: z.literal("kpi/1"),
  period: z.object({
    label: z.string(),
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    partial: z.boolean(),
  }),
  comparison: z.object({ label: z.string(), from: z.string(), to: z.string() }).nullable(),
  currency: z.string(),
  /** none, channel, campaign, day, week, month, or a scope's word ("segment"). */
  breakdown: z.string(),
  filter: z
    .object({
      channel: z.string().optional(),
      campaignId: z.string().optional(),
      /** A segment's name: its members as of the last recompute (today's membership). */
      segment: z.string().optional(),
    })
    .catchall(z.string()),
  metrics: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      format: z.enum(["count", "money", "percent", "multiple"]),
      value: z.number().nullable(),
      previous: z.number().nullable(),
      change: z.number().nullable(),
    }),
  ),
  groups: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      values: z.record(z.string(), z.number().nullable()),
      previous: z.record(z.string(), z.number().nullable()).nullable(),
    }),
  ),
  warnings: z.array(z.string()),
});

export type KpiData = z.infer<typeof kpiDataSchema>;

/** A KPI result as `kpi/1` data. */
export function kpiData(result: KpiResult): KpiData {
  const { metrics, currency } = result;
  const value = (key: string, v: number | null | undefined): number | null => {
    if (v === null || v === undefined) return null;
    return metrics.find((m) => m.key === key)?.format === "money" ? toMajorUnits(v, currency) : v;
  };
  const values = (vs: Values) => Object.fromEntries(metrics.map((m) => [m.key, value(m.key, vs[m.key])]));
  return {
    schema: "kpi/1",
    period: {
      label: result.period.label,
      from: result.period.from,
      to: result.period.to,
      timeZone: result.timeZone,
      partial: result.period.partial,
    },
    comparison: result.comparison
      ? { label: result.comparison.label, from: result.comparison.from, to: result.comparison.to }
      : null,
    currency,
    breakdown: result.query.by,
    filter: {
      ...(result.query.filter.channel ? { channel: result.query.filter.channel } : {}),
      ...(result.query.filter.campaignId ? { campaignId: result.query.filter.campaignId } : {}),
      ...(result.query.filter.scopes ?? {}),
    },
    metrics: metrics.map((m) => ({
      key: m.key,
      label: m.label,
      format: m.format,
      value: value(m.key, result.totals.current[m.key]),
      previous: result.totals.previous ? value(m.key, result.totals.previous[m.key]) : null,
      change: result.totals.change[m.key] ?? null,
    })),
    groups: result.groups.map((g) => ({
      key: g.key,
      label: g.label,
      values: values(g.current),
      previous: g.previous ? values(g.previous) : null,
    })),
    warnings: result.warnings,
  };
}
