import { z } from "zod";
import { CHANNELS } from "../../platform/ingest/channel.ts";
import { METRICS } from "../../platform/metrics/definitions.ts";
import { type GrammarWords, readKpiQuestion } from "../../platform/metrics/grammar.ts";
import { queryText } from "../../platform/metrics/query-text.ts";
import type { Tool } from "./vocabulary.ts";

/*
 * What a language model may call: typed tools, each a zod schema (validated
 * when called, and the JSON schema sent to the model) and the Lift command it
 * stands for. Tools, not SQL: every answer is a command's Report, rendered as
 * every command's is.
 */
export type { Tool };

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
    scopes?: Record<string, string> | undefined;
    rank?: { order: "top" | "bottom"; n?: number | undefined } | undefined;
  },
  today: string,
  grammar: GrammarWords,
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
    ...Object.entries(args.scopes ?? {}).map(([word, name]) => `for ${word} "${name}"`),
  );
  // The grammar's message (what it could not read) is what the model needs to correct itself.
  return queryText(readKpiQuestion(text, today, grammar).query);
}

/** The KPI tool's arguments, with the breakdowns and filters of the scopes capabilities add. */
function kpiArgsFor(grammar: GrammarWords) {
  const scopes = grammar.scopes.map((s) => s.word);
  return z.object({
    metrics: z.array(metric).min(1).max(6),
    period: period.optional(),
    compare: z
      .string()
      .describe(
        'previous (default), last_year, week_before (same days a week before), none, or a range "YYYY-MM-DD..YYYY-MM-DD"',
      )
      .optional(),
    breakdown: z
      .enum(["none", "channel", "campaign", "day", "week", "month", ...scopes] as [string, ...string[]])
      .optional(),
    channel: channel.optional(),
    campaign: z.string().describe("A campaign id or name").optional(),
    ...(scopes.length > 0
      ? {
          scopes: z
            .record(z.string(), z.string())
            .describe(
              `Filters by a group of customers: ${scopes.map((w) => `{"${w}": "<name, lower case>"}`).join(", ")}`,
            )
            .optional(),
        }
      : {}),
    rank: z
      .object({ order: z.enum(["top", "bottom"]), n: z.number().int().min(1).max(100).optional() })
      .describe(
        `Order a channel/campaign${scopes.map((w) => `/${w}`).join("")} breakdown by the first metric and keep n`,
      )
      .optional(),
  });
}

/**
 * Ask's own tools (KPIs and why); each capability adds its own with its
 * vocabulary. The KPI tool's breakdowns and filters include the scopes
 * capabilities add to the grammar ("segment").
 */
// biome-ignore lint/suspicious/noExplicitAny: each tool has its own argument type.
export function coreTools(grammar: GrammarWords): Tool<any>[] {
  const kpiArgs = kpiArgsFor(grammar);
  return [
    {
      name: "kpi_query",
      description:
        "Any KPI for a period, compared with another period, broken down or filtered. Returns the figures.",
      schema: kpiArgs,
      command: (args: z.infer<typeof kpiArgs>, today) =>
        `kpi ${kpiText({ ...args, scopes: args.scopes as Record<string, string> | undefined }, today, grammar)}`,
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
        `why ${kpiText({ metrics: [args.metric], period: args.period ?? "last 7 days", channel: args.channel, campaign: args.campaign }, today, grammar)}`,
    },
  ];
}

/** The tools as chat completions' `tools` parameter: JSON schemas from zod (not strict mode). */
export function toolDefinitions(tools: readonly Tool[]): {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}[] {
  return tools.map((tool) => {
    const { $schema: _, ...parameters } = z.toJSONSchema(tool.schema) as Record<string, unknown>;
    return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
  });
}
