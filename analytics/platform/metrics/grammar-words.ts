import { editDistance } from "../base/distance.ts";
import { escapeRegExp } from "../base/text.ts";
import { CHANNEL_ALTERNATION } from "../ingest/channel.ts";
import { METRICS } from "./definitions.ts";
import { type GrammarWords, type ParsedQuery, read, type Said } from "./grammar.ts";
import { MONTHS } from "./period-words.ts";
import { comparisonText, periodSpecText } from "./periods.ts";

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

/** What a question was read as, in words, for the message when part of it could not be. */
export function understood(query: ParsedQuery, said: Said): string[] {
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
export const VOCABULARY = [
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
export function corrected(input: string, unread: string[], today: string, words: GrammarWords): string[] {
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

/** The words a KPI question may use for metrics, channels, periods and breakdowns (for correcting typos). */
export const KPI_VOCABULARY: readonly string[] = VOCABULARY;
