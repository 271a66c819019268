import { AppError } from "../../platform/base/errors.ts";
import { escapeRegExp } from "../../platform/base/text.ts";
import { CHANNEL_ALTERNATION, CHANNEL_LABELS, channelNamed } from "../../platform/ingest/channel.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import {
  findPeriod,
  type GrammarWords,
  NO_WORDS,
  readKpiQuestion,
  type Said,
} from "../../platform/metrics/grammar.ts";
import type { KpiQuery } from "../../platform/metrics/kpis.ts";
import { periodSpecText } from "../../platform/metrics/periods.ts";
import { queryText } from "../../platform/metrics/query-text.ts";
import { actionVerb, cannotDo } from "./actions.ts";
import { campaignNamed, correctTypos, dropFiller, normalize, strip } from "./question-words.ts";
import type { AskVocabulary, Question, Reading, Vocabulary } from "./vocabulary.ts";
import {
  ASK_FILLER,
  DIRECTION,
  DIRECTION_START,
  MOTION_WORDS,
  RANK_WORDS,
  REPHRASE,
  REVENUE_VERBS,
  REWRITES,
  UNAVAILABLE,
  WHY,
} from "./words.ts";

export type { Reading, Vocabulary };

/** The day questions are read against, and the grammar's extra words. */
interface Day {
  today: string;
  grammar: GrammarWords;
}

/** What the offline understanding reads with: the capabilities' readers and the grammar's extra words. */
export interface Understanding {
  readers: readonly AskVocabulary[];
  grammar: GrammarWords;
}

export const NO_READERS: Understanding = { readers: [], grammar: NO_WORDS };

/*
 * Questions as marketers type them, read without a language model into one of
 * Lift's commands (the canonical command the answer is stored with). The
 * workspace's own names (campaigns, and what capabilities add: experiments,
 * segments) come in as a vocabulary, so "how is the shopping ads campaign
 * doing" finds ps-shopping; each capability's reader reads questions about it.
 */

/** Why and direction questions with no period look at the last seven days against the seven before. */
export const WHY_DEFAULT_PERIOD = { kind: "last_days", n: 7 } as const;

interface KpiReading {
  query: KpiQuery;
  said: Said;
  text: string;
}

