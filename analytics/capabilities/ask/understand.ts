import { typoDistance } from "../../platform/commands/distance.ts";
import { AppError } from "../../platform/errors.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import {
  CHANNEL_ALTERNATION,
  findPeriod,
  KPI_VOCABULARY,
  METRIC_NAMES,
  readKpiQuestion,
  type Said,
} from "../../platform/metrics/grammar.ts";
import type { KpiQuery } from "../../platform/metrics/kpis.ts";
import { periodSpecText } from "../../platform/metrics/periods.ts";
import { queryText } from "../../platform/metrics/query-text.ts";
import { escapeRegExp } from "../../platform/text.ts";
import {
  ASK_FILLER,
  CLUSTER_CUES,
  COMMON_WORDS,
  CUSTOMER_WORDS,
  DIGEST_CUES,
  DIRECTION,
  DIRECTION_START,
  EXPERIMENT_CUES,
  FUNNEL_CUES,
  FUNNEL_STEPS,
  MOTION_WORDS,
  PACING_CUES,
  PLATFORM_WORDS,
  RANK_WORDS,
  REVENUE_VERBS,
  REWRITES,
  SEGMENT_PHRASES,
  SOCIAL_CUES,
  UNAVAILABLE,
  WHY,
} from "./words.ts";

/**
 * Questions as marketers type them, read without a language model into one of
 * Lift's commands (the canonical command the answer is stored with). The
 * workspace's own names (campaigns, experiments, segments) come in as a
 * vocabulary, so "how is the shopping ads campaign doing" finds ps-shopping.
 */
export interface Vocabulary {
  campaigns: { id: string; name: string }[];
  experiments: { id: string; name: string }[];
  /** Segment names as the segment command knows them (lower case). */
  segments: string[];
  /** Commands that change nothing, by name: a typo in one ("campains this month") is read as it. */
  commands?: string[];
}

export type Reading =
  /** A command to run; notes say what was read as what ("read “chanel” as channel"). */
  | { kind: "command"; command: string; notes: string[] }
  /** A metric Lift does not have, why, and commands it can answer instead. */
  | { kind: "unavailable"; metric: string; why: string; instead: string[]; notes: string[] }
  /** Words it could not place: what it understood, and the closest readings to offer. */
  | { kind: "unsure"; understood: string; unread: string[]; readings: string[]; notes: string[] }
  /** Nothing about marketing data. */
  | { kind: "unknown"; notes: string[] };

/** Why and direction questions with no period look at the last seven days against the seven before. */
export const WHY_DEFAULT_PERIOD = { kind: "last_days", n: 7 } as const;

const STOP = new Set([
  "the",
  "a",
  "an",
  "of",
  "and",
  "on",
  "now",
  "aa",
  "check",
  "test",
  "experiment",
  "page",
]);

