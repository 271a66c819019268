import { z } from "zod";
import { formatChange, formatCount, formatDay, formatPercent } from "../../platform/base/format.ts";
import type { ChartSpec } from "../../platform/charts/spec.ts";
import { answerFreshness, type FreshnessInfo } from "../../platform/metrics/freshness.ts";
import { channelRef } from "../../platform/reports/refs.ts";
import type { Action, Report, Table } from "../../platform/reports/report.ts";
import type { Comparison, ExperimentResult, Verdict } from "./analysis.ts";
import type { Analysis } from "./service.ts";

/** The zod schema of an experiment answer's `data` (`experiment/1`): scripts parse `lift run --json` with it. */
const interval = z.tuple([z.number(), z.number()]);
const estimate = z.object({ estimate: z.number(), ci: interval, pValue: z.number() });
export const experimentDataSchema = z.object({
  schema: z.literal("experiment/1"),
  id: z.string(),
  status: z.string(),
  metric: z.enum(["conversion", "mean"]),
  variants: z.array(
    z.object({
      id: z.string(),
      users: z.number().int(),
      conversions: z.number(),
      rate: z.number().nullable(),
      mean: z.number(),
    }),
  ),
  excluded: z.number().int(),
  comparisons: z.array(
    z.object({
      variant: z.string(),
      control: z.string(),
      absolute: estimate,
      relative: estimate,
      bayes: z.object({ chanceToWin: z.number(), risk: interval }),
      sequential: z.object({ ci: interval, pValue: z.number(), significant: z.boolean() }),
      pValueHolm: z.number(),
      cuped: z.object({ theta: z.number(), varianceReduction: z.number() }).nullable(),
    }),
  ),
  srm: z.object({ pValue: z.number(), ok: z.boolean() }),
  power: z.object({ neededPerVariant: z.number().nullable(), daysLeft: z.number().nullable() }),
  decision: z.object({
    verdict: z.enum(["keep_running", "ship", "stop_no_effect", "stop_harm", "check_srm"]),
    variant: z.string().nullable(),
    reason: z.string(),
  }),
});

export const VERDICT_WORDS: Record<Verdict, string> = {
  keep_running: "keep running",
  ship: "ship",
  stop_no_effect: "no effect likely",
  stop_harm: "stop: harm",
  check_srm: "check the split",
};

const lift = (x: number) => formatChange(x);

/** The comparison a sentence leads with: the shipped or winning variant, else the biggest lift. */
export function leading(result: ExperimentResult): Comparison | null {
  const chosen = result.comparisons.find((c) => c.variant === result.decision.variant);
  if (chosen) return chosen;
  return [...result.comparisons].sort((a, b) => b.relative.estimate - a.relative.estimate)[0] ?? null;
}

function goalWords(goal: string, metric: "conversion" | "mean"): { noun: string } {
  if (goal === "orders") return { noun: "orders per person" };
  if (goal === "revenue") return { noun: "revenue per person" };
  if (goal === "converted") return { noun: "conversion" };
  if (metric === "conversion") return { noun: `conversion to ${goal}` };
  return { noun: goal };
}

/** A chance as people read it: never a flat 100 % or 0 % for what is only very likely. */
export function chanceText(p: number): string {
  if (p >= 0.999) return ">99.9%";
  if (p <= 0.001) return "<0.1%";
  return formatPercent(p, p >= 0.99 || p <= 0.01 ? 1 : 0);
}

function pText(p: number): string {
  return p < 0.0001 ? "<0.0001" : p.toFixed(4);
}

/** "B converts 8.1 % better than A (95 % CI +2.3 % to +14 %); 97 % chance to win; safe to ship." */
export function verdictSentence(analysis: Analysis): string {
  const { result, config } = analysis;
  const words = goalWords(config.goal, config.metric);
  const lead = leading(result);
  const chance = lead ? `${chanceText(lead.bayes.chanceToWin)} chance to win` : "";
  const verdict = result.decision;
  if (verdict.verdict === "check_srm" || !lead) return verdict.reason;
  const ci = `always-valid 95 % CI ${lift(lead.sequential.ci[0])} to ${lift(lead.sequential.ci[1])}`;
  const size = formatPercent(Math.abs(lead.relative.estimate), 1);
  const up = lead.relative.estimate >= 0;
  const claim =
    config.metric === "conversion"
      ? `${lead.variant} converts ${size} ${up ? "better" : "worse"} than ${lead.control}${config.goal === "converted" ? "" : ` (to ${config.goal})`}`
      : `${lead.variant} gets ${size} ${up ? "more" : "fewer"} ${words.noun} than ${lead.control}`;
  const action: Record<Verdict, string> = {
    ship: `safe to ship ${lead.variant}`,
    stop_harm: `stop it and keep ${lead.control}`,
    stop_no_effect: "no effect likely: stop and keep the control",
    keep_running: "not decided yet: keep it running",
    check_srm: "",
  };
  return `${claim} (${ci}); ${chance}; ${action[verdict.verdict]}.`;
}

