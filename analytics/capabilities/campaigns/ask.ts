import { z } from "zod";
import { type AskVocabulary, commandReading, overviewReading, type Question } from "../ask/index.ts";

/** Words for budget pacing. */
export const PACING_CUES =
  /\bpacing\b|\bpace\b|\bbudgets?\b|\bover ?spend\w*|\bunder ?spend\w*|\bon track\b|\bover budget\b/;

/** Campaigns in ask: "how are the campaigns doing" (order 51, beside channels), and pacing. */
export const campaignsVocabulary: AskVocabulary = {
  id: "campaigns",
  order: 51,
  words: ["pacing", "budget"],
  read: (question: Question) => overviewReading(question, "campaign", "campaigns"),
};

export const pacingVocabulary: AskVocabulary = {
  id: "pacing",
  order: 70,
  read: (question: Question) =>
    PACING_CUES.test(question.text) && !/\bspend\b.*\bby\b/.test(question.text)
      ? commandReading("pacing", question)
      : null,
  tools: [
    {
      name: "budget_pacing",
      description: "Budget pacing of every campaign with a budget: on pace, over or under.",
      schema: z.object({}),
      command: () => "pacing",
    },
  ],
};
