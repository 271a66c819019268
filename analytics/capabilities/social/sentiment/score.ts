import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BOOSTERS, COMMERCE, CONTRAST, EMOTICONS, NEGATIONS } from "./commerce-lexicon.ts";

/*
 * Sentiment for social and review text, built on the `sentiment` package's
 * AFINN-165 word list and emoji scores, with the rules such text needs:
 * negation scope, intensifiers and dampeners, contrast ("but"), ALL CAPS,
 * exclamation marks, elongated words, emoticons, commerce words, and a
 * workspace lexicon. The rule weights are VADER's published constants
 * (Hutto & Gilbert 2014, vaderSentiment: B_INCR 0.293, C_INCR 0.733,
 * N_SCALAR −0.74, "but" 0.5/1.5, "!" 0.292 up to four, normalisation α 15);
 * the code and the word lists here are Lift's own.
 */

/** Bumped whenever the rules or the built-in words change: stored scores of an older version are recomputed. */
export const SENTIMENT_VERSION = 3;

/** Scores within ±0.05 are neutral (the band VADER's authors recommend for compound scores). */
export const NEUTRAL_BAND = 0.05;

const CAPS = 0.733;
const NEGATE = -0.74;
const EXCLAIM = 0.292;
const ALPHA = 15;

const require = createRequire(import.meta.url);

type Lexicon = Map<string, number>;
let base: Lexicon | null = null;

/** Where AFINN (−5…5) and VADER (−4…4) meet: AFINN's words are scaled onto VADER's range. */
const AFINN_TO_VADER = 0.8;

/**
 * VADER's human-rated lexicon (7,500 words, slang and emoticons; Hutto & Gilbert 2014, MIT),
 * AFINN-165's words it lacks (scaled) and the emoji scores (from the `sentiment` package), then
 * Lift's shopping and delivery words over them.
 */
function baseLexicon(): Lexicon {
  if (base) return base;
  const afinn = require("sentiment/languages/en/labels.json") as Record<string, number>;
  const emoji = require("sentiment/build/emoji.json") as Record<string, number>;
  const vader = new Map<string, number>();
  for (const line of readFileSync(new URL("./vader-lexicon.tsv", import.meta.url), "utf8").split("\n")) {
    const [word, valence] = line.split("\t");
    if (word && valence !== undefined) vader.set(word, Number(valence));
  }
  const scaled = Object.entries(afinn)
    .filter(([word]) => !vader.has(word))
    .map(([word, v]) => [word, v * AFINN_TO_VADER] as [string, number]);
  base = new Map([...scaled, ...Object.entries(emoji), ...vader, ...COMMERCE, ...EMOTICONS]);
  for (const key of base.keys()) if (key.includes(" ")) phraseStarts.add(key.split(" ")[0]!);
  return base;
}

/** The first words of the lexicon's phrases: only a word in here is tried as the start of a phrase. */
const phraseStarts = new Set<string>();

const TOKEN =
  /(?:[:;=8xX>]['-]?[)(\][dDpP/\\|*3oO@])|(?:<\/?3)|(?:[dD]:)|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|\p{Extended_Pictographic}|!+|[.,;?]/gu;

interface Token {
  text: string;
  lower: string;
  caps: boolean;
  /** Starts with a letter (not an emoji, emoticon or punctuation). */
  word: boolean;
  elongated: boolean;
}

const WORD_START = /^\p{L}/u;

/** Links and @handles carry no sentiment, but their words would ("…/removed", "@happyfeet"). */
const NOT_WORDS = /https?:\/\/\S+|\bwww\.\S+|@\w+/g;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.replace(NOT_WORDS, " ").matchAll(TOKEN)) {
    const raw = match[0].includes("’") ? match[0].replace(/’/g, "'") : match[0];
    const lower = raw.toLowerCase();
    // "sooooo", "gooood": three or more of a letter.
    const elongated = lower.length > 2 && /(\p{L})\1\1/u.test(lower);
    tokens.push({
      text: raw,
      lower,
      // Upper case letters and nothing else (a word that changes when lowered, and not when raised).
      caps: raw.length > 1 && raw !== lower && raw === raw.toUpperCase(),
      word: WORD_START.test(raw),
      elongated,
    });
  }
  return tokens;
}

type Lookup = (word: string) => number | undefined;

/** A word's valence, trying it as written and with its elongation undone ("goooood" → "good"). */
function valenceOf(lookup: Lookup, token: Token): number | undefined {
  const direct = lookup(token.lower);
  if (direct !== undefined || !token.elongated) return direct;
  return (
    lookup(token.lower.replace(/(\p{L})\1+/gu, "$1$1")) ?? lookup(token.lower.replace(/(\p{L})\1+/gu, "$1"))
  );
}

export interface SocialScore {
  /** −1 (very negative) … 1 (very positive). */
  score: number;
  label: "positive" | "neutral" | "negative";
  /** The sum of the rules' valences the score was normalised from. */
  raw: number;
}

