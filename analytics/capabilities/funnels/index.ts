import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import { parseKpiQuestion } from "../../platform/commands/index.ts";
import type { Command } from "../../platform/commands/registry.ts";
import { type CliVerb, contribute, defineCapability } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import type { PeriodSpec } from "../../platform/metrics/periods.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { funnelsVocabulary } from "./ask.ts";
import { funnelReport, parseFunnelSteps } from "./funnels.ts";

export { funnelDepths, stepCounts } from "./funnel-math.ts";
export { computeFunnel, type FunnelQuery, funnelReport, parseFunnelSteps } from "./funnels.ts";

const funnelCommand: Command = {
  name: "funnel",
  aliases: ["funnels"],
  summary: "Conversion through ordered events within a window, by channel",
  usage: "funnel STEP > STEP > … [within 7 days] [period] [by channel]",
  examples: ["funnel page > Product Added > Order Completed within 7 days by channel"],
  mutates: false,
  personal: false,
  run: async (args, { platform }) => {
    let text = ` ${args} `;
    let windowDays = 7;
    text = text.replace(/\s(?:within|in under|inside)\s+(\d{1,2})\s*(?:d|days?)\s/i, (_, days: string) => {
      windowDays = Number(days);
      return " ";
    });
    let byChannel = false;
    text = text.replace(/\s(?:by|per)\s+channels?\s/i, () => {
      byChannel = true;
      return " ";
    });
    const periodWords =
      /\s((?:last|past|this|previous)\s[\w\s]+?|yesterday|today|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})\s*$/i.exec(
        text,
      );
    let period: PeriodSpec = { kind: "last_days", n: 30 };
    if (periodWords) {
      period = parseKpiQuestion(periodWords[1]!, platform.today()).period;
      text = text.slice(0, periodWords.index);
    }
    return funnelReport(platform, { steps: parseFunnelSteps(text), period, windowDays, byChannel });
  },
};

/** `lift funnel "a > b" --within 7d --period … --by channel`: a translation to the `funnel` command. */
const funnelVerb: CliVerb = {
  name: "funnel",
  summary: "conversion through ordered events, by channel",
  help: `lift funnel "page > Product Added > Order Completed" [--within 7d] [--period P] [--by channel]
            [--json] [--csv] [--chart FILE.png]
`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        within: { type: "string" },
        period: { type: "string" },
        by: { type: "string" },
        ...OUTPUT_FLAGS,
      },
    });
    const within = /^(\d{1,2})\s*d?(ays?)?$/.exec(values.within ?? "7d");
    if (!within)
      throw new AppError("invalid_input", `--within ${values.within} is not a number of days`, {
        hint: "--within 7d",
      });
    if (values.by && values.by !== "channel")
      throw new AppError("invalid_input", "Funnels break down --by channel only");
    const words = [
      positionals.join(" "),
      `within ${within[1]} days`,
      values.period ?? "",
      values.by ? "by channel" : "",
    ];
    return { command: `funnel ${words.filter(Boolean).join(" ")}`, output: outputFlags(values) };
  },
};

/** Funnels: conversion through ordered events within a window, by the channel people started from. */
export const funnels = defineCapability({
  name: "funnels",
  summary: "Conversion through ordered events within a window, by channel",
  setup: () => ({
    commands: [funnelCommand],
    cliVerbs: [funnelVerb],
    extensions: [contribute(vocabularyPoint, funnelsVocabulary)],
  }),
});
