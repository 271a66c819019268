import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { readKpiQuestion } from "../../platform/metrics/grammar.ts";
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
export function readsAs(reading: Reading, expected: string, today = CORPUS_TODAY): boolean {
  if (expected === "?") return reading.kind === "unknown" || reading.kind === "unsure";
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
      readKpiQuestion(rest.join(" "), today).query,
      readKpiQuestion(wantRest.join(" "), today).query,
    );
  } catch {
    return false;
  }
}

export interface Score {
  right: number;
  total: number;
  misses: { question: string; expected: string; got: string }[];
}

export function score(items: CorpusItem[], read: (question: string) => Reading, today = CORPUS_TODAY): Score {
  const misses: Score["misses"] = [];
  let right = 0;
  for (const item of items) {
    const reading = read(item.question);
    if (readsAs(reading, item.expected, today)) right++;
    else
      misses.push({
        question: item.question,
        expected: item.expected,
        got:
          reading.kind === "command"
            ? reading.command
            : reading.kind === "unavailable"
              ? `! ${reading.metric}`
              : reading.kind === "unsure"
                ? `unsure: ${reading.readings.join(" | ")}`
                : "?",
      });
  }
  return { right, total: items.length, misses };
}
