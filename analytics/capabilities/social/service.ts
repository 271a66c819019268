import { rescoreBatch } from "../../../db/social/mentions.ts";
import {
  bucketCounts,
  countMentions,
  findMentions,
  lexiconVersion,
  lexiconWords,
  listTopics,
  type MentionView,
} from "../../../db/social/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import { type PeriodSpec, parsePeriod, resolvePeriod } from "../../platform/metrics/periods.ts";
import { addDays, startOfDayMs } from "../../platform/time/zone.ts";
import { poissonTail } from "./count-spikes.math.ts";
import { sentimentVersion } from "./enrich.ts";
import { languageOf, loadLanguageDetector, SCORED_LANGUAGES } from "./language.ts";
import { labelOf, scoreSocial } from "./sentiment/score.ts";
import { BRAND } from "./topics.ts";

/*
 * What the social capability reads: shares and trends from the buckets, the
 * posts behind them, the words they share, and a spike judged against the
 * same hours on the days before.
 */

const HOUR = 3_600_000;
const FIVE_MINUTES = 300_000;

/** Words that say nothing about what a group of posts is about. */
const STOPWORDS = new Set(
  "a an the and or but if then so to of in on at by for with from as is are was were be been being it its it's this that these those i me my we our you your he she they them their there here what which who whom when where why how not no nor all any both each few more most other some such only own same than too very can will just don't should now do does did done have has had having am im i'm get got getting also about after again against before below between into through during out over under up down off once until while would could ever even still yet one two really much many lol via amp https http www com".split(
    " ",
  ),
);

export interface Shares {
  positive: number;
  neutral: number;
  negative: number;
  /** Mentions in languages the scorer does not read (left out of the shares). */
  unscored: number;
  total: number;
  meanScore: number | null;
}

export function sharesOf(rows: { label: string; count: number; scoreSum: number }[]): Shares {
  const shares: Shares = { positive: 0, neutral: 0, negative: 0, unscored: 0, total: 0, meanScore: null };
  let scoreSum = 0;
  for (const row of rows) {
    const key = row.label as keyof Shares;
    if (key === "positive" || key === "neutral" || key === "negative" || key === "unscored")
      shares[key] += row.count;
    shares.total += row.count;
    if (row.label !== "unscored") scoreSum += row.scoreSum;
  }
  const scored = shares.total - shares.unscored;
  shares.meanScore = scored > 0 ? scoreSum / scored : null;
  return shares;
}

