import { z } from "zod";
import { type AskVocabulary, commandReading, type Question } from "../ask/index.ts";
import type { Experiments } from "./service.ts";

/** Words that make a question about experiments. */
export const EXPERIMENT_CUES =
  /\b(?:experiments?|a\/b(?: tests?)?|ab tests?|split tests?|tests?|variants?|variations?)\b/;

/** Words too common to name an experiment by. */
const STOP = new Set([
  "the",
  "a",
  "an",
  "of",
  "and",
  "on",
  "now",
  "aa",
  "check",
  "test",
  "experiment",
  "page",
]);

/** An experiment the words name (by its id's parts or its name's distinctive words), with how many matched. */
export function experimentNamed(
  text: string,
  experiments: { id: string; name: string }[],
): { id: string; score: number } | null {
  const words = new Set(text.split(" ").filter((w) => w.length >= 3 && !STOP.has(w)));
  let best: { id: string; score: number } | null = null;
  let tie = false;
  for (const experiment of experiments) {
    const tokens = new Set(
      `${experiment.id} ${experiment.name}`
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length >= 3 && !STOP.has(w)),
    );
    let score = 0;
    for (const token of tokens) if (words.has(token)) score++;
    if (score === 0) continue;
    if (best === null || score > best.score) {
      best = { id: experiment.id, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best : null;
}

function read(question: Question) {
  const { text } = question;
  const named = experimentNamed(text, question.names["experiment"] ?? []);
  if (!EXPERIMENT_CUES.test(text) && !(named && named.score >= 2)) return null;
  if (/\bfunnel\b/.test(text)) return null;
  return commandReading(named ? `experiment ${named.id}` : "experiments", question);
}

/** Experiments in ask: their names, questions about them, and the model's tool. */
export function experimentsVocabulary(experiments: Experiments): AskVocabulary {
  return {
    id: "experiments",
    order: 30,
    words: ["experiment", "experiments"],
    names: async () => ({
      kind: "experiment",
      items: (await experiments.list()).map((e) => ({ id: e.id, name: e.name })),
    }),
    describeNames: (items) => `Experiments (id: name): ${items.map((e) => `${e.id}: ${e.name}`).join("; ")}.`,
    read,
    tools: [
      {
        name: "experiment_result",
        description:
          "One A/B experiment's result and verdict (by id), or the list of experiments when no id is given.",
        schema: z.object({ id: z.string().optional() }),
        command: (args: { id?: string }) => (args.id ? `experiment ${args.id}` : "experiments"),
      },
    ],
  };
}
