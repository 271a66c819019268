import { createRequire } from "node:module";

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
export const SENTIMENT_VERSION = 2;

/** Scores within ±0.05 are neutral (the band VADER's authors recommend for compound scores). */
export const NEUTRAL_BAND = 0.05;

const BOOST = 0.293;
const CAPS = 0.733;
const NEGATE = -0.74;
const EXCLAIM = 0.292;
const ALPHA = 15;

const require = createRequire(import.meta.url);

/** Words and phrases that lift or lower the word after them (within three words). */
const BOOSTERS = new Map<string, number>([
  ...[
    "very",
    "really",
    "so",
    "extremely",
    "super",
    "totally",
    "absolutely",
    "incredibly",
    "completely",
    "utterly",
    "truly",
    "highly",
    "hugely",
    "seriously",
    "insanely",
    "ridiculously",
    "especially",
    "particularly",
    "most",
    "more",
    "such",
    "damn",
    "freaking",
    "fucking",
    "deeply",
    "thoroughly",
    "remarkably",
    "exceptionally",
    "awfully",
    "terribly",
    "way",
    "too",
    "super-duper",
    "mega",
  ].map((w) => [w, BOOST] as [string, number]),
  ...[
    "slightly",
    "somewhat",
    "barely",
    "hardly",
    "little",
    "marginally",
    "partly",
    "kinda",
    "sorta",
    "fairly",
    "rather",
    "occasionally",
    "less",
    "mildly",
    "bit",
    "quite",
  ].map((w) => [w, -BOOST] as [string, number]),
]);

/** Words that turn the meaning of what follows them (within three words). */
const NEGATIONS = new Set([
  "not",
  "no",
  "never",
  "none",
  "nobody",
  "nothing",
  "neither",
  "nor",
  "nowhere",
  "without",
  "cannot",
  "cant",
  "can't",
  "dont",
  "don't",
  "doesnt",
  "doesn't",
  "didnt",
  "didn't",
  "isnt",
  "isn't",
  "wasnt",
  "wasn't",
  "arent",
  "aren't",
  "werent",
  "weren't",
  "wont",
  "won't",
  "wouldnt",
  "wouldn't",
  "shouldnt",
  "shouldn't",
  "couldnt",
  "couldn't",
  "havent",
  "haven't",
  "hasnt",
  "hasn't",
  "hadnt",
  "hadn't",
  "aint",
  "ain't",
  "neednt",
  "needn't",
  "mustnt",
  "mustn't",
  "lack",
  "lacks",
  "lacking",
  "rarely",
]);

/** Clause breaks: the words after "but" weigh more, those before less. */
const CONTRAST = new Set(["but", "however", "although", "though", "yet", "except"]);

/**
 * Words of shopping, delivery and service that AFINN leaves out or scores for
 * another sense, and the social phrases that carry a judgement by themselves.
 */