/** The KPI grammar on prepared words; null with the words it could not read. */
function tryGrammar(
  text: string,
  day: Day,
): { reading: KpiReading | null; unread: string[]; suggestions?: string[] } {
  try {
    const { query, said } = readKpiQuestion(text, day.today, day.grammar);
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

function readKpi(text: string, day: Day, notes: string[]): { reading: KpiReading | null; unread: string[] } {
  const { words: prepared, ranked } = grammarWords(text, notes);
  let { reading, unread } = tryGrammar(prepared, day);
  if (!reading && REVENUE_VERBS.test(text)) {
    // "how much did we sell" names no metric: money coming in is revenue.
    ({ reading, unread } = tryGrammar(
      strip(prepared, new RegExp(REVENUE_VERBS.source, "g")) + " revenue ",
      day,
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

function whyReading(text: string, vocabulary: Vocabulary, day: Day, notes: string[]): Reading | null {
  let rest = strip(text.trim(), new RegExp(WHY.source, "g"));
  const campaign = campaignNamed(rest, vocabulary);
  if (campaign) rest = campaign.text;
  rest = strip(rest, MOTION_WORDS);
  rest = strip(rest.trim(), DIRECTION_START);
  const { reading, unread } = readKpi(rest, day, notes);
  if (!reading) return unsureOf(rest, unread, day, notes);
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
  return (vocabulary.names["campaign"] ?? []).some(
    (c) => c.id.toLowerCase() === lower || c.name.toLowerCase() === lower,
  );
}

function unsureOf(text: string, unread: string[], day: Day, notes: string[], read?: KpiQuery): Reading {
  if (read) {
    const readings = [kpiCommand("kpi", { ...read, by: "campaign" }), kpiCommand("kpi", read)];
    return { kind: "unsure", understood: queryText(read), unread, readings, notes };
  }
  const words = unread.filter((w) => !ASK_FILLER.has(w));
  const kept = text
    .split(" ")
    .filter((w) => w && !words.includes(w))
    .join(" ");
  const { reading, suggestions = [] } = tryGrammar(kept, day);
  if (!reading && suggestions.length > 0) {
    const readings = suggestions.flatMap((text) => {
      const again = tryGrammar(text, day).reading;
      return again ? [kpiCommand("kpi", again.query)] : [];
    });
    if (readings.length > 0) return { kind: "unsure", understood: "", unread: words, readings, notes };
  }
  if (!reading || !saidSomething(reading)) return { kind: "unknown", notes };
  const readings = [kpiCommand("kpi", reading.query)];
  if (reading.query.by === "none") readings.push(kpiCommand("kpi", { ...reading.query, by: "channel" }));
  return { kind: "unsure", understood: queryText(reading.query), unread: words, readings, notes };
}

/**
 * A reply's words as the KPI grammar reads them ("and what about by campaign?"
 * → "by campaign"), for merging with the thread's last question; null when
 * the grammar cannot read them.
 */
export function kpiWords(
  reply: string,
  vocabulary: Vocabulary,
  today: string,
  understanding: Understanding = NO_READERS,
): string | null {
  const day: Day = { today, grammar: understanding.grammar };
  const notes: string[] = [];
  const text = ` ${correctTypos(normalize(reply).trim(), vocabulary, understanding, notes)} `;
  const campaign = campaignNamed(text, vocabulary);
  const prepared = grammarWords(campaign ? campaign.text : text, notes)
    .words.replace(/\s+/g, " ")
    .trim();
  return tryGrammar(prepared, day).reading ? prepared : null;
}

/**
 * Reads a question. Order matters: what people say (social) before a metric
 * word inside it ("what do customers say about returns"); what Lift does not
 * have before a near word is taken for a metric; "why" and direction before
 * plain figures. Each capability's reader has its place in that order.
 */
export function understand(
  question: string,
  vocabulary: Vocabulary,
  today: string,
  understanding: Understanding = NO_READERS,
): Reading {
  const day: Day = { today, grammar: understanding.grammar };
  const notes: string[] = [];
  let text = normalize(question);
  const typed = text.trim().split(" ")[0] ?? "";
  text = ` ${correctTypos(text.trim(), vocabulary, understanding, notes)} `;
  // A command one typo off ("campains this month") is that command, said in the notes.
  const first = text.trim().split(" ")[0] ?? "";
  if (first !== typed && vocabulary.commands?.includes(first))
    return { kind: "command", command: text.trim(), notes };

  // "how is paid social doing vs last week" names no period of its own: the last 7 days against the 7 before.
  const against =
    /\s(?:vs|versus|compared (?:to|with)|against) (?:last|the previous|previous) (week|month)\b/.exec(text);
  if (against && !findPeriod(text.replace(against[0], " "), today))
    text = `${text.replace(against[0], ` last ${against[1] === "week" ? 7 : 30} days `)} `;
  // "compare email vs paid search revenue": two channels side by side, as rows of the table by channel.
  const pair = new RegExp(
    `(?:\\bcompare )?\\b(${CHANNEL_ALTERNATION}) (?:vs\\.?|versus|and|with|to|against) (${CHANNEL_ALTERNATION})\\b`,
  ).exec(text);
  const [a, b] = pair ? [channelNamed(pair[1]!), channelNamed(pair[2]!)] : [null, null];
  if (pair && a && b && a !== b) {
    text = ` ${text
      .replace(pair[0], " ")
      .replace(/\bcompare\b/, " ")
      .replace(/\s+/g, " ")
      .trim()} by channel `;
    notes.push(`compared ${CHANNEL_LABELS[a]} and ${CHANNEL_LABELS[b]} as rows of the table by channel`);
  }
  for (const { pattern, as, note } of REPHRASE) {
    if (!pattern.test(text)) continue;
    text = ` ${text.replace(pattern, as).replace(/\s+/g, " ").trim()} `;
    notes.push(note);
  }
  const why = WHY.test(text.trim()) || (DIRECTION_START.test(text.trim()) && DIRECTION.test(text));
  const asked: Question = {
    text,
    today,
    names: vocabulary.names,
    notes,
    why: WHY.test(text),
    namesCampaign: campaignNamed(text, vocabulary) !== null,
    kpi: (words) => tryGrammar(dropFiller(words), day).reading,
  };
  const readers = [...understanding.readers].sort((a, b) => a.order - b.order);
  const readUpTo = (order: number): Reading | null => {
    for (const reader of readers) {
      if (reader.order >= order) break;
      const reading = reader.read?.(asked);
      if (reading) return reading;
    }
    return null;
  };

  // A request to act is never read as a report about something else.
  const verb = actionVerb(text);
  if (verb) {
    const cannot = cannotDo(text);
    for (const reader of readers) {
      const reading = reader.act?.(asked, verb);
      if (!reading) continue;
      // "email me a weekly digest": Lift can't email the asker; what it can do (post the digest in Slack) is offered instead.
      if (
        cannot &&
        /^(?:e-?mail|mail|text|sms)$/.test(verb) &&
        /\b(?:me|us)\b/.test(text) &&
        reading.kind === "action"
      )
        return { kind: "cannot", what: cannot, instead: [reading.command], notes };
      return reading;
    }
    if (cannot) return { kind: "cannot", what: cannot, instead: [], notes };
    // "export revenue by channel last month": the answer, whose Download CSV is the export.
    if (verb !== "export" && verb !== "download")
      return { kind: "cannot", what: `do “${question.trim()}” from a question`, instead: ["help"], notes };
    asked.text = ` ${text.replace(/^\s*(?:\w+ ){0,3}?(?:export|download)\s+(?:the |a |me )?/, " ").trim()} `;
    text = asked.text;
  }

  // What people say comes first (order < 20), then what Lift does not measure.
  const early = readUpTo(20);
  if (early) return early;
  for (const metric of UNAVAILABLE) {
    if (metric.pattern.test(text) && !/\bat risk of churn/.test(text))
      return { kind: "unavailable", metric: metric.name, why: metric.why, instead: metric.instead, notes };
  }
  const middle = readers.filter((r) => r.order >= 20 && r.order < 60);
  for (const reader of middle) {
    const reading = reader.read?.(asked);
    if (reading) return reading;
  }

  if (why) {
    const reading = whyReading(text, vocabulary, day, notes);
    if (reading) return reading;
  }

  for (const reader of readers.filter((r) => r.order >= 60)) {
    const reading = reader.read?.(asked);
    if (reading) return reading;
  }

  const campaign = campaignNamed(text, vocabulary);
  const words = campaign ? campaign.text : text;
  const { reading, unread } = readKpi(words, day, notes);
  if (!reading) return unsureOf(dropFiller(words), unread, day, notes);
  // "which campaign is wasting money": the word after "campaign" is no campaign of this workspace.
  const asked_ = reading.query.filter.campaignId;
  if (asked_ !== undefined && !knownCampaign(asked_, vocabulary)) {
    const { campaignId: _, ...filter } = reading.query.filter;
    return unsureOf(
      dropFiller(words.replace(new RegExp(`\\bcampaign ${escapeRegExp(asked_)}\\b`), " campaigns ")),
      [asked_],
      day,
      notes,
      { ...reading.query, filter },
    );
  }
  if (!saidSomething(reading)) {
    // "how are the channels doing", "campaign performance this month": the overview commands.
    if (/\bchannels?\b/.test(text) && vocabulary.commands?.includes("channels"))
      return { kind: "command", command: `channels ${periodOf(reading)}`.trim(), notes };
    if (/\bcampaigns?\b/.test(text) && vocabulary.commands?.includes("campaigns"))
      return { kind: "command", command: `campaigns ${periodOf(reading)}`.trim(), notes };
    return { kind: "unknown", notes };
  }
  return { kind: "command", command: kpiCommand("kpi", reading.query), notes };
}

const periodOf = (reading: KpiReading) => (reading.said.period ? periodSpecText(reading.query.period) : "");
