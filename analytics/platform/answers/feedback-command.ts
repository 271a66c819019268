import {
  type ListingClock,
  listingPeriod,
  listingReportPeriod,
  listingTime,
  listingVerb,
  textColumns,
} from "../access/listing.ts";
import type { CliVerb, Command } from "../contract/capability.ts";
import { periodSpecText } from "../metrics/periods.ts";
import { simpleReport } from "../reports/report.ts";
import { dayOf, startOfDayMs } from "../time/zone.ts";
import type { Answers } from "./index.ts";

/** What the feedback command needs of the platform. */
export interface FeedbackDeps extends ListingClock {
  answers: Answers;
}

/**
 * `feedback [period]` (analysts: it shows what people asked): every 👍 and 👎 on an answer, with
 * the question, the command it was read as and the answer's kind, newest first; 👎 are the
 * misreadings to turn into test cases.
 */
export function feedbackCommand(platform: FeedbackDeps): Command {
  return {
    name: "feedback",
    aliases: [],
    summary: "The 👍 and 👎 people gave answers, with what they asked and how Lift read it (analysts)",
    usage: "feedback [period]",
    examples: ["feedback last 30 days"],
    mutates: false,
    personal: true,
    async run(args) {
      const zone = platform.settings.timeZone;
      const period = listingPeriod(args, dayOf(platform.now(), zone), 30, "feedback");
      const since = startOfDayMs(period.from, zone);
      const rows = (await platform.answers.feedbackSince(since)).filter(
        (row) => dayOf(row.createdAt, zone) <= period.to,
      );
      const bad = rows.filter((row) => row.value === "bad").length;
      return simpleReport(
        "feedback",
        `Feedback · ${period.label}`,
        rows.length === 0
          ? `No feedback on answers in ${period.label.toLowerCase()}.`
          : `${rows.length - bad} 👍 and ${bad} 👎 on answers; each 👎 is a question Lift read or answered wrong.`,
        {
          period: listingReportPeriod(period, zone),
          facts: [
            { label: "👍", value: String(rows.length - bad) },
            { label: "👎", value: String(bad) },
          ],
          ...(rows.length > 0
            ? {
                table: {
                  columns: textColumns([
                    ["when", "When"],
                    ["value", "Feedback"],
                    ["question", "Question"],
                    ["command", "Read as"],
                    ["kind", "Answer"],
                    ["user", "Person"],
                  ]),
                  rows: rows.map((row) => [
                    listingTime(row.createdAt, zone),
                    row.value === "good" ? "👍" : "👎",
                    row.question,
                    row.command,
                    row.kind,
                    row.userId,
                  ]),
                },
              }
            : {}),
          command: `feedback ${periodSpecText(period.spec)}`,
        },
      );
    },
  };
}

/** `lift feedback [--period P] [--csv|--json]`: the same list from a terminal. */
export const feedbackVerb: CliVerb = listingVerb(
  "feedback",
  "The 👍 and 👎 on answers, with the questions (for test cases)",
  `lift feedback [--period "last 30 days"] [--csv] [--json]   every 👍 and 👎 people gave Lift's answers,
            with the question, the command it was read as and the answer's kind, newest first
`,
  "last 30 days",
);
