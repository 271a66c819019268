import { GRAMMAR_HELP, question, resolveCampaign } from "../../platform/commands/index.ts";
import type { Command } from "../../platform/commands/registry.ts";

export const kpiCommand: Command = {
  name: "kpi",
  aliases: ["kpis", "metrics", "show"],
  summary: "Any KPI for any period, compared and broken down (also without the word kpi)",
  details: GRAMMAR_HELP,
  usage: "kpi [metrics] [period] [by …] [vs …] [for …]",
  examples: [
    "kpi revenue last 30 days by channel",
    "kpi signups and orders this month vs last year",
    "kpi cpa for paid search by campaign yesterday",
  ],
  mutates: false,
  personal: false,
  run: async (args, { platform }) =>
    platform.kpiReport(await resolveCampaign(platform, question(args, platform))),
};

export const channelsCommand: Command = {
  name: "channels",
  aliases: ["channel"],
  summary: "Every channel's visitors, orders, revenue, conversion, spend and ROAS",
  usage: "channels [period] [vs …]",
  examples: ["channels last 7 days", "channels this month vs last year"],
  mutates: false,
  personal: false,
  run: async (args, { platform }) =>
    platform.kpiReport(
      question(args, platform, {
        metrics: ["visitors", "orders", "revenue", "conversion_rate", "spend", "roas"],
        by: "channel",
      }),
    ),
};
