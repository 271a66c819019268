import { editDistance } from "../base/distance.ts";
import { AppError } from "../base/errors.ts";
import { escapeRegExp } from "../base/text.ts";
import { channelNamed } from "../ingest/channel.ts";
import { addDays, addMonths, endOfMonth, startOfMonth, weekday } from "../time/zone.ts";
import { eventMetric, METRICS } from "./definitions.ts";
import {
  type ComparisonSpec,
  comparisonText,
  type PeriodSpec,
  parsePeriod,
  periodSpecText,
  quarterStart,
  WORD_NUMBERS,
} from "./periods.ts";
import type { Breakdown, KpiQuery, MetricFilter, Rank } from "./types.ts";

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

const NUMBER = `(\\d{1,4}|${Object.keys(WORD_NUMBERS).join("|")})`;
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH_WORD = `(${MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join("|")})`;

// The channel words a question is searched for (channelNamed maps them); "social" and "cpc" are
// left out, being too loose inside a sentence.
export const CHANNEL_ALTERNATION =
  "paid search|paid_search|sem|ppc|search ads|google ads|paid social|paid_social|social ads|facebook ads|meta ads|organic search|organic|seo|e-mail|email|emails|newsletter|referrals|referral|affiliates|affiliate|direct|other";

const FILLER = new Set(
  "what whats what's was were is are our my the show me how many much did we do get got have had of total totals kpi kpis metric metrics numbers number please give tell about for on in at to with and & + , ? ! . all overall figures report our's did".split(
    " ",
  ),
);