function wordsOf(text: string, skipped: Set<string>): Set<string> {
  return new Set(
    (text.toLowerCase().match(/[\p{L}][\p{L}\p{N}'’-]{2,}/gu) ?? []).filter(
      (w) => !STOPWORDS.has(w) && !skipped.has(w),
    ),
  );
}

/** Words that make a phrase with the word after them ("not arrived", "still waiting", "too small"). */
const PHRASE_OPENERS = new Set(["not", "no", "never", "still", "too", "so", "very", "way"]);

/**
 * A post's words and two-word phrases within a sentence: two content words ("took ages", "zip
 * broke"), or an opener and a content word ("not arrived").
 */
function termsOf(text: string, skipped: Set<string>): Set<string> {
  const terms = new Set([...wordsOf(text, skipped)]);
  for (const sentence of text.toLowerCase().split(/[.!?;:\n]+/)) {
    const tokens = (sentence.match(/[\p{L}][\p{L}\p{N}'’-]{1,}/gu) ?? []).filter((w) => !skipped.has(w));
    for (let i = 0; i + 1 < tokens.length; i++) {
      const [a, b] = [tokens[i]!, tokens[i + 1]!];
      const content = (w: string) => !STOPWORDS.has(w) && w.length >= 3;
      if (content(b) && (content(a) || PHRASE_OPENERS.has(a))) terms.add(`${a} ${b}`);
    }
  }
  return terms;
}

/**
 * The words and phrases that set a group of posts apart: found in at least two of them
 * (each post counted once per word) and more common there than in the
 * `background` posts (the brand's name, in every post, says nothing), without
 * stopwords or the topic's own terms.
 */
export function topTerms(
  texts: string[],
  skip: string[] = [],
  count = 5,
  background: string[] = [],
): { term: string; posts: number }[] {
  const skipped = new Set(skip.map((s) => s.toLowerCase()));
  const counts = new Map<string, number>();
  for (const text of texts)
    for (const word of termsOf(text, skipped)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const base = new Map<string, number>();
  for (const text of background)
    for (const word of termsOf(text, skipped)) base.set(word, (base.get(word) ?? 0) + 1);
  // A phrase found in most of the posts its words are in says it better than either word
  // ("took ages", not "ages"): the words give way to it.
  for (const [phrase, n] of counts) {
    if (!phrase.includes(" ") || n < 2) continue;
    for (const word of phrase.split(" "))
      if (!STOPWORDS.has(word) && n >= 0.6 * (counts.get(word) ?? 0)) counts.delete(word);
  }
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  return [...counts]
    .filter(
      ([word, n]) => n >= 2 && share(n, texts.length) > 1.5 * share(base.get(word) ?? 0, background.length),
    )
    .map(([term, posts]) => ({
      term,
      posts,
      lift: share(posts, texts.length) - share(base.get(term) ?? 0, background.length),
    }))
    .sort((a, b) => b.lift - a.lift || b.posts - a.posts || a.term.localeCompare(b.term))
    .slice(0, count)
    .map(({ term, posts }) => ({ term, posts }));
}

/** The posts that say most of what the group says: those with the most top terms, then the most engaged, then the newest. */
export function representative<
  T extends {
    text: string;
    timestamp: number;
    likes: number | null;
    reposts: number | null;
    replies: number | null;
  },
>(posts: T[], terms: { term: string }[], count = 3): T[] {
  const has = (post: T) => terms.filter((t) => post.text.toLowerCase().includes(t.term)).length;
  const engagement = (post: T) => (post.likes ?? 0) + 2 * (post.reposts ?? 0) + (post.replies ?? 0);
  return [...posts]
    .sort((a, b) => has(b) - has(a) || engagement(b) - engagement(a) || b.timestamp - a.timestamp)
    .slice(0, count);
}

export interface SpikeJudgement {
  state: "firing" | "ok" | "unknown";
  window: { fromMs: number; toMs: number };
  negative: number;
  total: number;
  /** The usual negative count and total for this window of the day. */
  usualNegative: number;
  usualTotal: number;
  negativeShare: number | null;
  usualShare: number | null;
  z: number;
}

export interface SpikeSettings {
  windowHours: number;
  days: number;
  minNegative: number;
  open: number;
  close: number;
}

/** The spike rule's settings (documented in README; per alert with its phrase). */
/** The tail probability a spike's count must be under (the count model's, count-spikes.math.ts). */
const SPIKE_TAIL = 2e-4;

export const SPIKE_DEFAULTS: SpikeSettings = {
  /** Hours of posts the check reads, ending now. */
  windowHours: 3,
  /** Days of the same hours it compares with. */
  days: 14,
  /** At least this many negative posts, whatever the z. */
  minNegative: 5,
  /** Opens at this robust z; closes when the last day (or 4 × the hours) is below `close` (between, nothing changes). */
  open: 4,
  close: 2,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export class Social {
  private readonly platform: PlatformApi;

  constructor(private readonly context: CapabilityContext) {
    this.platform = context.platform;
  }

  private get db() {
    return this.context.tables;
  }

  /** How many mentions are stored. */
  count(): Promise<number> {
    return countMentions(this.db);
  }

  /** The topic named, or an error that lists them ("brand" always exists). */
  async topic(name: string | undefined): Promise<{ name: string; terms: string[] }> {
    if (!name || name === BRAND) return { name: BRAND, terms: [] };
    const topics = await listTopics(this.db);
    const found = topics.find((t) => t.name === name.toLowerCase());
    if (!found)
      throw new AppError("not_found", `There is no topic “${name}”`, {
        hint:
          topics.length > 0
            ? `topics: brand, ${topics.map((t) => t.name).join(", ")}`
            : "add one: topic add shipping: shipping, delivery, late",
      });
    return found;
  }

  /** Splits a trailing period off the words ("shipping last 7 days" → shipping, last 7 days). */
  splitPeriod(words: string[], fallback: PeriodSpec): { spec: PeriodSpec; rest: string[] } {
    for (let k = Math.min(words.length, 4); k >= 1; k--) {
      const spec = parsePeriod(words.slice(-k).join(" "), this.platform.today());
      if (spec) return { spec, rest: words.slice(0, -k) };
    }
    return { spec: fallback, rest: words };
  }

  /** A period's instants: its first day's start to the end of its last day (or now, for today). */
  window(spec: PeriodSpec): {
    from: string;
    to: string;
    fromMs: number;
    toMs: number;
    label: string;
    partial: boolean;
  } {
    const period = resolvePeriod(spec, this.platform.today());
    const zone = this.platform.settings.timeZone;
    const toMs = Math.min(startOfDayMs(addDays(period.to, 1), zone), this.platform.now());
    return {
      from: period.from,
      to: period.to,
      fromMs: startOfDayMs(period.from, zone),
      toMs,
      label: period.label,
      partial: period.partial,
    };
  }

  async shares(topic: string, fromMs: number, toMs: number, platform?: string): Promise<Shares> {
    return sharesOf(
      await bucketCounts(this.db, "1h", topic, Math.floor(fromMs / HOUR) * HOUR, toMs, platform),
    );
  }

  /** Hourly buckets of a topic, by bucket start. */
  async hourly(topic: string, fromMs: number, toMs: number, platform?: string): Promise<Map<number, Shares>> {
    const byStart = new Map<number, { label: string; count: number; scoreSum: number }[]>();
    for (const row of await bucketCounts(this.db, "1h", topic, fromMs, toMs, platform)) {
      const list = byStart.get(row.start) ?? [];
      list.push(row);
      byStart.set(row.start, list);
    }
    return new Map([...byStart].map(([start, rows]) => [start, sharesOf(rows)]));
  }

  posts(filter: Parameters<typeof findMentions>[1]): Promise<MentionView[]> {
    return findMentions(this.db, filter);
  }

  /** What the topic's posts usually say (the posts that are not negative, newest 1,000): what top terms stand out from. */
  async background(topic: string, from: number, to: number): Promise<string[]> {
    return (await findMentions(this.db, { from, to, topic, limit: 1000 }))
      .filter((p) => p.label !== "negative")
      .map((p) => p.text);
  }

  /**
   * The spike rule: the negative posts of the last few hours against the same
   * hours on each of the previous days, in robust units (median and 1.4826 ×
   * MAD, at least √median + 1 so a quiet topic is not all spikes). Fires at
   * `open` with enough posts; clears below `close`; in between it is unknown
   * (an open incident stays open, a new one does not open): hysteresis.
   */
  async judgeSpike(
    topic: string,
    now: number,
    settings: Partial<SpikeSettings> = {},
  ): Promise<SpikeJudgement> {
    const s = { ...SPIKE_DEFAULTS, ...settings };
    const toMs = Math.floor(now / FIVE_MINUTES) * FIVE_MINUTES;
    const span = s.windowHours * HOUR;
    const fromMs = toMs - span;
    // Closing reads a day (or four times the hours, when longer): a spike with quieter hours inside
    // it, or a tail the next day, stays one incident.
    const closeSpan = Math.max(24 * HOUR, 4 * span);
    const rows = await bucketCounts(this.db, "5m", topic, toMs - closeSpan - s.days * 24 * HOUR, toMs);
    const sums = (from: number, to: number) => {
      let negative = 0;
      let total = 0;
      let scored = 0;
      for (const row of rows) {
        if (row.start < from || row.start >= to) continue;
        total += row.count;
        if (row.label === "negative") negative += row.count;
        if (row.label !== "unscored") scored += row.count;
      }
      return { negative, total, scored };
    };
    const judge = (from: number) => {
      const current = sums(from, toMs);
      const history = Array.from({ length: s.days }, (_, d) =>
        sums(from - (d + 1) * 24 * HOUR, toMs - (d + 1) * 24 * HOUR),
      );
      const usualNegative = median(history.map((h) => h.negative));
      const mad = median(history.map((h) => Math.abs(h.negative - usualNegative)));
      const scale = Math.max(1.4826 * mad, Math.sqrt(usualNegative) + 1);
      return { current, history, usualNegative, z: (current.negative - usualNegative) / scale };
    };
    const { current, history, usualNegative, z } = judge(fromMs);
    const longer = judge(toMs - closeSpan);
    const usualTotal = median(history.map((h) => h.total));
    const scoredHistory = history.reduce((a, h) => a + h.scored, 0);
    // On a quiet topic the robust z alone is loose (its scale is √median + 1 when most windows hold
    // none): the count must also be unlikely under the usual rate, allowing for bursty days.
    const rate = Math.max(history.reduce((a, h) => a + h.negative, 0) / history.length, 0.5);
    const spread =
      history.reduce((a, h) => a + (h.negative - rate) ** 2, 0) / Math.max(1, history.length - 1);
    const dispersion = Math.max(1, spread / rate);
    const tail = poissonTail(Math.ceil(current.negative / dispersion), rate / dispersion);
    const state =
      current.negative >= s.minNegative && z >= s.open && tail < SPIKE_TAIL
        ? "firing"
        : longer.z < s.close
          ? "ok"
          : "unknown";
    return {
      state,
      window: { fromMs, toMs },
      negative: current.negative,
      total: current.total,
      usualNegative,
      usualTotal,
      negativeShare: current.scored > 0 ? current.negative / current.scored : null,
      usualShare: scoredHistory > 0 ? history.reduce((a, h) => a + h.negative, 0) / scoredHistory : null,
      z,
    };
  }

  /**
   * Rescores up to `limit` mentions whose score came from another scorer or
   * lexicon version (a few thousand a transaction, so ingest never waits
   * long); returns how many it rescored.
   */
  async rescore(limit = 2000): Promise<number> {
    await loadLanguageDetector();
    const [words, lexicon] = await Promise.all([lexiconWords(this.db), lexiconVersion(this.db)]);
    return rescoreBatch(this.db, sentimentVersion(lexicon), limit, (m) => {
      const lang = languageOf(m.text, m.lang);
      if (!SCORED_LANGUAGES.has(lang)) return { score: 0, label: "unscored" };
      const { score } = scoreSocial(m.text, words);
      return { score, label: labelOf(score) };
    });
  }
}
