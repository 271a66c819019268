import { typoDistance } from "../../platform/base/distance.ts";
import { escapeRegExp } from "../../platform/base/text.ts";
import { CHANNEL_ALTERNATION, KPI_VOCABULARY, METRIC_NAMES } from "../../platform/metrics/grammar.ts";
import type { Understanding } from "./understand.ts";
import type { Vocabulary } from "./vocabulary.ts";
import { ASK_FILLER, COMMON_WORDS } from "./words.ts";

export function normalize(question: string): string {
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
    .replace(/\bwks?\b/g, (w) => (w === "wk" ? "week" : "weeks"))
    .replace(/\bmos?\b(?=\s*$|\s+(?:ago|vs|versus|compared))/g, (w) => (w === "mo" ? "month" : "months"))
    .replace(/\byrs?\b/g, (w) => (w === "yr" ? "year" : "years"))
    .replace(/\bqtr\b/g, "quarter")
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

/** Every name of the workspace's things (campaigns, experiments, …), as lower-case words. */
const nameWords = (vocabulary: Vocabulary) =>
  Object.values(vocabulary.names).flatMap((items) => items.flatMap((c) => [c.id, c.name]));

/** The domain words a typo may be corrected to. */
function domainWords(vocabulary: Vocabulary, understanding: Understanding): string[] {
  const names = nameWords(vocabulary).flatMap((name) =>
    name
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
      "customers",
      ...understanding.grammar.scopes.flatMap((s) => [s.word, s.plural]),
      ...understanding.readers.flatMap((r) => r.words ?? []),
      ...(vocabulary.commands ?? []),
      "conversion",
      "rate",
      "yesterday",
      "quarter",
    ]),
  ];
}

/** Corrects words that are one typo from a metric, channel, period or name ("chanel" → channel). */
export function correctTypos(
  text: string,
  vocabulary: Vocabulary,
  understanding: Understanding,
  notes: string[],
): string {
  const domain = domainWords(vocabulary, understanding);
  const known = new Set([
    ...domain,
    ...nameWords(vocabulary).flatMap((n) => n.toLowerCase().split(/[^a-z0-9]+/)),
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

/** Replaces a campaign named in words or by id with the grammar's `campaign ID`. */
export function campaignNamed(text: string, vocabulary: Vocabulary): { text: string; id: string } | null {
  return campaignNamedExactly(text, vocabulary) ?? campaignNamedLoosely(text, vocabulary);
}

/** Words too common in campaign names to name one by alone. */
const GENERIC_CAMPAIGN_WORDS = new Set(
  "search terms ads ad campaign campaigns weekly daily monthly email emails partners brand generic shopping social paid organic the and for with".split(
    " ",
  ),
);

/**
 * A campaign named by part of its name: its first two words or more ("how did black friday go"
 * for "Black Friday teaser"), or one distinctive word before "campaign" ("the lookalike
 * campaign"). Only when exactly one campaign fits.
 */
function campaignNamedLoosely(text: string, vocabulary: Vocabulary): { text: string; id: string } | null {
  const found: { id: string; at: number; length: number }[] = [];
  for (const campaign of vocabulary.names["campaign"] ?? []) {
    const words = campaign.name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    let match: RegExpExecArray | null = null;
    for (let k = words.length - 1; k >= 2 && !match; k--)
      match = new RegExp(
        `(?:\\s(?:the|our))?\\s${words.slice(0, k).map(escapeRegExp).join("\\s")}(?:\\s(?:campaign|campaigns|ads?|emails?))?(?=\\s)`,
      ).exec(text);
    if (!match)
      for (const word of words.filter((w) => w.length >= 4 && !GENERIC_CAMPAIGN_WORDS.has(w))) {
        match = new RegExp(
          `(?:\\s(?:the|our))?\\s${escapeRegExp(word)}\\s(?:campaign|campaigns|ads|emails?)(?=\\s)`,
        ).exec(text);
        if (match) break;
      }
    if (match) found.push({ id: campaign.id, at: match.index, length: match[0].length });
  }
  if (found.length !== 1) return null;
  const [{ id, at, length }] = found as [{ id: string; at: number; length: number }];
  return { text: `${text.slice(0, at)} campaign ${id} ${text.slice(at + length)}`, id };
}

function campaignNamedExactly(text: string, vocabulary: Vocabulary): { text: string; id: string } | null {
  const byLength = [...(vocabulary.names["campaign"] ?? [])].sort((a, b) => b.name.length - a.name.length);
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

export const strip = (text: string, pattern: RegExp) =>
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
export function dropFiller(text: string): string {
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
