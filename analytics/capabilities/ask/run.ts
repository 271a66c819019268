import { AppError } from "../../platform/base/errors.ts";
import type { CapabilityContext, CommandContext } from "../../platform/contract/capability.ts";
import type { Report } from "../../platform/reports/report.ts";
import { coreTools } from "./tools.ts";
import type { Understanding } from "./understand.ts";
import { type AskVocabulary, type Tool, type Vocabulary, vocabularyPoint } from "./vocabulary.ts";

/** What ask reads questions with on this platform: every capability's vocabulary and the grammar's words. */
export function understandingOf(context: CapabilityContext): Understanding & {
  readers: readonly AskVocabulary[];
  tools: Tool[];
} {
  const readers = context.extensions(vocabularyPoint);
  const grammar = context.platform.grammarWords();
  return { readers, grammar, tools: [...coreTools(grammar), ...readers.flatMap((r) => r.tools ?? [])] };
}

/** The workspace's own names, so a question can name a campaign, an experiment or a segment. */
export async function vocabularyOf(context: CapabilityContext): Promise<Vocabulary> {
  const { platform } = context;
  const readers = context.extensions(vocabularyPoint);
  const naming = readers.filter((r) => r.names);
  const [campaigns, ...named] = await Promise.all([platform.campaigns(), ...naming.map((r) => r.names!())]);
  const names: Vocabulary["names"] = { campaign: campaigns.map((c) => ({ id: c.id, name: c.name })) };
  const descriptions: string[] = [];
  named.forEach(({ kind, items }, i) => {
    names[kind] = items;
    const describe = naming[i]!.describeNames;
    if (describe && items.length > 0) descriptions.push(describe(items));
  });
  return {
    names,
    descriptions,
    commands: platform.commands
      .list()
      .filter((c) => !c.mutates && c.name !== "ask")
      .flatMap((c) => [c.name, ...c.aliases]),
  };
}

/** Runs a command ask chose (never one that changes state) and says how the question was read. */
export async function runReading(command: string, notes: string[], context: CommandContext): Promise<Report> {
  const { platform } = context;
  const { command: chosen, args } = platform.commands.resolve(command);
  if (chosen.name === "ask")
    throw new AppError("invalid_input", `I could not read “${command}” as one question`, {
      hint: "try `help`",
    });
  // Someone whose role does not allow the reading is told so, not offered a Confirm button.
  platform.commands.mayRun(chosen.name, args, context);
  // A reading that would change something is shown to confirm, never run from plain words.
  if (platform.commands.changesState(chosen.name, args)) return confirmReport(command, notes);
  const report = await platform.commands.runCommand(chosen.name, args, context);
  return {
    ...report,
    command: report.command ?? command,
    warnings: [...noteWarnings(notes), ...report.warnings],
  };
}

/** How a question was read ("read “chanel” as channel"), as sentences at the top of the answer's warnings. */
export function noteWarnings(notes: string[]): string[] {
  return notes.map((n) => `${n[0]!.toUpperCase()}${n.slice(1)}.`);
}

/** A command read from plain words that changes something: its Confirm button, nothing done yet. */
export function confirmReport(command: string, notes: string[], question?: string): Report {
  return {
    kind: "confirm",
    unanswered: true,
    title: `Confirm · ${command}`,
    summary: `I read ${question ? `“${question}”` : "this"} as \`${command}\`, which changes something: confirm to do it.`,
    facts: [],
    charts: [],
    actions: [{ id: "confirm", label: "Confirm", command, style: "primary" }],
    warnings: noteWarnings(notes),
  };
}
