import type { Tables } from "../../../db/client.ts";
import type { MentionWrite } from "../../../db/social/mentions.ts";
import { lexiconVersion, lexiconWords, listTopics } from "../../../db/social/queries.ts";
import type { MentionInput } from "./data.ts";
import { languageOf, loadLanguageDetector, SCORED_LANGUAGES } from "./language.ts";
import { labelOf, SENTIMENT_VERSION, scoreSocial } from "./sentiment/score.ts";
import { topicMatcher } from "./topics.ts";

/** The version a score was made with: the scorer's and the workspace lexicon's together. */
export function sentimentVersion(lexicon: number): number {
  return SENTIMENT_VERSION * 1_000_000 + lexicon;
}

/** Language, sentiment (the workspace's words included) and topics for mentions about to be written. */
export async function enrichMentions(db: Tables, rows: MentionInput[]): Promise<MentionWrite[]> {
  if (rows.length === 0) return [];
  await loadLanguageDetector();
  const [words, version, topics] = await Promise.all([lexiconWords(db), lexiconVersion(db), listTopics(db)]);
  const topicsOf = topicMatcher(topics);
  return rows.map(({ givenScore, ...row }) => {
    const lang = languageOf(row.text, row.lang);
    const scored = givenScore !== null || SCORED_LANGUAGES.has(lang);
    const score = givenScore ?? (scored ? scoreSocial(row.text, words).score : 0);
    return {
      ...row,
      lang,
      sentimentScore: score,
      sentimentLabel: scored ? labelOf(score) : "unscored",
      // A score the source gave is kept as given (−1: never rescored).
      sentimentVersion: givenScore !== null ? -1 : sentimentVersion(version),
      topics: topicsOf(row.text),
    };
  });
}
