import { z } from "zod";
import {
  type ExperimentDefinition,
  type ResultRowWrite,
  writeDefinitions,
  writeResultRows,
} from "../../../db/experiments/writes.ts";
import {
  cell,
  type DataKind,
  optionalText,
  parseNumber,
  readRow,
  requiredText,
} from "../../platform/ingest/index.ts";

/*
 * Two kinds of experiment data: definitions (what is tested, how it is
 * judged) and per-user results from another tool. Both can be imported
 * (`lift import experiments FILE`, `lift experiments import ID FILE`) and the
 * demo writes its experiments through them.
 */

const definitionSchema = z.object({
  id: requiredText(200),
  name: optionalText(200),
  hypothesis: optionalText(1000),
  variants: optionalText(500),
  control: optionalText(100),
  goal: optionalText(200),
  guardrails: optionalText(1000),
  mde: cell,
  owner: optionalText(64),
  channel: optionalText(64),
  start: cell,
  end: cell,
  status: optionalText(16),
  updated_at: cell,
});

/** "A:50,B:50", "A/B", "control,treatment" → variants with weights (equal when none are given). */
export function parseVariants(text: string): { id: string; weight: number }[] | { error: string } {
  const parts = text
    .split(/[,;/|]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return { error: `variants "${text}" needs at least two (A:50,B:50)` };
  const variants = parts.map((part) => {
    const [id, weight] = part.split(":").map((s) => s.trim());
    return { id: id!, weight: weight === undefined || weight === "" ? 1 : Number(weight) };
  });
  if (variants.some((v) => !v.id || !(v.weight > 0)))
    return { error: `variants "${text}" has an empty name or a weight that is not a positive number` };
  if (new Set(variants.map((v) => v.id)).size !== variants.length)
    return { error: `variants "${text}" names one twice` };
  return variants;
}

function ratio(value: unknown, field: string): { value: number | null } | { error: string } {
  if (value === undefined || value === null || value === "") return { value: null };
  const text = String(value).trim();
  const n = parseNumber(text.replace(/%$/, ""));
  if (!n.ok) return { error: `${field} ${n.error}` };
  const r = text.endsWith("%") || n.value >= 1 ? n.value / 100 : n.value;
  if (!(r > 0 && r < 1)) return { error: `${field} ${text} is not a share between 0 and 100 %` };
  return { value: r };
}

const STATUSES = new Set(["draft", "running", "stopped", "shipped"]);

/** Experiment definitions: id, name, hypothesis, variants with the planned split, control, goal, MDE, channel, dates. */
export const experimentsKind: DataKind<ExperimentDefinition> = {
  name: "experiments",
  source: "experiments",
  aliases: {
    id: ["id", "experiment_id", "experiment", "key", "tracking_key"],
    name: ["name", "experiment_name", "title"],
    hypothesis: ["hypothesis", "description"],
    variants: ["variants", "variations", "arms", "split"],
    control: ["control", "baseline", "control_variant"],
    goal: ["goal", "goal_metric", "metric", "primary_metric"],
    guardrails: ["guardrails", "guardrail_metrics", "secondary_metrics"],
    mde: ["mde", "minimum_detectable_effect"],
    owner: ["owner"],
    channel: ["channel", "slack_channel"],
    start: ["start", "start_date", "started_at", "start_at"],
    end: ["end", "end_date", "ended_at", "end_at"],
    status: ["status", "state"],
    updated_at: ["updated_at", "modified_at"],
  },
  otherColumns: "ignore",
  fields:
    "`id`, `name`, `hypothesis`, `variants` (A:50,B:50), `control`, `goal` (orders, revenue or an event), `guardrails` (events, comma-separated), `mde` (5%), `owner`, `channel` (a Slack channel id), `start`, `end`, `status`",
  normalize(input, context) {
    const parsed = readRow(definitionSchema, input);
    if ("error" in parsed) return parsed;
    const row = parsed.value;
    let variants: { id: string; weight: number }[] | null = null;
    if (row.variants) {
      const read = parseVariants(row.variants);
      if ("error" in read) return read;
      variants = read;
    }
    const mde = ratio(row.mde, "mde");
    if ("error" in mde) return mde;
    const start = context.optionalTime(row.start, "start", true);
    if ("error" in start) return start;
    const end = context.optionalTime(row.end, "end", true);
    if ("error" in end) return end;
    const updated = context.optionalTime(row.updated_at, "updated_at");
    if ("error" in updated) return updated;
    const status = row.status?.toLowerCase() ?? null;
    if (status && !STATUSES.has(status))
      return { error: `status ${row.status} is not draft, running, stopped or shipped` };
    if (row.channel && !/^([CG][A-Z0-9]{2,}|console)$/.test(row.channel))
      return { error: `channel ${row.channel} is not a Slack channel id (C024BE91L) or console` };
    if (row.control && variants && !variants.some((v) => v.id === row.control))
      return {
        error: `control ${row.control} is not one of the variants (${variants.map((v) => v.id).join(", ")})`,
      };
    const goal = row.goal
      ? /^orders?$/i.test(row.goal)
        ? "orders"
        : /^revenue$/i.test(row.goal)
          ? "revenue"
          : row.goal
      : null;
    return {
      value: {
        id: row.id,
        name: row.name ?? null,
        hypothesis: row.hypothesis ?? null,
        variants,
        control: row.control ?? null,
        goal,
        guardrails: row.guardrails
          ? row.guardrails
              .split(",")
              .map((g) => g.trim())
              .filter(Boolean)
          : null,
        mde: mde.value,
        owner: row.owner ?? null,
        channel: row.channel ?? null,
        startAt: start.value,
        endAt: end.value,
        status: (status as ExperimentDefinition["status"]) ?? null,
        updatedAt: updated.value ?? context.receivedAt,
      },
    };
  },
  write: (tables, rows, options) => writeDefinitions(tables, rows, options, "events"),
};

const resultSchema = z.object({
  experiment_id: requiredText(200),
  user_id: requiredText(256),
  variant: requiredText(100),
  converted: cell,
  revenue: cell,
  exposed_at: cell,
  converted_at: cell,
});

const YES = /^(true|yes|y)$/i;
const NO = /^(false|no|n)$/i;

/** converted: 0/1, true/false, yes/no, or a count (orders). */
export function conversions(value: unknown): { value: number } | { error: string } {
  if (value === undefined || value === null || value === "") return { value: 0 };
  if (typeof value === "boolean") return { value: value ? 1 : 0 };
  const text = String(value).trim();
  if (YES.test(text)) return { value: 1 };
  if (NO.test(text)) return { value: 0 };
  const n = parseNumber(text);
  if (!n.ok || !Number.isInteger(n.value) || n.value < 0)
    return { error: `converted ${JSON.stringify(value)} is not 0/1, true/false, yes/no or a whole count` };
  return { value: n.value };
}

export const RESULT_ALIASES = {
  experiment_id: ["experiment_id", "experiment", "experiment_key"],
  user_id: [
    "user_id",
    "userid",
    "user",
    "id",
    "visitor_id",
    "customer_id",
    "unit_id",
    "unit",
    "anonymous_id",
  ],
  variant: ["variant", "variation", "variation_id", "variant_id", "group", "arm", "bucket", "treatment"],
  converted: ["converted", "conversion", "conversions", "orders", "purchased", "success", "goal"],
  revenue: ["revenue", "value", "amount", "sales", "order_value"],
  exposed_at: [
    "exposed_at",
    "first_exposure",
    "first_exposure_at",
    "assigned_at",
    "timestamp",
    "exposure_time",
  ],
  converted_at: ["converted_at", "conversion_time", "first_conversion_at"],
};

/** Per-user results of an experiment run elsewhere: user, variant, conversions, revenue (and times, when known). */
export const experimentResultsKind: DataKind<ResultRowWrite> = {
  name: "experiment_results",
  source: "experiments",
  aliases: RESULT_ALIASES,
  otherColumns: "ignore",
  fields:
    "`experiment_id`, `user_id`, `variant`, `converted` (0/1, yes/no or a count), `revenue`, `exposed_at`, `converted_at` (both optional)",
  normalize(input, context) {
    const parsed = readRow(resultSchema, input);
    if ("error" in parsed) return parsed;
    const row = parsed.value;
    if (row.variant === "*")
      return { error: 'variant "*" is reserved (Lift marks people seen in two variants with it)' };
    const converted = conversions(row.converted);
    if ("error" in converted) return converted;
    let revenue = 0;
    if (row.revenue !== undefined && row.revenue !== null && row.revenue !== "") {
      const n = parseNumber(
        typeof row.revenue === "number" ? row.revenue : String(row.revenue).replace(/^[$€£]/, ""),
      );
      if (!n.ok) return { error: `revenue ${n.error}` };
      if (n.value < 0)
        return { error: `revenue ${n.value} is negative: refunds belong in a guardrail, not the goal` };
      revenue = n.value;
    }
    const exposed = context.optionalTime(row.exposed_at, "exposed_at");
    if ("error" in exposed) return exposed;
    const convertedAt = context.optionalTime(row.converted_at, "converted_at");
    if ("error" in convertedAt) return convertedAt;
    return {
      value: {
        experimentId: row.experiment_id,
        user: row.user_id,
        variant: row.variant,
        converted: converted.value,
        revenue,
        exposedAt: exposed.value,
        convertedAt: convertedAt.value,
      },
    };
  },
  write: (tables, rows, options) => writeResultRows(tables, rows, options, options?.receivedAt ?? Date.now()),
};