function monthRange(monthIndex: number, year: number | null, today: string): PeriodSpec {
  const thisYear = Number(today.slice(0, 4));
  let y = year ?? thisYear;
  const first = `${y}-${String(monthIndex + 1).padStart(2, "0")}-01`;
  // "october" means the latest October that has begun.
  if (year === null && first > today) y -= 1;
  const start = `${y}-${String(monthIndex + 1).padStart(2, "0")}-01`;
  if (start === startOfMonth(today)) return { kind: "this_month" };
  return { kind: "range", from: start, to: endOfMonth(start) };
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const QUARTER_WORD = "(q[1-4]|first quarter|second quarter|third quarter|fourth quarter)";

/** "q3" or "third quarter" → 1..4. */
const quarterIndex = (word: string) =>
  word.startsWith("q")
    ? Number(word[1])
    : ["first", "second", "third", "fourth"].indexOf(word.split(" ")[0]!) + 1;

function quarterRange(quarter: number, year: number | null, today: string): PeriodSpec {
  let y = year ?? Number(today.slice(0, 4));
  const first = (yy: number) => `${yy}-${String((quarter - 1) * 3 + 1).padStart(2, "0")}-01`;
  // "q3" means the latest third quarter that has begun.
  if (year === null && first(y) > today) y -= 1;
  const start = first(y);
  const end = endOfMonth(addMonths(start, 2));
  if (start <= today && today <= end) return { kind: "this_quarter" };
  return { kind: "range", from: start, to: end };
}

/** A named month or quarter as a plain range of days, for a comparison ("vs october"). */
function namedRange(spec: PeriodSpec, today: string): { from: string; to: string } {
  if (spec.kind === "range") return { from: spec.from, to: spec.to };
  const start = spec.kind === "this_month" ? startOfMonth(today) : quarterStart(today);
  return { from: start, to: addDays(today, -1) < start ? start : addDays(today, -1) };
}

interface Extraction<T> {
  value: T;
  text: string;
}

/** Finds the first match of any pattern, returns its value and the text without it. */
function extract<T>(
  text: string,
  patterns: [RegExp, (m: RegExpExecArray) => T | null][],
): Extraction<T> | null {
  for (const [pattern, read] of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const value = read(match);
    if (value === null) continue;
    return { value, text: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}` };
  }
  return null;
}

const n = (word: string) => (/^\d+$/.test(word) ? Number(word) : (WORD_NUMBERS[word] ?? Number.NaN));

function periodPatterns(today: string): [RegExp, (m: RegExpExecArray) => PeriodSpec | null][] {
  const b = "(?:^|\\s)";
  const e = "(?=\\s|$)";
  return [
    [
      new RegExp(
        `${b}(?:from |between )?(\\d{4}-\\d{2}-\\d{2}) ?(?:\\.\\.|to|and|until|through|–|-) ?(\\d{4}-\\d{2}-\\d{2})${e}`,
      ),
      (m) => ({ kind: "range", from: m[1]!, to: m[2]! }),
    ],
    [
      new RegExp(`${b}since (\\d{4}-\\d{2}-\\d{2})${e}`),
      (m) => ({ kind: "range", from: m[1]!, to: addDays(today, -1) }),
    ],
    [
      new RegExp(`${b}(?:on )?(\\d{4}-\\d{2}-\\d{2})${e}`),
      (m) => ({ kind: "range", from: m[1]!, to: m[1]! }),
    ],
    [
      new RegExp(
        `${b}(?:in |over |during |for |of )?(?:the )?(?:last|past|previous|trailing|prior) ${NUMBER} ?(calendar )?(days?|d|weeks?|wks?|w|months?|mos?|m)${e}`,
      ),
      (m) => {
        const count = n(m[1]!);
        if (!(count >= 1)) return null;
        const unit = m[3]!.startsWith("d") ? "days" : m[3]!.startsWith("w") ? "weeks" : "months";
        const period = parsePeriod(`last ${count} ${m[2] ?? ""}${unit}`);
        if (!period) {
          throw new AppError("invalid_input", `“last ${count} ${unit}” is longer than Lift answers for`, {
            hint: "up to 10 years: 3,660 days, 520 weeks or 120 months",
          });
        }
        return period;
      },
    ],
    [new RegExp(`${b}(\\d{1,4})(d|w|m)${e}`), (m) => parsePeriod(`${m[1]}${m[2]}`)],
    [
      new RegExp(`${b}(?:over |in |during |for )?(?:the )?past (week|month|year)${e}`),
      (m) =>
        m[1] === "week"
          ? { kind: "last_days", n: 7 }
          : m[1] === "month"
            ? { kind: "last_days", n: 30 }
            : { kind: "last_days", n: 365 },
    ],
    [
      // "on friday", "last tuesday": the latest such day before today.
      new RegExp(
        `${b}(?:on |for |last |this past |past )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)${e}`,
      ),
      (m) => {
        const wanted = WEEKDAYS.indexOf(m[1]!) + 1;
        const back = (weekday(today) - wanted + 7) % 7 || 7;
        const day = addDays(today, -back);
        return { kind: "range", from: day, to: day };
      },
    ],
    [
      // The latest whole weekend (Saturday and Sunday) before today.
      new RegExp(`${b}(?:over |on |for |during |at )?(?:the |this )?(?:last |past |previous )?weekend${e}`),
      () => {
        const sunday = addDays(today, -weekday(today)); // ISO weekday: Monday 1 … Sunday 7
        return { kind: "range", from: addDays(sunday, -1), to: sunday };
      },
    ],
    [new RegExp(`${b}(?:for |of |on )?(?:so far )?today(?:'s| so far)?${e}`), () => ({ kind: "today" })],
    [new RegExp(`${b}(?:for |of |on )?yesterday(?:'s)?${e}`), () => ({ kind: "yesterday" })],
    [
      new RegExp(
        `${b}(?:for |in |of )?(?:this|the current) (week|month|quarter|year)(?: so far| to date)?${e}`,
      ),
      (m) => ({ kind: `this_${m[1]}` as "this_week" | "this_month" | "this_quarter" | "this_year" }),
    ],
    [
      new RegExp(`${b}(wtd|mtd|qtd|ytd|week to date|month to date|quarter to date|year to date)${e}`),
      (m) => parsePeriod(m[1]!),
    ],
    [
      new RegExp(`${b}(?:for |in |of |during )?(?:the )?(?:last|previous|prior) (week|month|quarter)${e}`),
      (m) => ({ kind: `last_${m[1]}` as "last_week" | "last_month" | "last_quarter" }),
    ],
    [
      new RegExp(`${b}(?:for |in |of |during )?(?:the )?(?:last|previous|prior) year${e}`),
      () => {
        const year = Number(today.slice(0, 4)) - 1;
        return { kind: "range", from: `${year}-01-01`, to: `${year}-12-31` };
      },
    ],
    [
      new RegExp(`${b}(?:in |for |during |of )?(?:the )?${QUARTER_WORD}(?: of)?(?: (\\d{4}))?${e}`),
      (m) => quarterRange(quarterIndex(m[1]!), m[2] ? Number(m[2]) : null, today),
    ],
    [
      new RegExp(`${b}(?:in |for |during |of )?${MONTH_WORD}(?: (\\d{4}))?${e}`),
      (m) => {
        const word = m[1]!;
        const index = MONTHS.findIndex((month) => month === word || month.slice(0, 3) === word);
        // "may" alone is too common a word to be a month without a year or a preposition.
        if (word === "may" && !m[2] && !/^\s*(in|for|during|of)\s/.test(m[0])) return null;
        return index < 0 ? null : monthRange(index, m[2] ? Number(m[2]) : null, today);
      },
    ],
  ];
}

const VERSUS = "(?:vs\\.?|versus|compared (?:to|with)|against)";

const comparisons = (today: string): [RegExp, (m: RegExpExecArray) => ComparisonSpec | null][] => [
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against|than) (?:the )?same (?:day|weekday|days|time|hours) (?:of |on )?(?:last week|a week (?:before|earlier|ago)|the week before)(?=\s|$)/,
    () => "week_before",
  ],
  [
    new RegExp(
      `(?:^|\\s)${VERSUS} (\\d{4}-\\d{2}-\\d{2}) ?(?:\\.\\.|to|–|-) ?(\\d{4}-\\d{2}-\\d{2})(?=\\s|$)`,
    ),
    (m) => ({ from: m[1]!, to: m[2]! }),
  ],
  [
    new RegExp(`(?:^|\\s)${VERSUS} (?:the )?(?:in )?${QUARTER_WORD}(?: of)?(?: (\\d{4}))?(?=\\s|$)`),
    (m) => namedRange(quarterRange(quarterIndex(m[1]!), m[2] ? Number(m[2]) : null, today), today),
  ],
  [
    new RegExp(`(?:^|\\s)${VERSUS} (?:in )?${MONTH_WORD}(?: (\\d{4}))?(?=\\s|$)`),
    (m) => {
      const index = MONTHS.findIndex((month) => month === m[1] || month.slice(0, 3) === m[1]);
      return index < 0 ? null : namedRange(monthRange(index, m[2] ? Number(m[2]) : null, today), today);
    },
  ],
  [
    /(?:^|\s)(?:no comparison|without comparison|don't compare|do not compare|uncompared)(?=\s|$)/,
    () => "none",
  ],
  [/(?:^|\s)(?:yoy|year over year|year-over-year)(?=\s|$)/, () => "last_year"],
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against|over) (?:the )?(?:same (?:period|days|time|day|week|month|quarter) )?(?:last|previous|prior) year(?=\s|$)/,
    () => "last_year",
  ],
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against) (?:the )?(?:previous|prior|last|preceding) (?:period|days|weeks|months|week|month|quarter|day)(?=\s|$)/,
    () => "previous",
  ],
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against) (?:the )?(?:period|days|day|week|weeks|month|months|quarter) before(?=\s|$)/,
    () => "previous",
  ],
  [/(?:^|\s)(?:vs\.?|versus|compared (?:to|with)) (?:yesterday|the day before)(?=\s|$)/, () => "previous"],
  [/(?:^|\s)(?:wow|week over week|mom|month over month|dod|day over day)(?=\s|$)/, () => "previous"],
];

