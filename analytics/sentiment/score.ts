import { createRequire } from "node:module";
import type SentimentType from "sentiment";

const require = createRequire(import.meta.url);
let analyzer: SentimentType | null = null;

/**
 * VADER's normalisation of a summed lexicon score into −1…1: x / √(x² + α)
 * with α = 15 (vaderSentiment, Hutto & Gilbert 2014, `normalize()`).
 */
const ALPHA = 15;

export interface SentimentScore {
  /** −1 (very negative) … 1 (very positive). */
  score: number;
  /** The raw AFINN-165 sum the score was normalised from. */
  raw: number;
}

/** Scores a short text with the AFINN-165 lexicon of the `sentiment` package. */
export function scoreSentiment(text: string): SentimentScore {
  // Loaded on the first text scored, not when Lift starts.
  analyzer ??= new (require("sentiment") as typeof SentimentType)();
  const raw = analyzer.analyze(text).score;
  const score = raw / Math.sqrt(raw * raw + ALPHA);
  return { score: Math.round(score * 10_000) / 10_000, raw };
}
