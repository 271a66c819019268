import { type AskVocabulary, overviewReading, type Question } from "../ask/index.ts";

/** "How are the channels doing": the channels overview, with the period the question names. */
export const channelsVocabulary: AskVocabulary = {
  id: "kpis",
  order: 50,
  read: (question: Question) => overviewReading(question, "channel", "channels"),
};