function valueText(metric: "conversion" | "mean", goal: string, value: number): string {
  if (metric === "conversion") return formatPercent(value, 2);
  return goal === "revenue" ? value.toFixed(2) : value.toFixed(3);
}

function table(analysis: Analysis): Table {
  const { result, config } = analysis;
  const byVariant = new Map(result.comparisons.map((c) => [c.variant, c]));
  const rows = result.variants.map((v) => {
    const c = byVariant.get(v.id);
    return [
      v.id === config.control && v.id.toLowerCase() !== "control" ? `${v.id} (control)` : v.id,
      v.users,
      v.conversions,
      valueText(config.metric, config.goal, v.mean),
      c ? c.relative.estimate : null,
      c ? `${lift(c.relative.ci[0])} to ${lift(c.relative.ci[1])}` : null,
      c ? `${lift(c.sequential.ci[0])} to ${lift(c.sequential.ci[1])}` : null,
      c ? chanceText(c.bayes.chanceToWin) : null,
      c ? pText(c.pValueHolm) : null,
    ];
  });
  return {
    columns: [
      { key: "variant", label: "Variant", format: "text" },
      { key: "users", label: "People", format: "count" },
      { key: "converted", label: config.metric === "conversion" ? "Converted" : "With any", format: "count" },
      {
        key: "value",
        label:
          config.metric === "conversion"
            ? "Rate"
            : config.goal === "revenue"
              ? "Revenue / person"
              : "Orders / person",
        format: "text",
      },
      { key: "lift", label: "Lift", format: "change", better: "up" },
      { key: "ci", label: "95 % CI", format: "text" },
      { key: "sequential", label: "Always-valid CI", format: "text" },
      { key: "chance", label: "Chance to win", format: "text" },
      { key: "p", label: result.comparisons.length > 1 ? "p (Holm)" : "p", format: "text" },
    ],
    rows,
  };
}

/** The cumulative relative lift per day with its always-valid band (for the leading treatment). */
export function liftChart(analysis: Analysis): ChartSpec | null {
  const { daily, result, config } = analysis;
  if (daily.length < 2) return null;
  const lead = leading(result)?.variant ?? config.variants[1]?.id;
  if (!lead) return null;
  const treatments = config.variants.filter((v) => v.id !== config.control).map((v) => v.id);
  return {
    kind: "line",
    title: `${config.row.name} · cumulative lift vs ${config.control}`,
    labels: daily.map((d) => formatDay(d.day, { short: true })),
    series: treatments.map((t) => ({
      name: `${t} vs ${config.control}`,
      values: daily.map((d) => d.lifts[t]?.estimate ?? null),
    })),
    format: "percent",
    band: {
      name: `${lead}: always-valid 95 % band`,
      low: daily.map((d) => d.lifts[lead]?.low ?? null),
      high: daily.map((d) => d.lifts[lead]?.high ?? null),
    },
  };
}

/** Buttons for an admin: ship the winner (or the leader), stop, snooze the alerts a week. */
export function experimentActions(analysis: Analysis): Action[] {
  const { config, result } = analysis;
  if (config.row.status !== "running") return [];
  const id = config.row.id;
  const candidate = result.decision.variant ?? leading(result)?.variant ?? null;
  const actions: Action[] = [];
  if (candidate)
    actions.push({
      id: `experiment_ship_${id}`,
      label: `Ship ${candidate}`,
      command: `experiment ship ${id} ${candidate}`,
      style: "primary",
      confirm: {
        title: `Ship ${candidate}?`,
        text: `Marks ${config.row.name} shipped with ${candidate} and stops its alerts. Lift changes no traffic: roll it out in your tool.`,
        confirm: `Ship ${candidate}`,
        deny: "Cancel",
      },
    });
  actions.push(
    {
      id: `experiment_stop_${id}`,
      label: "Stop",
      command: `experiment stop ${id}`,
      style: "danger",
      confirm: {
        title: "Stop the experiment?",
        text: `Marks ${config.row.name} stopped (no variant shipped) and stops its alerts.`,
        confirm: "Stop",
        deny: "Cancel",
      },
    },
    {
      id: `experiment_snooze_${id}`,
      label: "Snooze alerts 7 days",
      command: `experiment snooze ${id} 7d`,
      confirm: {
        title: "Snooze for 7 days?",
        text: `No alerts about ${config.row.name} for a week; the results stay up to date.`,
        confirm: "Snooze",
        deny: "Cancel",
      },
    },
  );
  return actions;
}

