import { z } from "zod";
import { type AskVocabulary, actionReading, commandReading, type Question } from "../ask/index.ts";

/** Words for a digest. */
export const DIGEST_CUES =
  /\b(?:digest|summary|summari[sz]e|recap|overview|round ?up|how are we doing|how did we do|how are things|how is business|how's business)\b/;

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** "at 9am", "9:30", "at 17" → "09:00", "09:30", "17:00"; null when no time is named. */
export function timeIn(text: string): string | null {
  const match =
    /\bat (\d{1,2})(?:[:. ](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\s|$)|\b(\d{1,2})[:.](\d{2})\s*(am|pm)?\b|\b(\d{1,2})\s*(am|pm)\b/.exec(
      text,
    );
  if (!match) return null;
  let hour = Number(match[1] ?? match[4] ?? match[7]);
  const minute = Number(match[2] ?? match[5] ?? 0);
  const half = (match[3] ?? match[6] ?? match[8] ?? "").replace(/\./g, "");
  if (half === "pm" && hour < 12) hour += 12;
  if (half === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/**
 * "set up a daily digest at 9am", "send me a weekly summary every monday at 8:30": the
 * subscription, shown to confirm (9:00 when no time is named, Mondays when no day is).
 */
function act(question: Question) {
  const { text } = question;
  if (!/\b(?:digest|summary|recap|report|round ?up|update)\b/.test(text)) return null;
  const weekday = DAYS.find((day) => new RegExp(`\\b${day}s?\\b`).test(text));
  const grain =
    /\bweek(?:ly)?\b|\bevery week\b/.test(text) || weekday
      ? "weekly"
      : /\bweekdays?\b|\bworkdays?\b|\bevery working day\b/.test(text)
        ? "weekdays"
        : /\bdaily\b|\bevery (?:day|morning|evening)\b|\beach (?:day|morning)\b/.test(text)
          ? "daily"
          : null;
  if (!grain) return null;
  const time = timeIn(text);
  const notes = time ? [] : ["at 09:00: the request named no time"];
  const day = grain === "weekly" ? ` ${weekday ?? "monday"}` : "";
  return actionReading(`subscribe digest ${grain}${day} ${time ?? "09:00"}`, question, notes);
}

/** Digests in ask: "how are we doing", "give me a recap", subscriptions asked for in words, and the model's tool. */
export const digestsVocabulary: AskVocabulary = {
  id: "digests",
  order: 90,
  words: ["digest", "summary"],
  act,
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
