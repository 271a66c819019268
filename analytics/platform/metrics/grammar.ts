import { AppError } from "../base/errors.ts";
import { escapeRegExp } from "../base/text.ts";
import { CHANNEL_ALTERNATION, channelNamed } from "../ingest/channel.ts";
import { eventMetric, METRICS } from "./definitions.ts";
import { closestMetrics, corrected, METRIC_NAMES, understood } from "./grammar-words.ts";
import { comparisons, extract, NUMBER, n, periodPatterns } from "./period-words.ts";
import type { ComparisonSpec, PeriodSpec } from "./periods.ts";
import type { Breakdown, KpiQuery, MetricFilter, Rank } from "./types.ts";

export { closestMetrics, KPI_VOCABULARY, METRIC_NAMES } from "./grammar-words.ts";

export { findPeriod } from "./period-words.ts";
export { CHANNEL_ALTERNATION };

/**
 * The words people type for a KPI question, read into a query:
 *   metric(s) × period × breakdown × comparison × filter, in any order.
 *   "revenue last 30 days by channel", "signups and orders this month vs last year",
 *   "cpa for paid search by campaign yesterday", "\"Product Added\" weekly since 2026-09-01".
 * Documented in README.md ("Asking questions"); test/analytics/commands/grammar.test.ts
 * holds the phrasings it must read.
 */

export type ParsedQuery = KpiQuery;

/**
 * The words capabilities add to the grammar: scopes of orders ("for segment champions", "by
 * segment", "top 5 segments"), each with the names questions may use, and metric sources
 * ("including deals").
 */
export interface GrammarWords {
  scopes: { word: string; plural: string }[];
  sources: string[];
}

export const NO_WORDS: GrammarWords = { scopes: [], sources: [] };

// The channel words a question is searched for (channelNamed maps them); "social" and "cpc" are
// left out, being too loose inside a sentence.

const FILLER = new Set(
  "what whats what's was were is are our my the show me how many much did we do get got have had of total totals kpi kpis metric metrics numbers number please give tell about for on in at to with and & + , ? ! . all overall figures report our's did".split(
    " ",
  ),
);

/** The breakdowns a question can ask for ("by channel"), as the grammar and the CLI's --by read them. */
export const BREAKDOWN_WORDS = ["channel", "campaign", "day", "week", "month"] as const;

/** A word and its plural, for a pattern: "segments?" */
const wordOrPlural = (word: string, plural: string) =>
  plural === `${word}s` ? `${escapeRegExp(word)}s?` : `${escapeRegExp(word)}|${escapeRegExp(plural)}`;

export function breakdowns(words: GrammarWords): [RegExp, (m: RegExpExecArray) => Breakdown | null][] {
  const scopes = words.scopes.map((s) => `|${wordOrPlural(s.word, s.plural)}`).join("");
  const scopeOf = (said: string) =>
    words.scopes.find((s) => s.word === said || s.plural === said || `${s.word}s` === said)?.word ?? null;
  return [
    // "month by month" before "by month".
    [
      /(?:^|\s)(daily|weekly|monthly|day by day|week by week|month by month)(?=\s|$)/,
      (m) =>
        m[1]!.startsWith("day") || m[1] === "daily" ? "day" : m[1]!.startsWith("week") ? "week" : "month",
    ],
    [
      new RegExp(
        `(?:^|\\s)(?:by|per|split by|broken down by|grouped by|across|for each|for every|each) (channels?|sources?|campaigns?|days?|weeks?|months?${scopes})(?=\\s|$)`,
      ),
      (m) => {
        const scope = scopeOf(m[1]!);
        if (scope) return scope;
        const word = m[1]!.replace(/s$/, "");
        return word === "source" ? "channel" : word;
      },
    ],
  ];
}

/** A word of a scope's name: any word but a metric's, "and", "or", "vs". */
const nameWord = () =>
  `(?:(?!(?:and|or|vs|versus|including|${[...new Set(METRIC_NAMES.map((m) => m.name.split(" ")[0]!))].map(escapeRegExp).join("|")})(?:\\s|$))[\\w'’-]+)`;

function filterPatterns(words: GrammarWords): [RegExp, (m: RegExpExecArray) => MetricFilter | null][] {
  return [
    // "for segment champions", "in segment can't lose them": a name of up to four words.
    ...words.scopes.map(({ word }): [RegExp, (m: RegExpExecArray) => MetricFilter | null] => [
      new RegExp(
        `(?:^|\\s)(?:for |in |of |from |among )?(?:the )?${escapeRegExp(word)} (${nameWord()}(?: ${nameWord()}){0,3})(?=\\s|$)`,
      ),
      (m) => ({ scopes: { [word]: m[1]!.replace(/’/g, "'") } }),
    ]),
    [
      /(?:^|\s)(?:for |in |from |of )?campaign ("[^"]+"|[\w.-]+)(?=\s|$)/,
      (m) => ({ campaignId: m[1]!.replace(/^"|"$/g, "") }),
    ],
    [
      new RegExp(
        `(?:^|\\s)(?:for |from |on |in |via |through |only |channel )(?:the )?(${CHANNEL_ALTERNATION})(?: channel)?(?=\\s|$)`,
      ),
      (m) => {
        const channel = channelNamed(m[1]!);
        return channel ? { channel } : null;
      },
    ],
    [
      new RegExp(`(?:^|\\s)(${CHANNEL_ALTERNATION}) (?:only|channel)(?=\\s|$)`),
      (m) => {
        const channel = channelNamed(m[1]!);
        return channel ? { channel } : null;
      },
    ],
    // A channel named on its own ("paid search revenue") is a filter too, never an unread word
    // ("other" alone is too common a word to be the channel).
    [
      new RegExp(`(?:^|\\s)(${CHANNEL_ALTERNATION.replace("|other", "")})(?=\\s|$)`),
      (m) => {
        const channel = channelNamed(m[1]!);
        return channel ? { channel } : null;
      },
    ],
  ];
}