/** One experiment as an answer: the sentence, a row per variant, the lift over days, the warnings. */
export function experimentReport(analysis: Analysis, freshness: FreshnessInfo, timeZone: string): Report {
  const { result, config, guardrails } = analysis;
  const row = config.row;
  const warnings: string[] = [];
  if (!result.srm.ok)
    warnings.push(
      `Sample ratio mismatch: ${result.variants.map((v) => `${v.id} ${formatCount(v.users)}`).join(", ")} against a planned ${config.variants.map((v) => v.weight).join("/")} split (p ${result.srm.pValue.toExponential(1)}). The assignment is broken: fix it before trusting any result.`,
    );
  if (result.excluded > 0)
    warnings.push(`${formatCount(result.excluded)} people saw more than one variant and are left out.`);
  for (const g of guardrails)
    for (const [variant, change] of Object.entries(g.changes))
      if (change.ci[0] > 0 || change.ci[1] < 0)
        warnings.push(
          `Guardrail ${g.event}: ${variant} ${lift(change.estimate)} against ${config.control} (95 % CI ${lift(change.ci[0])} to ${lift(change.ci[1])}).`,
        );
  if (result.variants.length < 2)
    warnings.push("Only one variant has been seen so far: nothing to compare yet.");
  const lead = leading(result);
  const details: string[] = [];
  if (result.power.neededPerVariant !== null)
    details.push(
      `Power: ${formatCount(result.power.neededPerVariant)} people per variant find a ${formatPercent(config.settings.mde, 0)} lift 80 % of the time${result.power.daysLeft ? `; about ${result.power.daysLeft} more days at the current traffic` : result.power.daysLeft === 0 ? "; reached" : ""}.`,
    );
  if (lead?.cuped)
    details.push(
      `CUPED: the same metric in the 30 days before exposure removed ${formatPercent(lead.cuped.varianceReduction, 0)} of the variance (θ ${lead.cuped.theta.toFixed(3)}); the lifts above are adjusted.`,
    );
  for (const g of guardrails)
    details.push(
      `Guardrail ${g.event}: ${Object.entries(g.rates)
        .map(([v, rate]) => `${v} ${formatPercent(rate, 2)}`)
        .join(", ")} (shown, not decided on).`,
    );
  details.push(
    `Decided by the always-valid (sequential) test, tuning ${formatCount(config.settings.tuning)}, after at least ${config.settings.minDays} days and ${formatCount(config.settings.minPerVariant)} people per variant; results stay valid however often they are read.`,
  );
  const chart = liftChart(analysis);
  const from = analysis.from;
  const to = analysis.to;
  const days = daysOf(analysis);
  return {
    kind: "experiment",
    title: `Experiment · ${row.name}`,
    scope: row.name === row.id ? row.id : `${row.name} (${row.id})`,
    summary: verdictSentence(analysis),
    ...(from && to
      ? {
          period: {
            label: `${days} days running`,
            from,
            to,
            timeZone,
            partial: row.status === "running",
          },
        }
      : {}),
    freshness: answerFreshness(freshness),
    facts: [
      { label: "Verdict", value: VERDICT_WORDS[result.decision.verdict] },
      {
        label: "Status",
        value: row.status === "shipped" && row.shippedVariant ? `shipped ${row.shippedVariant}` : row.status,
      },
      { label: "Goal", value: goalWords(config.goal, config.metric).noun },
      { label: "People", value: formatCount(result.variants.reduce((s, v) => s + v.users, 0)) },
      ...(lead
        ? [{ label: "Chance to win", value: formatPercent(lead.bayes.chanceToWin, 0), note: lead.variant }]
        : []),
      { label: "Alerts to", value: row.channel ? channelRef(row.channel) : "the default channel" },
    ],
    table: table(analysis),
    charts: chart ? [chart] : [],
    actions: experimentActions(analysis),
    warnings,
    details,
    data: result as unknown as Report["data"],
  };
}

function daysOf(analysis: Analysis): number {
  if (!analysis.from || !analysis.to) return 0;
  return (Date.parse(analysis.to) - Date.parse(analysis.from)) / 86_400_000 + 1;
}
