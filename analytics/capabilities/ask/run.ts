import { listCampaigns } from "../../../db/campaigns/queries.ts";
import { listExperiments } from "../../../db/experiments/queries.ts";
import { listSegments } from "../../../db/segments/queries.ts";
import { type CommandContext, changesState } from "../../platform/commands/registry.ts";
import { AppError } from "../../platform/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import type { Report } from "../../platform/reports/report.ts";
import type { Vocabulary } from "./understand.ts";

/** The workspace's own names, so a question can name a campaign, an experiment or a segment. */
export async function vocabularyOf(platform: Platform): Promise<Vocabulary> {
  const [campaigns, experiments] = await Promise.all([
    listCampaigns(platform.db),
    listExperiments(platform.db),
  ]);
  return {
    campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })),
    experiments: experiments.map((e) => ({ id: e.id, name: e.name })),
    segments: listSegments(platform.db).map((s) => s.name),
    commands: platform.registries.commands
      .list()
      .filter((c) => !c.mutates && c.name !== "ask")
      .flatMap((c) => [c.name, ...c.aliases]),
  };
}

/** Runs a command ask chose (never one that changes state) and says how the question was read. */
export async function runReading(command: string, notes: string[], context: CommandContext): Promise<Report> {
  const { platform } = context;
  const { command: chosen, args } = platform.registries.commands.resolve(command);
  if (changesState(chosen, args) || chosen.name === "ask") {
    throw new AppError("invalid_input", `Ask only answers questions; \`${command}\` would change something`, {
      hint: `run \`${command}\` yourself if that is what you meant`,
    });
  }
  const report = await chosen.run(args, context);
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