/** Which parts of a question were said, rather than defaulted (a follow-up overrides only those). */
export interface Said {
  rank: boolean;
  metrics: boolean;
  period: boolean;
  compare: boolean;
  by: boolean;
  filter: boolean;
}

/** Reads a KPI question. Throws an AppError naming the words it could not read. */
export function parseKpiQuestion(input: string, today: string, words: GrammarWords = NO_WORDS): ParsedQuery {
  return readKpiQuestion(input, today, words).query;
}

/** Reads a KPI question and tells which parts were said. */
export function readKpiQuestion(
  input: string,
  today: string,
  words: GrammarWords = NO_WORDS,
): { query: ParsedQuery; said: Said } {
  return read(input, today, true, words);
}

/**
 * One pass over a question (about 190 lines, on purpose): each step takes out what it read —
 * comparison, period, rank, breakdown, filters, metrics — and hands the rest to the next, so the
 * order of the steps is the grammar. Split into functions, the remaining text and what was said
 * would pass through each of them and the order would no longer be read in one place.
 */
export function read(
  input: string,
  today: string,
  suggest: boolean,
  words: GrammarWords,
): { query: ParsedQuery; said: Said } {
  const original = input;
  const metrics: string[] = [];
  // A quoted campaign name is a filter, kept as typed (matched to campaigns when the question runs).
  let campaignName: string | null = null;
  input = input.replace(/[“”]/g, '"').replace(/\bcampaign\s+"([^"]+)"/i, (_, name: string) => {
    campaignName = name;
    return " ";
  });
  // So is a quoted scope name ("for segment \"email vips\""); scope names are lower case.
  const quotedScopes: Record<string, string> = {};
  for (const { word } of words.scopes)
    input = input.replace(
      new RegExp(
        `(?:\\b(?:for|in|of|from|among)\\s+)?(?:the\\s+)?\\b${escapeRegExp(word)}\\s+"([^"]+)"`,
        "i",
      ),
      (_, name: string) => {
        quotedScopes[word] = name.trim().toLowerCase();
        return " ";
      },
    );
  // "including deals": a metric source's figures added to orders and revenue.
  const include: string[] = [];
  for (const source of words.sources)
    input = input.replace(
      new RegExp(`\\b(?:including|incl\\.?|with|plus) (?:the )?${escapeRegExp(source)}\\b`, "i"),
      () => {
        include.push(source);
        return " ";
      },
    );
  // Quoted names are events: "Product Added" or event:"Product Added".
  // Each is replaced by a placeholder word, so metrics keep the order they were asked in.
  const events: string[] = [];
  const placeholder = (name: string) => {
    events.push(eventMetric(name).key);
    return ` event${events.length - 1}placeholder `;
  };
  let text = ` ${input.replace(/[“”]/g, '"')} `.replace(/(?:event:)?"([^"]+)"/g, (_, name: string) =>
    placeholder(name),
  );
  text = text.replace(/\bevent:([\w-]+)/gi, (_, name: string) => placeholder(name));
  text = text
    .toLowerCase()
    .replace(/[?!;:—–]/g, " ")
    .replace(/,/g, " , ")
    .replace(/\s+/g, " ");

  let compare: ComparisonSpec = "previous";
  const comparison = extract(text, comparisons(today));
  if (comparison) ({ value: compare, text } = comparison);

  let period: PeriodSpec = { kind: "last_days", n: 30 };
  const foundPeriod = extract(text, periodPatterns(today));
  if (foundPeriod) ({ value: period, text } = foundPeriod);
  let by: Breakdown = "none";
  // "top 5 campaigns", "bottom 3": a rank, and what it ranks when it says so.
  let rank: Rank | undefined;
  const ranking = extract(text, [
    [
      new RegExp(
        `(?:^|\\s)(top|bottom)(?: ${NUMBER})?(?: (channels?|sources?|campaigns?${words.scopes.map((s) => `|${wordOrPlural(s.word, s.plural)}`).join("")}))?(?=\\s|$)`,
      ),
      (m) => {
        const count = m[2] ? n(m[2]) : null;
        if (count !== null && !(count >= 1)) return null;
        const said = m[3];
        const scope = words.scopes.find((s) => s.word === said || s.plural === said || `${s.word}s` === said);
        const noun = scope ? scope.word : said?.replace(/s$/, "");
        return {
          rank: { order: m[1] as Rank["order"], n: count },
          by: noun === undefined ? null : noun === "source" ? "channel" : noun,
        };
      },
    ],
  ]);
  if (ranking) {
    rank = ranking.value.rank;
    text = ranking.text;
    if (ranking.value.by) by = ranking.value.by;
  }
  const breakdown = extract(text, breakdowns(words));
  if (breakdown) ({ value: by, text } = breakdown);

  let filter: MetricFilter = {
    ...(campaignName === null ? {} : { campaignId: campaignName }),
    ...(Object.keys(quotedScopes).length > 0 ? { scopes: quotedScopes } : {}),
  };
  for (;;) {
    const found = extract(text, filterPatterns(words));
    if (!found) break;
    // "for paid social vs email" names two channels: a filter keeps one, a breakdown shows both.
    if (found.value.channel && filter.channel && found.value.channel !== filter.channel) {
      throw new AppError("invalid_input", "A question filters on one channel at a time", {
        hint: "to compare channels, break the figures down by channel",
        suggestions: [
          `${original
            .replace(
              new RegExp(
                `(?:\\b(?:for|from|on|in|via|vs\\.?|versus|and|or|compared (?:to|with))\\s+)?\\b(?:${CHANNEL_ALTERNATION})\\b`,
                "gi",
              ),
              " ",
            )
            .replace(/\s+/g, " ")
            .trim()} by channel`,
        ],
      });
    }
    filter = {
      ...filter,
      ...found.value,
      ...(found.value.scopes || filter.scopes ? { scopes: { ...filter.scopes, ...found.value.scopes } } : {}),
    };
    text = found.text;
  }

  // What is left: metric names, separated by commas, "and", "&", "+", or nothing at all.
  let rest = ` ${text.replace(/\s+/g, " ").trim()} `;
  // Blanking a match keeps every other word where it was, so positions give the asked order.
  const found: { key: string; at: number }[] = [];
  const take = (pattern: RegExp, key: (match: RegExpExecArray) => string) => {
    for (let match = pattern.exec(rest); match !== null; match = pattern.exec(rest)) {
      found.push({ key: key(match), at: match.index });
      rest =
        rest.slice(0, match.index) + " ".repeat(match[0].length) + rest.slice(match.index + match[0].length);
    }
  };
  take(/event(\d+)placeholder/, (match) => events[Number(match[1])]!);
  for (const { name, key } of METRIC_NAMES) {
    take(new RegExp(`(?:^|\\s)${escapeRegExp(name)}(?=\\s|$)`), () => key);
  }
  for (const { key } of found.sort((a, b) => a.at - b.at)) if (!metrics.includes(key)) metrics.push(key);
  const leftover = rest
    .split(" ")
    .filter((word) => word !== "" && !FILLER.has(word) && !/^(vs\.?|versus|compared|by|per)$/.test(word));
  if (leftover.length > 0) {
    const read = understood(
      { metrics, period, compare, by, filter },
      {
        metrics: metrics.length > 0,
        period: foundPeriod !== null,
        compare: comparison !== null,
        by: breakdown !== null || (ranking?.value.by ?? null) !== null,
        filter: Object.keys(filter).length > 0,
        rank: ranking !== null,
      },
    );
    const closest = closestMetrics(leftover[0]!);
    const guesses = suggest ? corrected(original, leftover, today, words) : [];
    const hints = [
      read.length > 0 ? `read so far: ${read.join(" · ")}` : "",
      closest.length > 0
        ? `did you mean ${closest.map((s) => `“${s}”`).join(" or ")}?`
        : "try `help kpi` for the metrics, periods and breakdowns Lift understands",
    ].filter(Boolean);
    throw new AppError("invalid_input", `I could not read “${leftover.join(" ")}”`, {
      hint: hints.join("; "),
      suggestions: guesses,
    });
  }
  return {
    query: {
      metrics,
      period,
      compare,
      by,
      filter,
      ...(rank ? { rank } : {}),
      ...(include.length > 0 ? { include } : {}),
    },
    said: {
      rank: ranking !== null,
      metrics: metrics.length > 0,
      period: foundPeriod !== null,
      compare: comparison !== null,
      by: breakdown !== null,
      filter: Object.keys(filter).length > 0,
    },
  };
}

export const GRAMMAR_HELP = `kpi [metrics] [period] [by channel|campaign|day|week|month|segment] [top N|bottom N] [vs previous period|vs last year|vs same day last week|vs october] [for CHANNEL|campaign ID|segment NAME] [including deals]
  metrics: ${METRICS.map((m) => m.key.replace(/_/g, " ")).join(", ")}, or "Event Name"
  periods: today, yesterday, last 7 days, past 2 weeks, this month, last month, last quarter, this year, in October, in Q3,
           2026-10-01..2026-10-31, since 2026-11-01 (default: last 30 days)
  e.g. kpi revenue last 30 days by channel · kpi signups and orders this month vs last year · kpi cpa for paid search by campaign`;