function normalize(question: string): string {
  let t = question
    .replace(/[“”„]/g, '"')
    .replace(/[‘’`]/g, "'")
    .replace(/<@[^>]+>/g, " ")
    .toLowerCase()
    .replace(/^\s*@?lift\b[:,]?/, " ")
    .replace(/^\s*ask\s+/, " ");
  t = t
    .replace(/\b(what|who|how|it|that|there|where|when|here)'s\b/g, "$1 is")
    .replace(/\bwhats\b/g, "what is")
    .replace(/\bhows\b/g, "how is")
    .replace(/\bcan't\b|\bcannot\b/g, "can not")
    .replace(/\b(\w+)n't\b/g, "$1 not")
    .replace(/'re\b/g, " are")
    .replace(/'ve\b/g, " have")
    .replace(/'ll\b/g, " will")
    .replace(/'d\b/g, " would")
    .replace(/\b(\w+)'s?\b/g, "$1")
    .replace(/&/g, " and ")
    .replace(/[?!,;:()]/g, " ")
    .replace(/\.(?=\s|$)/g, " ");
  return ` ${t.replace(/\s+/g, " ").trim()} `;
}

/** The domain words a typo may be corrected to. */
function domainWords(vocabulary: Vocabulary): string[] {
  const names = [...vocabulary.campaigns, ...vocabulary.experiments].flatMap((c) =>
    c.name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4),
  );
  return [
    ...new Set([
      ...KPI_VOCABULARY,
      ...names,
      "campaign",
      "campaigns",
      "channel",
      "channels",
      "experiment",
      "experiments",
      "segment",
      "segments",
      "customers",
      "sentiment",
      "mentions",
      "funnel",
      "pacing",
      "budget",
      "digest",
      "summary",
      ...(vocabulary.commands ?? []),
      "conversion",
      "rate",
      "yesterday",
      "quarter",
    ]),
  ];
}

/** Corrects words that are one typo from a metric, channel, period or name ("chanel" → channel). */
function correctTypos(text: string, vocabulary: Vocabulary, notes: string[]): string {
  const domain = domainWords(vocabulary);
  const known = new Set([
    ...domain,
    ...[...vocabulary.campaigns, ...vocabulary.experiments].flatMap((c) =>
      `${c.id} ${c.name}`.toLowerCase().split(/[^a-z0-9]+/),
    ),
  ]);
  let quoted = false;
  const words = text.split(" ");
  return words
    .map((word, i) => {
      if (word.includes('"')) quoted = (word.match(/"/g)!.length % 2 === 1) !== quoted;
      // What people talk about ("about shipping") is theirs to name: never corrected.
      const topic = i > 0 && /^(?:about|regarding)$/.test(words[i - 1]!);
      if (
        quoted ||
        topic ||
        word.length < 3 ||
        known.has(word) ||
        COMMON_WORDS.has(word) ||
        ASK_FILLER.has(word)
      )
        return word;
      if (!/^[a-z]+$/.test(word)) return word;
      const allowed = word.length >= 9 ? 2 : 1;
      let best: { w: string; d: number } | null = null;
      for (const w of domain) {
        if (Math.abs(w.length - word.length) > allowed) continue;
        const d = typoDistance(word, w);
        if (d <= allowed && (best === null || d < best.d)) best = { w, d };
      }
      if (!best) return word;
      notes.push(`read “${word}” as ${best.w}`);
      return best.w;
    })
    .join(" ");
}

/** An experiment the words name (by its id's parts or its name's distinctive words), with how many matched. */
function experimentNamed(text: string, vocabulary: Vocabulary): { id: string; score: number } | null {
  const words = new Set(text.split(" ").filter((w) => w.length >= 3 && !STOP.has(w)));
  let best: { id: string; score: number } | null = null;
  let tie = false;
  for (const experiment of vocabulary.experiments) {
    const tokens = new Set(
      `${experiment.id} ${experiment.name}`
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length >= 3 && !STOP.has(w)),
    );
    let score = 0;
    for (const token of tokens) if (words.has(token)) score++;
    if (score === 0) continue;
    if (best === null || score > best.score) {
      best = { id: experiment.id, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best : null;
}

/** Replaces a campaign named in words or by id with the grammar's `campaign ID`. */
function campaignNamed(text: string, vocabulary: Vocabulary): { text: string; id: string } | null {
  const byLength = [...vocabulary.campaigns].sort((a, b) => b.name.length - a.name.length);
  for (const campaign of byLength) {
    for (const name of [campaign.name.toLowerCase(), campaign.id.toLowerCase()]) {
      const words = name.split(/[^a-z0-9-]+/).filter(Boolean);
      if (words.length === 0) continue;
      const pattern = new RegExp(
        `(?:\\s(?:the|our))?\\s${words.map(escapeRegExp).join("\\s")}(?:\\s(?:campaign|campaigns|ads?|emails?))?(?=\\s)`,
      );
      const match = pattern.exec(text);
      if (match) {
        return {
          text: `${text.slice(0, match.index)} campaign ${campaign.id} ${text.slice(match.index + match[0].length)}`,
          id: campaign.id,
        };
      }
    }
  }
  return null;
}

const strip = (text: string, pattern: RegExp) =>
  ` ${text.replace(pattern, " ").replace(/\s+/g, " ").trim()} `;

/** Metric and channel names of more than one word: their words are never dropped as filler ("return on ad spend"). */
const PHRASES = [
  ...new Set(
    [...METRIC_NAMES.map((m) => m.name), ...CHANNEL_ALTERNATION.split("|")].filter((n) => n.includes(" ")),
  ),
]
  .sort((a, b) => b.length - a.length)
  .map((phrase) => ({
    pattern: new RegExp(`(?<=\\s)${escapeRegExp(phrase)}(?=\\s)`, "g"),
    joined: phrase.replace(/ /g, "\u0000"),
  }));

/** Drops words that carry nothing for the grammar ("how much … did we make"). */
function dropFiller(text: string): string {
  let marked = ` ${text.trim()} `;
  for (const { pattern, joined } of PHRASES) marked = marked.replace(pattern, joined);
  const words = marked.split(" ").filter(Boolean);
  const kept = words
    .map((w) => w.replace(/\u0000/g, " "))
    .filter((word, i) => {
      if (!ASK_FILLER.has(word)) return true;
      // "for email", "on 2026-11-27", "from 2026-11-20 to …" and "top 5" keep their neighbours' sense.
      if (word === "on" && /^\d{4}-/.test(words[i + 1] ?? "")) return true;
      return false;
    });
  return ` ${kept.join(" ")} `;
}

interface KpiReading {
  query: KpiQuery;
  said: Said;
  text: string;
}

/** The KPI grammar on prepared words; null with the words it could not read. */
function tryGrammar(
  text: string,
  today: string,
): { reading: KpiReading | null; unread: string[]; suggestions?: string[] } {
  try {
    const { query, said } = readKpiQuestion(text, today);
    return { reading: { query, said, text }, unread: [] };
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_input") {
      const unread = /I could not read “(.+)”/.exec(error.message)?.[1]?.split(" ") ?? [];
      return { reading: null, unread, suggestions: error.suggestions };
    }
    throw error;
  }
}

/** Ranking words ("top 5", "best", "which … the most") in the grammar's words, or the text as it was. */
function rankWords(text: string): { text: string; ranked: boolean; flip: boolean } {
  const noun = /\b(channels?|sources?|campaigns?|segments?)\b/.exec(text);
  if (!noun) return { text, ranked: false, flip: false };
  for (const [pattern, order, flips] of RANK_WORDS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const after = text.slice(match.index + match[0].length);
    const count = /^\s(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b/.exec(after);
    const before = /\b(\d{1,3}|three|five|ten)\s$/.exec(text.slice(0, match.index));
    const n = count?.[1] ?? before?.[1] ?? null;
    const plural = noun[1]!.endsWith("s");
    let rest =
      text.slice(0, match.index - (before ? before[0].length : 0)) + after.slice(count ? count[0].length : 0);
    rest = rest.replace(/\bperforming\b/g, " ");
    const by = noun[1]!.replace(/s$/, "").replace("source", "channel");
    rest = rest.replace(new RegExp(`\\b${noun[1]}\\b`), " ");
    return {
      text: ` ${rest} by ${by} ${order}${n ? ` ${n}` : plural ? "" : " 1"} `.replace(/\s+/g, " "),
      ranked: true,
      flip: flips,
    };
  }
  return { text, ranked: false, flip: false };
}

/** Reads the words of a KPI question; when ranked by "best"/"worst", flips for metrics where lower is better. */
/**
 * A question's words as the KPI grammar reads them: synonyms rewritten (with a
 * note where the reading is a choice), trends, "compare X with Y", ranking
 * words, fillers dropped.
 */
function grammarWords(
  text: string,
  notes: string[],
): { words: string; ranked: ReturnType<typeof rankWords> } {
  let prepared = text;
  for (const rewrite of REWRITES) {
    const before = prepared;
    prepared = prepared.replace(rewrite.pattern, ` ${rewrite.to} `);
    if (rewrite.note && before !== prepared) notes.push(rewrite.note);
  }
  // "revenue trend" is a daily breakdown, unless another one is asked for ("trend by week").
  prepared = prepared.replace(
    /\b(?:trend|over time)\b/g,
    /\b(?:by|per) (?:day|week|month)s?\b|\b(?:daily|weekly|monthly)\b/.test(prepared) ? " " : " daily ",
  );
  // "compare november with october revenue" → "november vs october revenue".
  prepared = prepared.replace(/\bcompared?\b(.*?)\b(?:with|and|to|against)\b/, "$1 vs ");
  const ranked = rankWords(prepared);
  return { words: dropFiller(ranked.text), ranked };
}

function readKpi(
  text: string,
  today: string,
  notes: string[],
): { reading: KpiReading | null; unread: string[] } {
  const { words: prepared, ranked } = grammarWords(text, notes);
  let { reading, unread } = tryGrammar(prepared, today);
  if (!reading && REVENUE_VERBS.test(text)) {
    // "how much did we sell" names no metric: money coming in is revenue.
    ({ reading, unread } = tryGrammar(
      strip(prepared, new RegExp(REVENUE_VERBS.source, "g")) + " revenue ",
      today,
    ));
  }
  if (reading && !reading.said.metrics && REVENUE_VERBS.test(text)) {
    reading.query = { ...reading.query, metrics: ["revenue"] };
    reading.said = { ...reading.said, metrics: true };
  }
  if (reading && ranked.ranked) {
    if (!reading.said.metrics) {
      reading.query = { ...reading.query, metrics: ["revenue"] };
      notes.push("ranked by revenue: the question named no metric");
    }
    const metric = metricByKey(reading.query.metrics[0]!);
    if (ranked.flip && metric?.better === "down" && reading.query.rank) {
      reading.query = {
        ...reading.query,
        rank: { ...reading.query.rank, order: reading.query.rank.order === "top" ? "bottom" : "top" },
      };
    }
  }
  return { reading, unread };
}

/** Whether the reading rests on anything the asker said about marketing data. */
function saidSomething(reading: KpiReading): boolean {
  const { said } = reading;
  return said.metrics || said.filter || said.by || said.rank;
}

const kpiCommand = (name: string, query: KpiQuery) => `${name} ${queryText(query)}`.trim();

function whyReading(text: string, vocabulary: Vocabulary, today: string, notes: string[]): Reading | null {
  let rest = strip(text.trim(), new RegExp(WHY.source, "g"));
  const campaign = campaignNamed(rest, vocabulary);
  if (campaign) rest = campaign.text;
  rest = strip(rest, MOTION_WORDS);
  rest = strip(rest.trim(), DIRECTION_START);
  const { reading, unread } = readKpi(rest, today, notes);
  if (!reading) return unsureOf(rest, unread, today, notes);
  const query: KpiQuery = {
    ...reading.query,
    metrics: reading.said.metrics ? reading.query.metrics.slice(0, 1) : ["revenue"],
    period: reading.said.period ? reading.query.period : WHY_DEFAULT_PERIOD,
    by: "none",
  };
  delete query.rank;
  if (!reading.said.metrics) notes.push("read as revenue: the question named no metric");
  return { kind: "command", command: kpiCommand("why", query), notes };
}

/** Whether a campaign named in a question is one of the workspace's (by id or name). */
function knownCampaign(named: string, vocabulary: Vocabulary): boolean {
  const lower = named.toLowerCase();
  return vocabulary.campaigns.some((c) => c.id.toLowerCase() === lower || c.name.toLowerCase() === lower);
}

function unsureOf(text: string, unread: string[], today: string, notes: string[], read?: KpiQuery): Reading {
  if (read) {
    const readings = [kpiCommand("kpi", { ...read, by: "campaign" }), kpiCommand("kpi", read)];
    return { kind: "unsure", understood: queryText(read), unread, readings, notes };
  }
  const words = unread.filter((w) => !ASK_FILLER.has(w));
  const kept = text
    .split(" ")
    .filter((w) => w && !words.includes(w))
    .join(" ");
  const { reading, suggestions = [] } = tryGrammar(kept, today);
  if (!reading && suggestions.length > 0) {
    const readings = suggestions.flatMap((text) => {
      const again = tryGrammar(text, today).reading;
      return again ? [kpiCommand("kpi", again.query)] : [];
    });
    if (readings.length > 0) return { kind: "unsure", understood: "", unread: words, readings, notes };
  }
  if (!reading || !saidSomething(reading)) return { kind: "unknown", notes };
  const readings = [kpiCommand("kpi", reading.query)];
  if (reading.query.by === "none") readings.push(kpiCommand("kpi", { ...reading.query, by: "channel" }));
  return { kind: "unsure", understood: queryText(reading.query), unread: words, readings, notes };
}

function socialReading(text: string, today: string): string {
  const period = findPeriod(text, today);
  let rest = period ? ` ${period.text} ` : text;
  const label = /\bcomplain\w*|\bcomplaints?\b|\bnegative\b|\bangry\b|\bunhappy\b|\bbad\b/.test(rest)
    ? "negative"
    : /\bpositive\b|\bpraise\w*|\bhappy\b|\blove\b|\bgood\b/.test(rest)
      ? "positive"
      : null;
  const platform = PLATFORM_WORDS.find(([pattern]) => pattern.test(rest))?.[1] ?? null;
  for (const [pattern] of PLATFORM_WORDS) rest = rest.replace(pattern, " ");
  const about = /\b(?:about|of|regarding|on)\s+((?:the |our )?[a-z0-9][\w' -]*)$/.exec(rest.trim());
  let term = about?.[1]?.replace(/^(?:the|our) /, "").trim() ?? null;
  if (
    term &&
    /^(?:us|we|our brand|the brand|brand|our company|our shop|our store|it|social|social media|them)$/.test(
      term,
    )
  )
    term = null;
  if (term) term = term.split(" ").slice(0, 3).join(" ");
  const periodText = period ? periodSpecText(period.period) : "";
  if (!term && !label && !platform && /\bsentiment\b|\bfeel\b|\bthink\b|\bsaying\b|\bsay\b/.test(text))
    return `sentiment ${periodText}`.trim();
  return ["mentions", label, periodText, platform ? `on ${platform}` : "", term ? `about ${term}` : ""]
    .filter(Boolean)
    .join(" ");
}

function funnelReading(text: string): string | null {
  const found: { at: number; step: string }[] = [];
  for (const [pattern, step] of FUNNEL_STEPS) {
    const match = new RegExp(pattern.source, "g").exec(text);
    if (match) found.push({ at: match.index, step });
  }
  const steps = found.sort((a, b) => a.at - b.at).map((f) => f.step);
  if (!/\bfunnels?\b/.test(text) && steps.length < 2) return null;
  if (steps.length === 0) steps.push("Product Added", "Order Completed");
  if (steps.length === 1) steps.unshift(steps[0] === "Signed Up" ? "Signed Up" : "Product Added");
  const unique = steps.filter((s, i) => steps.indexOf(s) === i);
  if (unique.length < 2) unique.push("Order Completed");
  const by = /\bby channel\b|\bper channel\b/.test(text) ? " by channel" : "";
  return `funnel ${unique.map((s) => `"${s}"`).join(" > ")}${by}`;
}

function segmentReading(text: string, vocabulary: Vocabulary): string | null {
  // "revenue for segment champions", "orders by segment": figures, read by the KPI grammar.
  if (/\b(?:for|in|of|among) (?:the )?segment\b|\b(?:by|per) segments?\b/.test(text)) return null;
  if (CLUSTER_CUES.test(text)) {
    const k =
      /\b(\d{1,2})\s(?:clusters|groups|segments|kinds|types)\b|\binto\s(\d{1,2})\b|\bk\s?=\s?(\d{1,2})\b/.exec(
        text,
      );
    const n = k ? (k[1] ?? k[2] ?? k[3]) : null;
    return `segment clusters${n ? ` ${n}` : ""}`;
  }
  const customers = CUSTOMER_WORDS.test(text) || /\bsegments?\b/.test(text);
  const named = vocabulary.segments
    .filter((name) => name.length >= 3)
    .sort((a, b) => b.length - a.length)
    .find((name) => new RegExp(`\\s${escapeRegExp(name.replace("can't", "can not"))}(?:\\s|$)`).test(text));
  if (named && (customers || named.includes(" ") || named.length >= 6)) return `segment ${named}`;
  if (!customers) return null;
  for (const [pattern, name] of SEGMENT_PHRASES) if (pattern.test(text)) return `segment ${name}`;
  if (/\bsegments?\b|\brfm\b|\bsegmentation\b/.test(text) && !/\bby segment\b|\bper segment\b/.test(text))
    return "segments";
  return null;
}

/**
 * A reply's words as the KPI grammar reads them ("and what about by campaign?"
 * → "by campaign"), for merging with the thread's last question; null when
 * the grammar cannot read them.
 */
export function kpiWords(reply: string, vocabulary: Vocabulary, today: string): string | null {
  const notes: string[] = [];
  const text = ` ${correctTypos(normalize(reply).trim(), vocabulary, notes)} `;
  const campaign = campaignNamed(text, vocabulary);
  const prepared = grammarWords(campaign ? campaign.text : text, notes)
    .words.replace(/\s+/g, " ")
    .trim();
  return tryGrammar(prepared, today).reading ? prepared : null;
}

/**
 * Reads a question. Order matters: what Lift does not have is said before a
 * near word is taken for a metric; what people say (social) before a metric
 * word inside it ("what do customers say about returns"); "why" and direction
 * before plain figures.
 */
export function understand(question: string, vocabulary: Vocabulary, today: string): Reading {
  const notes: string[] = [];
  let text = normalize(question);
  const typed = text.trim().split(" ")[0] ?? "";
  text = ` ${correctTypos(text.trim(), vocabulary, notes)} `;
  // A command one typo off ("campains this month") is that command, said in the notes.
  const first = text.trim().split(" ")[0] ?? "";
  if (first !== typed && vocabulary.commands?.includes(first))
    return { kind: "command", command: text.trim(), notes };

  const social = SOCIAL_CUES.test(text) && !/\bsocial (?:ads|spend|campaigns?)\b|\bpaid social\b/.test(text);
  if (social && !/\bsentiment of\b/.test(text) && !WHY.test(text)) {
    if (!/\bpaid social\b/.test(text)) return { kind: "command", command: socialReading(text, today), notes };
  }

  for (const metric of UNAVAILABLE) {
    if (metric.pattern.test(text) && !/\bat risk of churn/.test(text))
      return { kind: "unavailable", metric: metric.name, why: metric.why, instead: metric.instead, notes };
  }

  const named = experimentNamed(text, vocabulary);
  if (EXPERIMENT_CUES.test(text) || (named && named.score >= 2)) {
    if (!/\bfunnel\b/.test(text))
      return { kind: "command", command: named ? `experiment ${named.id}` : "experiments", notes };
  }

  const segment = segmentReading(text, vocabulary);
  if (segment && (!/\bnew customers?\b/.test(text) || /\bsegments?\b/.test(text)))
    return { kind: "command", command: segment, notes };

  // "how are the channels doing", "campaign performance this month": the overview commands.
  const overview =
    /\b(channels?|campaigns?)\b(?:.*\b(?:doing|performance|performing|overview|going)\b)|\b(?:how|overview)\b.*\b(channels|campaigns)\b\s*(?:$|\b(?:doing|performing|going|this|last|yesterday|today|in)\b)/.exec(
      text,
    );
  if (overview && !campaignNamed(text, vocabulary)) {
    const rest = strip(
      text,
      /\b(?:channels?|campaigns?|doing|performance|performing|overview|going|how|are|is|our|the)\b/g,
    );
    const { reading } = tryGrammar(dropFiller(rest), today);
    if (reading && !reading.said.metrics && !reading.said.filter) {
      const name = (overview[1] ?? overview[2] ?? "").startsWith("channel") ? "channels" : "campaigns";
      return { kind: "command", command: `${name} ${periodOf(reading)}`.trim(), notes };
    }
  }

  if (WHY.test(text.trim()) || (DIRECTION_START.test(text.trim()) && DIRECTION.test(text))) {
    const why = whyReading(text, vocabulary, today, notes);
    if (why) return why;
  }

  if (PACING_CUES.test(text) && !/\bspend\b.*\bby\b/.test(text))
    return { kind: "command", command: "pacing", notes };

  if (FUNNEL_CUES.test(text) && !/\b\d{4}-\d{2}-\d{2}\b/.test(text)) {
    const funnel = funnelReading(text);
    if (funnel) return { kind: "command", command: funnel, notes };
  }

  if (DIGEST_CUES.test(text)) {
    return { kind: "command", command: /\bweek(?:ly)?\b/.test(text) ? "digest weekly" : "digest", notes };
  }

  const campaign = campaignNamed(text, vocabulary);
  const words = campaign ? campaign.text : text;
  const { reading, unread } = readKpi(words, today, notes);
  if (!reading) return unsureOf(dropFiller(words), unread, today, notes);
  // "which campaign is wasting money": the word after "campaign" is no campaign of this workspace.
  const asked = reading.query.filter.campaignId;
  if (asked !== undefined && !knownCampaign(asked, vocabulary)) {
    const { campaignId: _, ...filter } = reading.query.filter;
    return unsureOf(
      dropFiller(words.replace(new RegExp(`\\bcampaign ${escapeRegExp(asked)}\\b`), " campaigns ")),
      [asked],
      today,
      notes,
      {
        ...reading.query,
        filter,
      },
    );
  }
  if (!saidSomething(reading)) {
    // "how are the channels doing", "campaign performance this month": the overview commands.
    if (/\bchannels?\b/.test(text))
      return { kind: "command", command: `channels ${periodOf(reading)}`.trim(), notes };
    if (/\bcampaigns?\b/.test(text))
      return { kind: "command", command: `campaigns ${periodOf(reading)}`.trim(), notes };
    return { kind: "unknown", notes };
  }
  return { kind: "command", command: kpiCommand("kpi", reading.query), notes };
}

const periodOf = (reading: KpiReading) => (reading.said.period ? periodSpecText(reading.query.period) : "");
