import { type ExperimentRow, getExperiment, listExperiments } from "../../../db/experiments/queries.ts";
import { saveExperiment } from "../../../db/experiments/writes.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import type { Subscription } from "../../platform/subscriptions/subscriptions.ts";
import {
  analyseExperiment,
  DEFAULT_DECISION,
  type DecisionSettings,
  type ExperimentResult,
  type MetricKind,
  type VariantFigures,
} from "./analysis.ts";
import { analyseExposures, analyseImported } from "./exposure-analysis.ts";

/*
 * Experiments as the platform stores them, read into figures and analysed.
 * Two sources: exposures kept by the ingest transaction (Experiment Viewed
 * events, with goal events of the same people), and per-user results
 * imported from another tool (or the demo).
 */

const DAY_MS = 86_400_000;
/** CUPED's covariate: the same metric in this long before a person's first exposure. */
export const CUPED_LOOKBACK_MS = 30 * DAY_MS;
/** The event an order is (Segment's e-commerce spec). */
export const ORDER_EVENT = "Order Completed";

export interface VariantPlan {
  id: string;
  weight: number;
}

/** An experiment's settings, read from its row with the defaults filled in. */
export interface ExperimentConfig {
  row: ExperimentRow;
  variants: VariantPlan[];
  control: string;
  /** "orders", "revenue", or the event people convert to. */
  goal: string;
  metric: MetricKind;
  guardrails: string[];
  settings: DecisionSettings;
}

/** One day of the cumulative result: the lift of each treatment so far and its always-valid band. */
export interface DailyPoint {
  day: string;
  lifts: Record<string, { estimate: number; low: number; high: number } | null>;
}

export interface GuardrailResult {
  event: string;
  /** Rate per variant (share of people who did it). */
  rates: Record<string, number>;
  /** Relative change of each treatment against control, with its 95 % interval. */
  changes: Record<string, { estimate: number; ci: [number, number]; pValue: number }>;
}

export interface Analysis {
  config: ExperimentConfig;
  result: ExperimentResult;
  daily: DailyPoint[];
  guardrails: GuardrailResult[];
  /** First and last day of the figures, in the reporting time zone. */
  from: string | null;
  to: string | null;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The conventional control among ids Lift saw: "control", GrowthBook's "0", "A", else the first. */
export function defaultControl(ids: string[]): string {
  const lower = ids.map((id) => id.toLowerCase());
  for (const name of ["control", "0", "a", "baseline", "original"]) {
    const i = lower.indexOf(name);
    if (i >= 0) return ids[i]!;
  }
  return [...ids].sort()[0] ?? "control";
}

/** Orders and revenue per person are means; any other goal is a conversion (a share of people). */
export function metricOf(goal: string): MetricKind {
  return goal === "orders" || goal === "revenue" ? "mean" : "conversion";
}

/** Nearest-rank percentile of the positive values (the cap on one person's revenue or orders). */
export function capAt(values: number[], percentile: number): number {
  const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (positive.length === 0) return Number.POSITIVE_INFINITY;
  const rank = Math.max(1, Math.ceil(percentile * positive.length));
  return positive[rank - 1]!;
}

/** The result of an experiment's figures, with its plan and decision settings. */
export function analyseFigures(
  config: ExperimentConfig,
  variants: VariantFigures[],
  excluded: number,
  daysRunning: number,
): ExperimentResult {
  return analyseExperiment({
    id: config.row.id,
    status: config.row.status,
    metric: config.metric,
    control: config.control,
    split: Object.fromEntries(config.variants.map((v) => [v.id, v.weight])),
    variants,
    excluded,
    daysRunning,
    settings: config.settings,
  });
}

/** The experiments capability's settings. */
export interface ExperimentsSettings {
  /** Where experiment alerts go when an experiment names no channel; the console's feed when unset. */
  LIFT_EXPERIMENTS_CHANNEL?: string | undefined;
}

export class Experiments {
  readonly platform: PlatformApi;

  constructor(private readonly context: CapabilityContext<ExperimentsSettings>) {
    this.platform = context.platform;
  }

  private get db() {
    return this.context.tables;
  }

  /** The capability's tables, for its db/ functions. */
  get tables() {
    return this.context.tables;
  }

  async list(): Promise<ExperimentRow[]> {
    return listExperiments(this.db);
  }

