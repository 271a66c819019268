import { AppError } from "../base/errors.ts";
import { formatDay } from "../base/format.ts";
import type { CliVerb, Command } from "../contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../contract/cli.ts";
import { parsePeriod, periodSpecText, resolvePeriod } from "../metrics/periods.ts";
import { simpleReport } from "../reports/report.ts";
import { addDays, dayOf, startOfDayMs, timeOf } from "../time/zone.ts";
import type { Answers } from "./index.ts";

/** What the feedback command needs of the platform. */
export interface FeedbackDeps {
  answers: Answers;
  now(): number;
  settings: { timeZone: string };
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
      const today = dayOf(platform.now(), zone);
      const spec = args.trim() ? parsePeriod(args.trim(), today) : { kind: "last_days" as const, n: 30 };
      if (!spec)
        throw new AppError("invalid_input", `I could not read “${args.trim()}” as a period`, {
          hint: "feedback last 30 days",
        });
      const resolved = resolvePeriod(spec, today);
      // Feedback is read the day it is given: a period that runs to yesterday ("last 30 days") takes today too.
      const period =
        resolved.to === addDays(today, -1)
          ? { ...resolved, to: today, label: `${resolved.label} and today` }
          : resolved;
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
          period: {
            label: period.label,
            from: period.from,
            to: period.to,
            timeZone: zone,
            partial: period.partial,
          },
          facts: [
            { label: "👍", value: String(rows.length - bad) },
            { label: "👎", value: String(bad) },
          ],
          ...(rows.length > 0
            ? {
                table: {
                  columns: [
                    { key: "when", label: "When", format: "text" as const },
                    { key: "value", label: "Feedback", format: "text" as const },
                    { key: "question", label: "Question", format: "text" as const },
                    { key: "command", label: "Read as", format: "text" as const },
                    { key: "kind", label: "Answer", format: "text" as const },
                    { key: "user", label: "Person", format: "text" as const },
                  ],
                  rows: rows.map((row) => [
                    `${formatDay(dayOf(row.createdAt, zone), { short: true })} ${timeOf(row.createdAt, zone)}`,
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
export const feedbackVerb: CliVerb = {
  name: "feedback",
  summary: "The 👍 and 👎 on answers, with the questions (for test cases)",
  help: `lift feedback [--period "last 30 days"] [--csv] [--json]   every 👍 and 👎 people gave Lift's answers,
            with the question, the command it was read as and the answer's kind, newest first
`,
  async run(args) {
    const { parseArgs } = await import("node:util");
    const { values } = parseArgs({
      args,
      options: { period: { type: "string", short: "p" }, ...OUTPUT_FLAGS },
    });
    return { command: `feedback ${values.period ?? "last 30 days"}`, output: outputFlags(values) };
  },
};
