import { z } from "zod";
import { CHANNELS } from "../../platform/ingest/channel.ts";
import { METRICS } from "../../platform/metrics/definitions.ts";
import { readKpiQuestion } from "../../platform/metrics/grammar.ts";
import { queryText } from "../../platform/metrics/query-text.ts";

/**
 * What a language model may call: one typed tool per capability, each a zod
 * schema (validated when called, and the JSON schema sent to the model) and
 * the Lift command it stands for. Tools, not SQL: every answer is a command's
 * Report, rendered as every command's is.
 */
export interface Tool<T = unknown> {
  name: string;
  description: string;
  schema: z.ZodType<T>;
  /** The command in Lift's language; throws an Error whose message goes back to the model. */
  command(args: T, today: string): string;
}

const metricKeys = METRICS.map((m) => m.key) as [string, ...string[]];
const period = z
  .string()
  .describe(
    'A period in Lift\'s words: "today", "yesterday", "last 7 days", "last week", "this month", "last month", "this quarter", "in october", "in q3 2026", "2026-11-01..2026-11-30", "since 2026-11-01".',
  );
const metric = z
  .string()
  .describe(
    `A metric key (${metricKeys.join(", ")}) or an event name in double quotes, e.g. "\\"Product Added\\""`,
  );
const channel = z.enum(CHANNELS).describe("A channel");

const words = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join(" ");
const quoteMetric = (m: string) =>
  metricKeys.includes(m) ? m.replace(/_/g, " ") : m.startsWith('"') ? m : `"${m}"`;

/** Builds a KPI question's words and checks that Lift reads them back as meant. */
function kpiText(
  args: {
    metrics: string[];
    period?: string | undefined;
    compare?: string | undefined;
    breakdown?: string | undefined;
    channel?: string | undefined;
    campaign?: string | undefined;
    segment?: string | undefined;
    rank?: { order: "top" | "bottom"; n?: number | undefined } | undefined;
  },
  today: string,
): string {
  const compare =
    args.compare === undefined || args.compare === "previous"
      ? undefined
      : args.compare === "last_year"
        ? "vs last year"
        : args.compare === "week_before"
          ? "vs same days a week before"
          : args.compare === "none"
            ? "no comparison"
            : `vs ${args.compare}`;
  const text = words(
    args.metrics.map(quoteMetric).join(" and "),
    args.period,
    args.breakdown && args.breakdown !== "none" && `by ${args.breakdown}`,
    args.rank && `${args.rank.order}${args.rank.n ? ` ${args.rank.n}` : ""}`,
    compare,
    args.channel && `for ${args.channel.replace(/_/g, " ")}`,
    args.campaign && `campaign "${args.campaign}"`,
    args.segment && `for segment "${args.segment}"`,
  );
  // The grammar's message (what it could not read) is what the model needs to correct itself.
  return queryText(readKpiQuestion(text, today).query);
}

const kpiArgs = z.object({
  metrics: z.array(metric).min(1).max(6),
  period: period.optional(),
  compare: z
    .string()
    .describe(
      'previous (default), last_year, week_before (same days a week before), none, or a range "YYYY-MM-DD..YYYY-MM-DD"',
    )
    .optional(),
  breakdown: z.enum(["none", "channel", "campaign", "segment", "day", "week", "month"]).optional(),
  channel: channel.optional(),
  campaign: z.string().describe("A campaign id or name").optional(),
  segment: z.string().describe("A segment name (RFM or saved), lower case").optional(),
  rank: z
    .object({ order: z.enum(["top", "bottom"]), n: z.number().int().min(1).max(100).optional() })
    .describe("Order a channel/campaign/segment breakdown by the first metric and keep n")
    .optional(),
});

