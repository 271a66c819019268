import { z } from "zod";
import { findPeriod } from "../../platform/metrics/grammar.ts";
import { periodSpecText } from "../../platform/metrics/periods.ts";
import type { AskVocabulary, Question } from "../ask/index.ts";

/** The funnel steps people name, and the events they are. */
export const FUNNEL_STEPS: [RegExp, string][] = [
  [/\bsignups?\b|\bregistrations?\b|\bregister\w*\b/, "Signed Up"],
  [/"product added"|\bcarts?\b/, "Product Added"],
  [/\borders?\b|\bpurchases?\b|\bpurchas\w+\b|\bbuy\w*\b|\bbought\b|\bcheckouts?\b/, "Order Completed"],
];

export const FUNNEL_CUES =
  /\bfunnels?\b|\bgo(?:es)? on to\b|\bwent on to\b|\bdrop[ -]?offs?\b|\bfrom\b.+\bto\b/;

function funnelCommand(text: string): string | null {
  const found: { at: number; step: string }[] = [];
  for (const [pattern, step] of FUNNEL_STEPS) {
    const match = new RegExp(pattern.source, "g").exec(text);
    if (match) found.push({ at: match.index, step });
  }
  const steps = found.sort((a, b) => a.at - b.at).map((f) => f.step);
  if (!/\bfunnels?\b/.test(text) && steps.length < 2) return null;
  if (steps.length === 0) steps.push("Product Added", "Order Completed");
  if (steps.length === 1) steps.unshift(steps[0] === "Signed Up" ? "Signed Up" : "Product Added");
  const unique = steps.filter((s, i) => steps.indexOf(s) === i);
  if (unique.length < 2) unique.push("Order Completed");
  const by = /\bby channel\b|\bper channel\b/.test(text) ? " by channel" : "";
  return `funnel ${unique.map((s) => `"${s}"`).join(" > ")}${by}`;
}

function read(question: Question) {
  if (!FUNNEL_CUES.test(question.text) || /\b\d{4}-\d{2}-\d{2}\b/.test(question.text)) return null;
  const command = funnelCommand(question.text);
  if (!command) return null;
  // The period the question names, as the funnel command reads it (last 30 days when none).
  const period = findPeriod(question.text, question.today);
  const full = period ? `${command} ${periodSpecText(period.period)}` : command;
  const placed = FUNNEL_STEPS.filter(([pattern]) => pattern.test(question.text)).length;
  const notes =
    placed < 2 && !/\bcheckout funnel\b|\bfunnels?\b$/.test(question.text.trim())
      ? [`read the steps as ${command.slice(7).replace(/"/g, "")}: I could not place every step you named`]
      : [];
  return { kind: "command" as const, command: full, notes: [...question.notes, ...notes] };
}

const period = z.string().describe('A period in Lift\'s words: "last 7 days", "this month" …');

/** Funnels in ask: questions about steps people go through, and the model's tool. */
export const funnelsVocabulary: AskVocabulary = {
  id: "funnels",
  order: 80,
  words: ["funnel"],
  read,
  tools: [
    {
      name: "funnel",
      description:
        "Conversion through ordered events (at least two), within a number of days, optionally by channel.",
      schema: z.object({
        steps: z
          .array(z.string().min(1))
          .min(2)
          .max(8)
          .describe('Event names, e.g. ["Product Added", "Order Completed"]'),
        within_days: z.number().int().min(1).max(90).optional(),
        period: period.optional(),
        by_channel: z.boolean().optional(),
      }),
      command: (args: { steps: string[]; within_days?: number; period?: string; by_channel?: boolean }) =>
        [
          "funnel",
          args.steps.map((s) => `"${s.replace(/"/g, "")}"`).join(" > "),
          args.within_days !== undefined && `within ${args.within_days} days`,
          args.period,
          args.by_channel && "by channel",
        ]
          .filter(Boolean)
          .join(" "),
    },
  ],
};