  /** The experiment, or an error that names the ones there are. */
  async get(id: string): Promise<ExperimentRow> {
    const row = await getExperiment(this.db, id);
    if (row) return row;
    const known = (await this.list()).map((e) => e.id);
    throw new AppError("not_found", `There is no experiment “${id}”`, {
      hint:
        known.length > 0
          ? `experiments: ${known.slice(0, 8).join(", ")}`
          : "none yet: Lift makes one when Experiment Viewed events arrive, or `lift experiments import`",
      suggestions: known.slice(0, 3).map((k) => `experiment ${k}`),
    });
  }

  config(row: ExperimentRow, seen: string[]): ExperimentConfig {
    const planned = parseJson<VariantPlan[]>(row.variants, []);
    const ids = [...planned.map((v) => v.id)];
    for (const id of seen) if (!ids.includes(id)) ids.push(id);
    const variants = ids.map((id) => ({ id, weight: planned.find((v) => v.id === id)?.weight ?? 1 }));
    const control = row.control && ids.includes(row.control) ? row.control : defaultControl(ids);
    // Control first, then the treatments in order.
    variants.sort((a, b) => (a.id === control ? -1 : b.id === control ? 1 : 0));
    const overrides = parseJson<Partial<DecisionSettings>>(row.settings, {});
    return {
      row,
      variants,
      control,
      goal: row.goal,
      metric: metricOf(row.goal),
      guardrails: parseJson<string[]>(row.guardrails, []),
      settings: { ...DEFAULT_DECISION, mde: row.mde, ...overrides },
    };
  }

  /** Everything about one experiment as of `now`: its result, its days, its guardrails. */
  async analyse(id: string, now = this.platform.now()): Promise<Analysis> {
    const row = await this.get(id);
    return row.source === "import" ? analyseImported(this, row, now) : analyseExposures(this, row, now);
  }

  /** Where an experiment's alerts go: its channel, else LIFT_EXPERIMENTS_CHANNEL, else the console's feed. */
  alertChannel(row: ExperimentRow): string {
    return row.channel ?? this.context.settings.LIFT_EXPERIMENTS_CHANNEL ?? "console";
  }

  private async alertsOf(id: string): Promise<Subscription[]> {
    return (await this.platform.schedules.list({ kind: "alert" })).filter(
      (s) =>
        s.options.kind === "alert" &&
        s.options.rule.kind === "experiment" &&
        s.options.rule["experimentId"] === id,
    );
  }

  /**
   * A running experiment has exactly one alert subscription, to its channel
   * (made when the experiment is first seen or its channel changes); a
   * shipped or stopped one has none. Returns the subscription, if any.
   */
  async ensureAlert(row: ExperimentRow, actor: string): Promise<Subscription | null> {
    const existing = await this.alertsOf(row.id);
    const channel = this.alertChannel(row);
    if (row.status !== "running") {
      for (const s of existing) await this.platform.schedules.remove(s.id, actor);
      return null;
    }
    const kept = existing.find((s) => s.channel === channel) ?? null;
    for (const s of existing) if (s !== kept) await this.platform.schedules.remove(s.id, actor);
    if (kept) return kept;
    const created = await this.platform.schedules.createAlert({
      channel,
      owner: row.owner ?? actor,
      rule: { kind: "experiment", experimentId: row.id },
    });
    if (row.snoozedUntil && row.snoozedUntil > this.platform.now())
      await this.platform.schedules.mute(created.id, row.snoozedUntil, actor);
    return created;
  }

  /** Mutes the experiment's alerts until `until` (and keeps it on the row for a re-made subscription). */
  async snooze(row: ExperimentRow, until: number, actor: string): Promise<void> {
    await this.update(
      { ...row, snoozedUntil: until },
      actor,
      "experiment.snooze",
      `alerts snoozed until ${new Date(until).toISOString()}`,
    );
    const subscription = await this.ensureAlert({ ...row, snoozedUntil: until }, actor);
    if (subscription) await this.platform.schedules.mute(subscription.id, until, actor);
  }

  /** Notes a new verdict (for the digest's "changed" list); true when it changed. */
  async recordVerdict(row: ExperimentRow, verdict: string, now: number): Promise<boolean> {
    if (row.verdict === verdict) return false;
    await saveExperiment(this.db, { ...row, verdict, verdictAt: now, updatedAt: now });
    return true;
  }

  /** Changes an experiment and records who did it and when. */
  async update(row: ExperimentRow, actor: string, action: string, detail: string): Promise<void> {
    const now = this.platform.now();
    await saveExperiment(this.db, { ...row, updatedAt: now });
    await this.platform.audit(actor, action, `${row.id}: ${detail}`);
  }
}