export const TOOLS: Tool<any>[] = [
  {
    name: "kpi_query",
    description:
      "Any KPI for a period, compared with another period, broken down or filtered. Returns the figures.",
    schema: kpiArgs,
    command: (args: z.infer<typeof kpiArgs>, today) => `kpi ${kpiText(args, today)}`,
  },
  {
    name: "explain_change",
    description:
      "Why a metric moved: the change, whether it is beyond normal variation, drivers by channel and campaign (traffic, conversion, order value) and what else happened then.",
    schema: z.object({
      metric,
      period: period.optional(),
      channel: channel.optional(),
      campaign: z.string().optional(),
    }),
    command: (args: { metric: string; period?: string; channel?: string; campaign?: string }, today) =>
      `why ${kpiText({ metrics: [args.metric], period: args.period ?? "last 7 days", channel: args.channel, campaign: args.campaign }, today)}`,
  },
  {
    name: "funnel",
    description:
      "Conversion through ordered events (at least two), within a number of days, optionally by channel.",
    schema: z.object({
      steps: z
        .array(z.string().min(1))
        .min(2)
        .max(8)
        .describe('Event names, e.g. ["Product Added", "Order Completed"]'),
      within_days: z.number().int().min(1).max(90).optional(),
      period: period.optional(),
      by_channel: z.boolean().optional(),
    }),
    command: (args: { steps: string[]; within_days?: number; period?: string; by_channel?: boolean }) =>
      words(
        "funnel",
        args.steps.map((s) => `"${s.replace(/"/g, "")}"`).join(" > "),
        args.within_days !== undefined && `within ${args.within_days} days`,
        args.period,
        args.by_channel && "by channel",
      ),
  },
  {
    name: "budget_pacing",
    description: "Budget pacing of every campaign with a budget: on pace, over or under.",
    schema: z.object({}),
    command: () => "pacing",
  },
  {
    name: "experiment_result",
    description:
      "One A/B experiment's result and verdict (by id), or the list of experiments when no id is given.",
    schema: z.object({ id: z.string().optional() }),
    command: (args: { id?: string }) => (args.id ? `experiment ${args.id}` : "experiments"),
  },
  {
    name: "segment_profile",
    description:
      "One customer segment's profile, trend and changes (by name), or the RFM overview when no name is given.",
    schema: z.object({ name: z.string().optional() }),
    command: (args: { name?: string }) => (args.name ? `segment ${args.name.toLowerCase()}` : "segments"),
  },
  {
    name: "sentiment_summary",
    description:
      "Shares of positive, neutral and negative social mentions, their trend and what negative posts talk about.",
    schema: z.object({ topic: z.string().optional(), period: period.optional() }),
    command: (args: { topic?: string; period?: string }) => words("sentiment", args.topic, args.period),
  },
  {
    name: "mentions_search",
    description: "The latest social mentions, filtered by sentiment, a term, a platform and a period.",
    schema: z.object({
      sentiment: z.enum(["positive", "neutral", "negative"]).optional(),
      about: z.string().optional(),
      platform: z.enum(["reddit", "mastodon", "hackernews", "bluesky", "twitter", "rss"]).optional(),
      period: period.optional(),
    }),
    command: (args: { sentiment?: string; about?: string; platform?: string; period?: string }) =>
      words(
        "mentions",
        args.sentiment,
        args.period,
        args.platform && `on ${args.platform}`,
        args.about && `about ${args.about}`,
      ),
  },
  {
    name: "digest",
    description:
      "The digest now: KPIs, top channels and campaigns, anomalies and every capability's section.",
    schema: z.object({ weekly: z.boolean().optional() }),
    command: (args: { weekly?: boolean }) => (args.weekly ? "digest weekly" : "digest"),
  },
];

/** The tools as chat completions' `tools` parameter: JSON schemas from zod (not strict mode). */
export function toolDefinitions(): {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}[] {
  return TOOLS.map((tool) => {
    const { $schema: _, ...parameters } = z.toJSONSchema(tool.schema) as Record<string, unknown>;
    return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
  });
}
