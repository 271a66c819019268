import type { z } from "zod";
import { extensionPoint } from "../../platform/contract/capability.ts";
import type { Said } from "../../platform/metrics/grammar.ts";
import { periodSpecText } from "../../platform/metrics/periods.ts";
import type { KpiQuery } from "../../platform/metrics/types.ts";

/**
 * Ask's vocabulary, contributed by each capability: the words of questions
 * about it, the names of the workspace's things it keeps (experiments,
 * segments), how it reads a question about itself into one of its commands,
 * and the tools a language model may call for it. Ask itself knows the KPI
 * grammar, "why" and what Lift does not measure; nothing else by name.
 */

/** The workspace's names by kind ("campaign", "experiment", "segment"), and the commands that change nothing. */
export interface Vocabulary {
  names: Record<string, { id: string; name: string }[]>;
  /** Commands that change nothing, by name: a typo in one ("campains this month") is read as it. */
  commands?: string[];
  /** The names as the model's instructions list them ("Experiments (id: name): …"). */
  descriptions?: string[];
}

export type Reading =
  /** A command to run; notes say what was read as what ("read “chanel” as channel"). */
  | { kind: "command"; command: string; notes: string[] }
  /** A metric Lift does not have, why, and commands it can answer instead. */
  | { kind: "unavailable"; metric: string; why: string; instead: string[]; notes: string[] }
  /** Words it could not place: what it understood, and the closest readings to offer. */
  | { kind: "unsure"; understood: string; unread: string[]; readings: string[]; notes: string[] }
  /** A request to act read as a command that changes something: shown with a Confirm button, never run at once. */
  | { kind: "action"; command: string; notes: string[] }
  /** A request to act that Lift cannot do, and what it can do instead. */
  | { kind: "cannot"; what: string; instead: string[]; notes: string[] }
  /** Nothing about marketing data. */
  | { kind: "unknown"; notes: string[] };

/** A question as a capability's reader sees it, with what ask has worked out. */
export interface Question {
  /** Lower case, contractions opened, typos corrected, padded with a space at each end. */
  text: string;
  today: string;
  names: Vocabulary["names"];
  /** Notes to say with the answer ("read “chanel” as channel"). */
  notes: string[];
  /** A "why" or direction question ("is paid search down?"): ask explains those. */
  why: boolean;
  /** The question names one of the workspace's campaigns. */
  namesCampaign: boolean;
  /** The KPI grammar on some words (fillers dropped): the query and which parts were said, or null. */
  kpi(words: string): { query: KpiQuery; said: Said } | null;
}

/** A tool a language model may call: a zod schema for its arguments, and the command it stands for. */
export interface Tool<T = unknown> {
  name: string;
  description: string;
  schema: z.ZodType<T>;
  /** The command in Lift's language; throws an Error whose message goes back to the model. */
  command(args: T, today: string): string;
}

export interface AskVocabulary {
  /** The capability's name. */
  id: string;
  /** Where its reading goes among the others (lower first): what people say before a metric word inside it. */
  order: number;
  /** Domain words a one-letter typo may be corrected to ("experiment", "sentiment"). */
  words?: string[];
  /** The workspace's names of one kind this capability keeps, for questions that name them. */
  names?(): Promise<{ kind: string; items: { id: string; name: string }[] }>;
  /** How the model's instructions list those names ("Experiments (id: name): …"). */
  describeNames?(items: { id: string; name: string }[]): string;
  /** A reading of the question into one of its commands, or null when the question is not about it. */
  read?(question: Question): Reading | null;
  /**
   * A request to act ("set up a daily digest at 9am", "export the at-risk list"): an action to
   * confirm, a command that only shows something, what it cannot do, or null when it is not its own.
   */
  act?(question: Question, verb: string): Reading | null;
  /** Tools a language model may call for it. */
  // biome-ignore lint/suspicious/noExplicitAny: each tool has its own argument type.
  tools?: Tool<any>[];
}

/** Where capabilities add their words to ask. */
export const vocabularyPoint = extensionPoint<AskVocabulary>("ask.vocabulary", (v) => v.id);

/** A command reading with the question's notes. */
export const commandReading = (command: string, question: Question): Reading => ({
  kind: "command",
  command,
  notes: question.notes,
});

/**
 * "how are the channels doing", "campaign performance this month": the overview command of a
 * noun, with the period the question names. Kpis contributes it for channels, campaigns for campaigns.
 */
export function overviewReading(
  question: Question,
  noun: "channel" | "campaign",
  command: string,
): Reading | null {
  const { text } = question;
  const overview = new RegExp(
    `\\b(${noun}s?)\\b(?:.*\\b(?:doing|performance|performing|overview|going)\\b)|\\b(?:how|overview)\\b.*\\b(${noun}s)\\b\\s*(?:$|\\b(?:doing|performing|going|this|last|yesterday|today|in)\\b)`,
  ).exec(text);
  if (!overview || question.namesCampaign) return null;
  const rest = ` ${text
    .replace(
      new RegExp(`\\b(?:${noun}s?|doing|performance|performing|overview|going|how|are|is|our|the)\\b`, "g"),
      " ",
    )
    .replace(/\s+/g, " ")
    .trim()} `;
  const read = question.kpi(rest);
  if (!read || read.said.metrics || read.said.filter) return null;
  return commandReading(
    `${command} ${read.said.period ? periodSpecText(read.query.period) : ""}`.trim(),
    question,
  );
}
