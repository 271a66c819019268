import { AppError } from "../../platform/base/errors.ts";
import { followUpCommand } from "../../platform/commands/follow-up.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import type { GrammarWords } from "../../platform/metrics/grammar.ts";
import { readKpiQuestion } from "../../platform/metrics/grammar.ts";
import type { KpiQuery } from "../../platform/metrics/kpis.ts";
import { queryText } from "../../platform/metrics/query-text.ts";
import type { Report } from "../../platform/reports/report.ts";
import { explain, explanationReport } from "./explain.ts";
import { askModel } from "./model.ts";
import { confirmReport, noteWarnings, runReading, understandingOf, vocabularyOf } from "./run.ts";
import { type AskSettings, modelOf } from "./settings.ts";
import { kpiWords, type Reading, understand, type Vocabulary, WHY_DEFAULT_PERIOD } from "./understand.ts";

/** Reads text as a KPI question, or null. */
function grammarReads(text: string, today: string, words: GrammarWords): boolean {
  try {
    readKpiQuestion(text, today, words);
    return true;
  } catch {
    return false;
  }
}

/** A reading that is not a command: a metric Lift lacks, or words it could not place. */
function readingReport(
  reading: Exclude<Reading, { kind: "command" }>,
  question: string,
  mutates: (command: string) => boolean = () => false,
): Report {
  if (reading.kind === "action")
    return {
      ...confirmReport(reading.command, reading.notes, question.trim()),
      command: `ask ${question.trim()}`,
    };
  if (reading.kind === "cannot") {
    const instead = reading.instead.filter((c) => c !== "help");
    return {
      kind: "refusal",
      unanswered: true,
      title: `Lift can't ${reading.what}`,
      summary: `Lift can't ${reading.what} yet.${
        instead.length > 0
          ? ` What it can do: ${instead.map((c) => `\`${c}\``).join(", ")}.`
          : " `help` lists what it can do."
      }`,
      facts: [],
      charts: [],
      // What it can do instead may change something (subscribe …): the button asks first.
      actions: reading.instead.map((command, i) => ({
        id: `instead_${i}`,
        label: command,
        command,
        ...(mutates(command)
          ? {
              style: "primary" as const,
              confirm: {
                title: "Confirm",
                text: `Run \`${command}\`? It changes something in Lift.`,
                confirm: "Do it",
                deny: "Cancel",
              },
            }
          : {}),
      })),
      warnings: reading.notes,
      command: `ask ${question.trim()}`,
    };
  }
  if (reading.kind === "unavailable") {
    return {
      kind: "ask",
      unanswered: true,
      title: `Lift does not measure ${reading.metric}`,
      summary: `${reading.metric[0]!.toUpperCase()}${reading.metric.slice(1)} is not a metric Lift has: ${reading.why}. What it can answer instead: ${reading.instead.map((c) => `\`${c}\``).join(", ")}.`,
      facts: [],
      charts: [],
      actions: reading.instead.map((command, i) => ({ id: `instead_${i}`, label: command, command })),
      warnings: reading.notes,
      command: `ask ${question.trim()}`,
    };
  }
  if (reading.kind === "unsure") {
    return {
      kind: "ask",
      unanswered: true,
      title: "Which did you mean?",
      summary: `I ${reading.understood ? `read “${question.trim()}” as ${reading.understood}` : `could not read “${question.trim()}” as one question`}${
        reading.unread.length > 0 ? ` but could not place “${reading.unread.join(" ")}”` : ""
      }. The closest questions I can answer: ${reading.readings
        .slice(0, 3)
        .map((c) => `\`${c}\``)
        .join(", ")}.`,
      facts: [],
      charts: [],
      actions: reading.readings
        .slice(0, 3)
        .map((command, i) => ({ id: `reading_${i}`, label: command, command })),
      warnings: reading.notes,
      command: `ask ${question.trim()}`,
    };
  }
  throw new AppError(
    "invalid_input",
    `I could not read “${question.trim()}” as a question about your marketing data`,
    {
      hint: "ask about a metric (revenue, orders, visitors, ROAS …) with a period, a channel or a campaign; or try `help`",
      suggestions: ["revenue last 7 days by channel", "why revenue yesterday", "digest"],
    },
  );
}

/** The offline path: the question read without a model, with the thread's last question when it is a follow-up. */
async function answerOffline(
  question: string,
  context: CommandContext,
  vocabulary: Vocabulary,
): Promise<Report> {
  const reading = understand(question, vocabulary, context.platform.today(), understandingOf(context));
  if (reading.kind === "command") return runReading(reading.command, reading.notes, context);
  const commands = context.platform.commands.list();
  if (reading.kind === "action") {
    // Someone whose role does not allow the change is told so, not offered a Confirm button.
    const { command, args } = context.platform.commands.resolve(reading.command);
    context.platform.commands.mayRun(command.name, args, context);
  }
  return readingReport(reading, question, (command) => {
    const word = command.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
    return commands.some((c) => c.mutates && (c.name === word || c.aliases.includes(word)));
  });
}

/**
 * `ask <question>`, and every question that is not a command (the registry's
 * fallback). The KPI grammar reads it first: a question it reads gets the very
 * answer `kpi` gives. Then the model, when one is configured; otherwise, and
 * whenever the model fails, the offline understanding.
 */
export const askCommand: Command = {
  name: "ask",
  aliases: [],
  summary:
    "Any question in plain words: figures, why something moved, experiments, segments, what people say",
  details:
    "Read by the KPI grammar first, then by a language model when OPENAI_API_KEY is set, else (and whenever the model fails) without one. The answer stores the command it was read as; buttons and thread follow-ups use that.",
  usage: "ask QUESTION (or just the question)",
  examples: [
    "how much revenue did we make yesterday?",
    "top 5 campaigns by ROAS last 30 days",
    "is paid search down?",
    "why did orders drop last week?",
  ],
  mutates: false,
  personal: false,
  async run(args, context) {
    const { platform } = context;
    const question = args.trim();
    if (question === "") return platform.commands.runCommand("help", "", context);
    const understanding = understandingOf(context);
    // The workspace's names, read once and only when a path needs them.
    let names: Vocabulary | undefined;
    const vocabulary = async () => {
      names ??= await vocabularyOf(context);
      return names;
    };
    // In a thread, a reply that changes part of the last question keeps the rest of it.
    if (context.previous) {
      const words = kpiWords(question, await vocabulary(), platform.today(), understanding);
      if (words) {
        const merged = followUpCommand(
          platform.commands,
          context.previous,
          words,
          platform.today(),
          understanding.grammar,
        );
        if (merged !== words) return runReading(merged, [], context);
      }
    }
    if (grammarReads(question, platform.today(), understanding.grammar)) {
      const report = await platform.commands.runCommand("kpi", question, context);
      return { ...report, command: `kpi ${question}` };
    }
    const model = modelOf(context.settings as AskSettings);
    if (model) {
      const answered = await askModel(question, context, await vocabulary(), model, understanding);
      if (answered.report) return answered.report;
      const report = await answerOffline(question, context, await vocabulary());
      return {
        ...report,
        warnings: [
          `The language model could not answer (${answered.failure}); read without it.`,
          ...report.warnings,
        ],
      };
    }
    return answerOffline(question, context, await vocabulary());
  },
};

/** The query a `why` question stands for: the grammar's words, or a question read in plain words. */
async function whyQuery(
  args: string,
  context: CommandContext,
): Promise<{ query: KpiQuery; notes: string[] }> {
  const { platform } = context;
  const today = platform.today();
  const { grammar } = understandingOf(context);
  try {
    const { query, said } = readKpiQuestion(args, today, grammar);
    return {
      query: {
        ...query,
        metrics: said.metrics ? query.metrics.slice(0, 1) : ["revenue"],
        period: said.period ? query.period : WHY_DEFAULT_PERIOD,
      },
      notes: said.metrics ? [] : ["read as revenue: the question named no metric"],
    };
  } catch (error) {
    const reading = understand(`why ${args}`, await vocabularyOf(context), today, understandingOf(context));
    if (reading.kind === "command" && reading.command.startsWith("why ")) {
      return { query: readKpiQuestion(reading.command.slice(4), today, grammar).query, notes: reading.notes };
    }
    throw error;
  }
}

/** `why revenue yesterday`: the change, whether it is normal, its drivers by channel and campaign, and what else happened. */
export const whyCommand: Command = {
  name: "why",
  aliases: [],
  summary:
    "Why a metric moved: drivers by channel and campaign (traffic, conversion, order value), normal variation, context",
  details:
    "why METRIC [period] [for CHANNEL|campaign ID] [vs …]: the change against the period before (default: last 7 days vs the 7 before), split so the parts add up to it; whether it is beyond normal variation (the same weekday, or the same days, over the last 8 weeks); experiments, sentiment spikes and source gaps in the same days.",
  usage: "why METRIC [period] [for CHANNEL|campaign ID]",
  examples: [
    "why revenue yesterday",
    "why orders last week for paid search",
    "why conversion rate last 7 days",
  ],
  mutates: false,
  personal: false,
  async run(args, context) {
    const { platform } = context;
    const { query, notes } = await whyQuery(args, context);
    const explanation = await explain(platform, query);
    const report = explanationReport(explanation, platform.settings.currency);
    return {
      ...report,
      command: `why ${queryText(explanation.query)}`,
      warnings: [...noteWarnings(notes), ...report.warnings],
    };
  },
};