export function labelOf(score: number): SocialScore["label"] {
  if (score >= NEUTRAL_BAND) return "positive";
  if (score <= -NEUTRAL_BAND) return "negative";
  return "neutral";
}

/**
 * Scores a text. `workspace` holds the workspace's own words (`sentiment
 * lexicon add`), which win over the built-in ones.
 */
/** What praise inside a question counts for: asking whether something is good mostly does not say it is. */
const QUESTION_PRAISE = 0.1;

const ASKING = new Set(
  "is are am was were does do did can could will would should shall may might has have had how what where when which who whom whose why any anyone anybody".split(
    " ",
  ),
);

/** The token ranges of sentences that are questions: ending with "?", or opening with an asking word. */
function questionSpans(tokens: Token[]): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  const close = (end: number, mark: string) => {
    const first = tokens.slice(start, end).find((t) => t.word);
    if (end > start && (mark === "?" || (first && ASKING.has(first.lower) && mark !== "!")))
      spans.push([start, end]);
  };
  tokens.forEach((token, i) => {
    if (/^[.?!]/.test(token.text)) {
      close(i, token.text[0]!);
      start = i + 1;
    }
  });
  close(tokens.length, "");
  return spans;
}

export function scoreSocial(text: string, workspace?: ReadonlyMap<string, number>): SocialScore {
  const lexicon = baseLexicon();
  // The workspace's own words win over the built-in ones.
  const lookup: Lookup =
    workspace && workspace.size > 0 ? (w) => workspace.get(w) ?? lexicon.get(w) : (w) => lexicon.get(w);
  const tokens = tokenize(text);
  // ALL CAPS only stands out in a text that is not all caps.
  const letters = tokens.filter((t) => t.word);
  const shouting = letters.length > 0 && letters.every((t) => t.caps || t.text.length === 1);
  const valences: number[] = [];
  let contrastAt = -1;
  let exclamations = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    valences.push(0);
    if (token.text.startsWith("!")) {
      exclamations += token.text.length;
      continue;
    }
    if (CONTRAST.has(token.lower)) {
      contrastAt = i;
      continue;
    }
    // Phrases of up to three words first ("waste of money", "does not work").
    let valence: number | undefined;
    let span = 1;
    const startsPhrase = phraseStarts.has(token.lower) || (workspace !== undefined && workspace.size > 0);
    for (const n of startsPhrase ? [3, 2] : []) {
      if (i + n > tokens.length) continue;
      const phrase = tokens
        .slice(i, i + n)
        .map((t) => t.lower)
        .join(" ");
      const found = lookup(phrase);
      if (found !== undefined) {
        valence = found;
        span = n;
        break;
      }
    }
    // A booster or a negation acts on the word after it ("damn good", "no problem"); with none to act
    // on, it is a word of its own ("Damn it!", "No new episodes?").
    const modifier = BOOSTERS.has(token.lower) || NEGATIONS.has(token.lower);
    const acting =
      modifier &&
      tokens.slice(i + 1, i + 4).some((t) => t.word && !BOOSTERS.has(t.lower) && valenceOf(lookup, t));
    valence ??= modifier && acting ? undefined : valenceOf(lookup, token);
    if (valence === undefined || valence === 0) continue;
    const sign = Math.sign(valence);
    if (token.caps && !shouting) valence += sign * CAPS;
    if (token.elongated) valence += sign * 0.5;
    // The three words before: boosters (fading with distance) and negations.
    let negated = false;
    for (let back = 1; back <= 3 && i - back >= 0; back++) {
      const before = tokens[i - back]!;
      if (/^[.,;?!]/.test(before.text) || CONTRAST.has(before.lower)) break;
      const boost = BOOSTERS.get(before.lower);
      if (boost !== undefined) {
        let b = boost * (back === 1 ? 1 : back === 2 ? 0.95 : 0.9);
        if (before.caps && !shouting) b += Math.sign(boost) * CAPS * 0.5;
        valence += sign * b;
      }
      if (NEGATIONS.has(before.lower) || before.lower.endsWith("n't")) negated = true;
    }
    if (negated) valence *= NEGATE;
    valences[i] = valence;
    i += span - 1;
    for (let k = 1; k < span; k++) valences.push(0);
  }
  if (contrastAt >= 0) {
    for (let i = 0; i < valences.length; i++) valences[i]! *= i < contrastAt ? 0.5 : 1.5;
  }
  // A question asks whether something is good; it does not say so ("Is the beanie true to size?"):
  // its praise counts a fifth. Complaints asked as questions ("why is shipping so slow?") stay.
  for (const [from, to] of questionSpans(tokens))
    for (let i = from; i < to && i < valences.length; i++)
      if (valences[i]! > 0) valences[i]! *= QUESTION_PRAISE;
  let sum = valences.reduce((a, b) => a + b, 0);
  if (sum !== 0) sum += Math.sign(sum) * Math.min(exclamations, 4) * EXCLAIM;
  const score = sum / Math.sqrt(sum * sum + ALPHA);
  const rounded = Math.round(score * 10_000) / 10_000;
  return { score: rounded, label: labelOf(rounded), raw: sum };
}