/** The breakdowns a question can ask for ("by channel"), as the grammar and the CLI's --by read them. */
export const BREAKDOWN_WORDS = ["channel", "campaign", "day", "week", "month"] as const;

/** A word and its plural, for a pattern: "segments?" */
const wordOrPlural = (word: string, plural: string) =>
  plural === `${word}s` ? `${escapeRegExp(word)}s?` : `${escapeRegExp(word)}|${escapeRegExp(plural)}`;

function breakdowns(words: GrammarWords): [RegExp, (m: RegExpExecArray) => Breakdown | null][] {
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

/** Metric names, longest first, so "conversion rate" wins over "conversion". */
export const METRIC_NAMES = METRICS.flatMap((metric) =>
  [metric.key.replace(/_/g, " "), ...metric.synonyms].map((name) => ({ name, key: metric.key })),
).sort((a, b) => b.name.length - a.name.length);

/** The metric names closest to a word people typed (for "did you mean"). */
export function closestMetrics(word: string, count = 3): string[] {
  return [...new Set(METRIC_NAMES.map((m) => m.name))]
    .map((name) => ({ name, distance: editDistance(word, name) }))
    .filter((m) => m.distance <= Math.max(2, Math.floor(word.length / 3)))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map((m) => m.name);
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

/** What a question was read as, in words, for the message when part of it could not be. */
function understood(query: ParsedQuery, said: Said): string[] {
  const parts: string[] = [];
  if (said.metrics)
    parts.push(
      query.metrics
        .map((m) => (m.startsWith("event:") ? `"${m.slice(6)}"` : m.replace(/_/g, " ")))
        .join(", "),
    );
  if (said.period) parts.push(periodSpecText(query.period));
  if (said.by) parts.push(`by ${query.by}`);
  if (said.filter && query.filter.channel) parts.push(`for ${query.filter.channel.replace(/_/g, " ")}`);
  if (said.filter && query.filter.campaignId) parts.push(`campaign ${query.filter.campaignId}`);
  if (said.filter)
    for (const [word, name] of Object.entries(query.filter.scopes ?? {})) parts.push(`for ${word} ${name}`);
  if (said.rank && query.rank)
    parts.push(`${query.rank.order}${query.rank.n === null ? "" : ` ${query.rank.n}`}`);
  if (said.compare) parts.push(comparisonText(query.compare) || "vs the period before");
  return parts;
}

/** Words a question is made of, for correcting typos in suggestions. */
const VOCABULARY = [
  ...new Set([
    ...METRICS.flatMap((metric) => [metric.key.replace(/_/g, " "), ...metric.synonyms]).filter(
      (w) => !w.includes(" "),
    ),
    ...CHANNEL_ALTERNATION.split("|").filter((w) => !w.includes(" ")),
    ...[
      "channel",
      "channels",
      "campaign",
      "campaigns",
      "day",
      "days",
      "week",
      "weeks",
      "month",
      "months",
      "quarter",
      "year",
    ],
    ...[
      "today",
      "yesterday",
      "last",
      "past",
      "this",
      "daily",
      "weekly",
      "monthly",
      "search",
      "social",
      "paid",
    ],
    ...MONTHS,
  ]),
];

/**
 * The questions the words most likely meant: each unread word replaced by its
 * closest known word (edit distance), kept when the result reads. At most three.
 */
function corrected(input: string, unread: string[], today: string, words: GrammarWords): string[] {
  const vocabulary = [...VOCABULARY, ...words.scopes.flatMap((s) => [s.word, s.plural]), ...words.sources];
  const options: string[][] = unread.map((word) => {
    const near = vocabulary
      .map((w) => ({ w, d: editDistance(word, w) }))
      .filter((x) => x.d <= Math.max(1, Math.floor(word.length / 3)))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => x.w);
    return near;
  });
  if (options.some((o) => o.length === 0)) return [];
  const found: string[] = [];
  const first = options[0]!;
  for (const candidate of first) {
    let text = ` ${input.toLowerCase()} `;
    text = text.replace(new RegExp(`(?<=\\s)${escapeRegExp(unread[0]!)}(?=[\\s?!.,])`), candidate);
    unread.slice(1).forEach((word, i) => {
      text = text.replace(new RegExp(`(?<=\\s)${escapeRegExp(word)}(?=[\\s?!.,])`), options[i + 1]![0]!);
    });
    const question = text.replace(/\s+/g, " ").trim();
    try {
      read(question, today, false, words);
      if (!found.includes(question)) found.push(question);
    } catch {
      // Not a question either: not offered.
    }
    if (found.length >= 3) break;
  }
  return found;
}

/** The first period named in a text ("last 7 days", "in October"), and the text without it. */
export function findPeriod(text: string, today: string): { period: PeriodSpec; text: string } | null {
  const found = extract(` ${text.toLowerCase()} `, periodPatterns(today));
  return found ? { period: found.value, text: found.text.replace(/\s+/g, " ").trim() } : null;
}

/** The words a KPI question may use for metrics, channels, periods and breakdowns (for correcting typos). */
export const KPI_VOCABULARY: readonly string[] = VOCABULARY;

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

function read(
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
