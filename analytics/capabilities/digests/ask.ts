import { z } from "zod";
import { type AskVocabulary, commandReading, type Question } from "../ask/index.ts";

/** Words for a digest. */
export const DIGEST_CUES =
  /\b(?:digest|summary|summari[sz]e|recap|overview|round ?up|how are we doing|how did we do|how are things|how is business|how's business)\b/;

/** Digests in ask: "how are we doing", "give me a recap", and the model's tool. */
export const digestsVocabulary: AskVocabulary = {
  id: "digests",
  order: 90,
  words: ["digest", "summary"],
  read: (question: Question) =>
    DIGEST_CUES.test(question.text)
      ? commandReading(/\bweek(?:ly)?\b/.test(question.text) ? "digest weekly" : "digest", question)
      : null,
  tools: [
    {
      name: "digest",
      description:
        "The digest now: KPIs, top channels and campaigns, anomalies and every capability's section.",
      schema: z.object({ weekly: z.boolean().optional() }),
      command: (args: { weekly?: boolean }) => (args.weekly ? "digest weekly" : "digest"),
    },
  ],
};
