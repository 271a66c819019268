import { z } from "zod";
import { escapeRegExp } from "../../platform/base/text.ts";
import { type AskVocabulary, cannotDo, cannotReading, commandReading, type Question } from "../ask/index.ts";
import type { Segments } from "./service.ts";

/** Customer words: a question about who the customers are goes to segments. */
export const CUSTOMER_WORDS = /\b(?:customers?|buyers?|shoppers?|clients?|who)\b/;

/** Marketer phrases for the RFM segments (names as the segments command knows them). */
export const SEGMENT_PHRASES: [RegExp, string][] = [
  [/\bcan(?:'t| ?not) lose\b|\bbig spenders who (?:stopped|have stopped|no longer)\b/, "can't lose them"],
  [/\babout to sleep\b|\bfalling asleep\b/, "about to sleep"],
  [/\bneed(?:s|ing)? attention\b/, "need attention"],
  [/\bpotential loyalists?\b/, "potential loyalists"],
  [
    /\bat risk\b|\bchurning\b|\babout to churn\b|\bslipping\b|\blapsing\b|\babout to lose\b|\bmight lose\b/,
    "at risk",
  ],
  [
    /\bchampions?\b|\b(?:best|top|most valuable|biggest|vip) (?:customers|buyers|shoppers|clients)\b/,
    "champions",
  ],
  [/\bloyal(?:ists)?\b|\b(?:repeat|regular) (?:customers|buyers)\b/, "loyal"],
  [/\bhibernating\b|\bdormant\b|\binactive\b/, "hibernating"],
  [/\bpromising\b/, "promising"],
  [/\bwe (?:have )?lost\b|\blost (?:customers|buyers)\b|\bcustomers (?:we|that) lost\b/, "lost"],
];

/** Words that ask for clusters of customers rather than RFM segments. */
export const CLUSTER_CUES =
  /\bclusters?\b|\bclustering\b|\b(?:kinds|types|sorts|groups) of customers\b|\bgroup (?:our |the )?customers\b|\bcustomer (?:groups|types|personas|clusters)\b|\bpersonas\b/;

function segmentCommand(text: string, segments: string[]): string | null {
  // "revenue for segment champions", "orders by segment": figures, read by the KPI grammar.
  if (/\b(?:for|in|of|among) (?:the )?segment\b|\b(?:by|per) segments?\b/.test(text)) return null;
  if (CLUSTER_CUES.test(text)) {
    const k =
      /\b(\d{1,2})\s(?:clusters|groups|segments|kinds|types)\b|\binto\s(\d{1,2})\b|\bk\s?=\s?(\d{1,2})\b/.exec(
        text,
      );
    const n = k ? (k[1] ?? k[2] ?? k[3]) : null;
    return `segment clusters${n ? ` ${n}` : ""}`;
  }
  const customers = CUSTOMER_WORDS.test(text) || /\bsegments?\b/.test(text);
  const named = segments
    .filter((name) => name.length >= 3)
    .sort((a, b) => b.length - a.length)
    .find((name) => new RegExp(`\\s${escapeRegExp(name.replace("can't", "can not"))}(?:\\s|$)`).test(text));
  if (named && (customers || named.includes(" ") || named.length >= 6)) return `segment ${named}`;
  if (!customers) return null;
  for (const [pattern, name] of SEGMENT_PHRASES) if (pattern.test(text)) return `segment ${name}`;
  if (/\bsegments?\b|\brfm\b|\bsegmentation\b/.test(text) && !/\bby segment\b|\bper segment\b/.test(text))
    return "segments";
  return null;
}

function read(question: Question) {
  const { text } = question;
  const command = segmentCommand(
    text,
    (question.names["segment"] ?? []).map((s) => s.name),
  );
  if (!command || (/\bnew customers?\b/.test(text) && !/\bsegments?\b/.test(text))) return null;
  return commandReading(command, question);
}

/** The segment a request names: one of the workspace's, or an RFM segment in marketers' words. */
export function segmentIn(text: string, segments: string[]): string | null {
  const spaced = text.replace(/-/g, " ");
  const named = segments
    .filter((name) => name.length >= 3)
    .sort((a, b) => b.length - a.length)
    .find((name) => new RegExp(`\\s${escapeRegExp(name.replace("can't", "can not"))}(?:\\s|$)`).test(spaced));
  if (named) return named;
  for (const [pattern, name] of SEGMENT_PHRASES) if (pattern.test(spaced)) return name;
  return null;
}

/**
 * "export the at-risk list": the members as CSV (with orders, total spent and last order);
 * "send the at-risk segment a win-back email", "sync champions to hubspot": what Lift cannot
 * do yet, with the export and the profile instead.
 */
function act(question: Question, verb: string) {
  const { text } = question;
  const segment = segmentIn(
    text,
    (question.names["segment"] ?? []).map((s) => s.name),
  );
  if (!segment) return null;
  const exportCommand = `segment export ${segment}`;
  const cannot = cannotDo(text);
  if (cannot) return cannotReading(question, cannot, [exportCommand, `segment ${segment}`]);
  if (verb === "export" || verb === "download" || /\blist\b|\bcsv\b|\bspreadsheet\b/.test(text))
    return commandReading(exportCommand, question);
  return null;
}

/** Segments in ask: their names, questions about customers, requests about them, and the model's tool. */
export function segmentsVocabulary(segments: Segments): AskVocabulary {
  return {
    id: "segments",
    order: 40,
    words: ["segment", "segments", "customers"],
    names: async () => ({
      kind: "segment",
      items: (await segments.list()).map((s) => ({ id: s.name, name: s.name })),
    }),
    describeNames: (items) => `Segments: ${items.map((s) => s.name).join(", ")}.`,
    read,
    act,
    tools: [
      {
        name: "segment_profile",
        description:
          "One customer segment's profile, trend and changes (by name), or the RFM overview when no name is given.",
        schema: z.object({ name: z.string().optional() }),
        command: (args: { name?: string }) => (args.name ? `segment ${args.name.toLowerCase()}` : "segments"),
      },
    ],
  };
}
