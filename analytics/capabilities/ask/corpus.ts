import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { type GrammarWords, NO_WORDS, readKpiQuestion } from "../../platform/metrics/grammar.ts";
import type { Reading, Vocabulary } from "./understand.ts";

/**
 * The evaluation corpus (test/fixtures/ask): questions with the command each
 * should be read as. Scored by the test (≥ 90 % on both parts) and printed by
 * `npm run bench -- --only ask`.
 */
export interface CorpusItem {
  question: string;
  expected: string;
}

/** The day the corpus's periods are read against, and the demo workspace's names it uses. */
export const CORPUS_TODAY = "2026-12-01";
export const CORPUS_VOCABULARY: Vocabulary = {
  names: {
    campaign: [
      { id: "ps-brand", name: "Brand search" },
      { id: "ps-generic", name: "Generic outdoor terms" },
      { id: "ps-shopping", name: "Shopping ads" },
      { id: "ps-competitor", name: "Competitor terms" },
      { id: "social-lookalike", name: "Lookalike prospecting" },
      { id: "social-retarget", name: "Retargeting" },
      { id: "social-bf", name: "Black Friday teaser" },
      { id: "email-newsletter", name: "Weekly newsletter" },
      { id: "email-cart", name: "Cart recovery" },
      { id: "aff-coupons", name: "Coupon partners" },
    ],
    experiment: [
      { id: "checkout-cta", name: "Checkout button: “Pay now”" },
      { id: "hero-copy-aa", name: "Homepage hero copy (A/A check)" },
      { id: "pricing-page", name: "Pricing page layout" },
    ],
    segment: [
      { id: "champions", name: "champions" },
      { id: "loyal", name: "loyal" },
      { id: "potential loyalists", name: "potential loyalists" },
      { id: "new", name: "new" },
      { id: "promising", name: "promising" },
      { id: "need attention", name: "need attention" },
      { id: "about to sleep", name: "about to sleep" },
      { id: "at risk", name: "at risk" },
      { id: "can't lose them", name: "can't lose them" },
      { id: "hibernating", name: "hibernating" },
      { id: "lost", name: "lost" },
    ],
  },
};

export function readCorpus(path: string): CorpusItem[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [question = "", expected = ""] = line.split("\t");
      return { question, expected: expected.trim() };
    });
}

const KPI_SHAPED = new Set(["kpi", "channels", "campaigns", "why"]);

/** Whether a reading is the expected one: KPI-shaped commands by what they mean, others word for word. */
export function readsAs(
  reading: Reading,
  expected: string,
  today = CORPUS_TODAY,
  words: GrammarWords = NO_WORDS,
): boolean {
  if (expected === "?") return reading.kind === "unknown" || reading.kind === "unsure";
  // "can't: send email": refused as an action Lift cannot do, naming what.
  if (expected.startsWith("can't: "))
    return reading.kind === "cannot" && reading.what.startsWith(expected.slice(7));
  // "confirm: subscribe digest daily 09:00": an action read and shown to confirm, never run at once.
  if (expected.startsWith("confirm: "))
    return (
      reading.kind === "action" && readsAs({ ...reading, kind: "command" }, expected.slice(9), today, words)
    );
  if (expected.startsWith("! "))
    return reading.kind === "unavailable" && reading.metric === expected.slice(2);
  if (reading.kind !== "command") return false;
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  const [name = "", ...rest] = norm(reading.command).split(" ");
  const [wantName = "", ...wantRest] = norm(expected).split(" ");
  if (name !== wantName) return false;
  if (!KPI_SHAPED.has(name)) return rest.join(" ") === wantRest.join(" ");
  try {
    return isDeepStrictEqual(
      readKpiQuestion(rest.join(" "), today, words).query,
      readKpiQuestion(wantRest.join(" "), today, words).query,
    );
  } catch {
    return false;
  }
}

export interface Score {
  right: number;
  total: number;
  /** Answers that would mislead (see `misleads`). */
  misleading: number;
  misses: { question: string; expected: string; got: string }[];
}

/**
 * Whether a reading misleads: a report about something else where the question asked for what
 * Lift cannot do or does not measure, or an action run without being asked to confirm it.
 */
export function misleads(reading: Reading, expected: string): boolean {
  const refusal = expected === "?" || expected.startsWith("! ") || expected.startsWith("can't: ");
  if (refusal) return reading.kind === "command" || reading.kind === "action";
  if (expected.startsWith("confirm: ")) return reading.kind === "command";
  return false;
}

export function score(
  items: CorpusItem[],
  read: (question: string) => Reading,
  today = CORPUS_TODAY,
  words: GrammarWords = NO_WORDS,
): Score {
  const misses: Score["misses"] = [];
  let right = 0;
  let misleading = 0;
  for (const item of items) {
    const reading = read(item.question);
    if (misleads(reading, item.expected)) misleading++;
    if (readsAs(reading, item.expected, today, words)) right++;
    else
      misses.push({
        question: item.question,
        expected: item.expected,
        got:
          reading.kind === "command"
            ? reading.command
            : reading.kind === "action"
              ? `confirm: ${reading.command}`
              : reading.kind === "cannot"
                ? `can't: ${reading.what}`
                : reading.kind === "unavailable"
                  ? `! ${reading.metric}`
                  : reading.kind === "unsure"
                    ? `unsure: ${reading.readings.join(" | ")}`
                    : "?",
      });
  }
  return { right, total: items.length, misleading, misses };
}