const COMMERCE: [string, number][] = [
  ["refund", -1],
  ["refunded", -1],
  ["refunds", -1],
  ["late", -2],
  ["delayed", -2],
  ["delay", -2],
  ["delays", -2],
  ["overdue", -2],
  ["scam", -4],
  ["scammed", -4],
  ["scammers", -4],
  ["fraud", -4],
  ["delivered", 1],
  ["arrived", 1],
  ["cancelled", -2],
  ["canceled", -2],
  ["damaged", -3],
  ["defective", -3],
  ["faulty", -3],
  ["missing", -2],
  ["broken", -3],
  ["broke", -2],
  ["junk", -3],
  ["garbage", -3],
  ["trash", -3],
  ["useless", -3],
  ["unusable", -3],
  ["overpriced", -2],
  ["unresponsive", -2],
  ["ignored", -2],
  ["rude", -3],
  ["flimsy", -2],
  ["cheaply", -2],
  ["leaked", -2],
  ["leaking", -2],
  ["cracked", -2],
  ["stopped working", -3],
  ["doesn't work", -3],
  ["does not work", -3],
  ["didn't work", -3],
  ["never arrived", -3],
  ["never again", -3],
  ["waste of money", -4],
  ["waste of time", -3],
  ["out of stock", -1],
  ["no response", -2],
  ["still waiting", -2],
  ["customer service", 0],
  ["highly recommend", 3],
  ["would recommend", 2],
  ["must have", 2],
  ["works great", 3],
  ["works well", 2],
  ["works perfectly", 3],
  ["five stars", 3],
  ["5 stars", 3],
  ["one star", -3],
  ["1 star", -3],
  ["zero stars", -3],
  ["fast shipping", 2],
  ["quick delivery", 2],
  ["on time", 1],
  ["well made", 2],
  ["good value", 2],
  ["value for money", 2],
  ["money back", -1],
  ["return it", -1],
  ["returned it", -2],
  ["sent it back", -2],
  ["gave up", -2],
  ["fell apart", -3],
  ["piece of junk", -4],
  ["piece of crap", -4],
  ["rip off", -3],
  ["ripoff", -3],
  ["meh", -1],
  ["mediocre", -2],
  ["bland", -2],
  ["tasteless", -2],
  ["stale", -2],
  ["soggy", -2],
  ["overcooked", -2],
  ["undercooked", -2],
  ["cold", -1],
  ["slow", -1],
  ["friendly", 2],
  ["helpful", 2],
  ["tasty", 3],
  ["delicious", 3],
  ["yummy", 3],
  ["comfy", 2],
  ["sturdy", 2],
  ["reliable", 2],
  ["flawless", 3],
  ["seamless", 2],
  ["lovely", 3],
  ["gorgeous", 3],
  ["stunning", 3],
  ["masterpiece", 4],
  ["gem", 3],
  ["loved", 3],
  ["enjoyed", 2],
  ["worst", -3],
  ["horrible", -3],
  ["awful", -3],
  ["terrible", -3],
  ["lol", 1],
  ["wtf", -3],
  ["smh", -2],
  ["ugh", -2],
  ["yay", 2],
  ["woohoo", 3],
  ["kudos", 2],
];

/** Emoticons as people type them. */
const EMOTICONS = new Map<string, number>([
  [":)", 2],
  [":-)", 2],
  [":]", 2],
  ["=)", 2],
  [":d", 3],
  [":-d", 3],
  ["xd", 2],
  [";)", 1],
  [";-)", 1],
  [":p", 1],
  [":-p", 1],
  ["<3", 3],
  [":(", -2],
  [":-(", -2],
  ["=(", -2],
  [":'(", -3],
  [":/", -1],
  [":-/", -1],
  [":|", -1],
  ["</3", -3],
  [">:(", -3],
  ["d:", -2],
]);

type Lexicon = Map<string, number>;
let base: Lexicon | null = null;

/** AFINN-165 and its emoji scores (from the `sentiment` package), then Lift's words over them. */
function baseLexicon(): Lexicon {
  if (base) return base;
  const afinn = require("sentiment/languages/en/labels.json") as Record<string, number>;
  const emoji = require("sentiment/build/emoji.json") as Record<string, number>;
  base = new Map([...Object.entries(afinn), ...Object.entries(emoji), ...COMMERCE, ...EMOTICONS]);
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

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
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
    valence ??=
      BOOSTERS.has(token.lower) || NEGATIONS.has(token.lower) ? undefined : valenceOf(lookup, token);
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
  let sum = valences.reduce((a, b) => a + b, 0);
  if (sum !== 0) sum += Math.sign(sum) * Math.min(exclamations, 4) * EXCLAIM;
  const score = sum / Math.sqrt(sum * sum + ALPHA);
  const rounded = Math.round(score * 10_000) / 10_000;
  return { score: rounded, label: labelOf(rounded), raw: sum };
}
