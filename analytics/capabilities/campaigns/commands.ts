import { parseArgs } from "node:util";
import { formatPercent } from "../../platform/base/format.ts";
import { question } from "../../platform/commands/index.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { type DigestSection, digestPeriod } from "../../platform/digest/digest.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import { formatMetric, kpiReport } from "../../platform/metrics/report.ts";
import { computePacing, pacingReport } from "./pacing.ts";
import { projectionPoint } from "./projection.ts";

export const campaignsCommand: Command = {
  name: "campaigns",
  aliases: ["campaign"],
  summary: "Every campaign's spend, orders, revenue, CPA and ROAS, with budget pacing",
  usage: "campaigns [period] [vs …] [for CHANNEL]",
  examples: ["campaigns this month vs last month", "campaigns last 7 days for paid search"],
  mutates: false,
  personal: false,
  run: async (args, { platform, extensions }) => {
    const query = question(args, platform, {
      metrics: ["spend", "clicks", "orders", "revenue", "cpa", "roas"],
      by: "campaign",
    });
    const [result, pacing] = await Promise.all([
      platform.kpis(query),
      computePacing(platform, extensions(projectionPoint)),
    ]);
    const report = kpiReport(result);
    if (report.table && query.by === "campaign") {
      const byId = new Map(pacing.campaigns.map((c) => [c.id, c]));
      report.table.columns.push(
        { key: "pace", label: "Budget pace", format: "percent" },
        { key: "pacing", label: "Pacing", format: "text" },
      );
      result.groups.forEach((group, i) => {
        const paced = byId.get(group.key);
        report.table!.rows[i]!.push(
          paced?.pacing.pace ?? null,
          paced ? paced.pacing.status.replace("_", " ") : null,
        );
      });
      report.table.totals?.push(null, null);
      const off = pacing.campaigns.filter(
        (c) => c.pacing.status === "over" || c.pacing.status === "under" || c.pacing.status === "overspent",
      );
      if (off.length > 0) {
        report.summary += ` Off budget pace: ${off
          .slice(0, 3)
          .map(
            (c) =>
              `${c.name} (${c.pacing.pace === null ? "—" : formatPercent(c.pacing.pace, 0)} of even spend)`,
          )
          .join(", ")}.`;
      }
    }
    return report;
  },
};

export const pacingCommand: Command = {
  name: "pacing",
  aliases: ["budget", "budgets"],
  summary: "Budget pacing of every campaign with a budget",
  usage: "pacing",
  examples: ["pacing"],
  mutates: false,
  personal: false,
  run: async (_args, { platform, extensions }) => pacingReport(platform, extensions(projectionPoint)),
};

export const pacingVerb: CliVerb = {
  name: "pacing",
  summary: "campaign budget pacing",
  help: "lift pacing [--json] [--csv] [--chart FILE.png]   budget pacing of every campaign with a budget\n",
  async run(args) {
    const { values } = parseArgs({ args, options: { ...OUTPUT_FLAGS } });
    return { command: "pacing", output: outputFlags(values) };
  },
};

/** The campaigns with the highest and lowest ROAS (higher is better), among those that spent. */
export const campaignSection: DigestSection = {
  id: "campaigns",
  order: 30,
  title: "Campaigns",
  async build({ platform, grain }) {
    if ((await platform.campaigns()).length === 0) return null;
    const result = await platform.kpis({
      metrics: ["roas", "revenue", "spend"],
      period: digestPeriod(grain),
      compare: "previous",
      by: "campaign",
      filter: {},
    });
    const roas = metricByKey("roas")!;
    const ranked = result.groups
      .filter((g) => typeof g.current["roas"] === "number" && (g.current["spend"] ?? 0) > 0)
      .sort((a, b) => b.current["roas"]! - a.current["roas"]!);
    const lines: string[] = [];
    const show = (g: (typeof ranked)[number]) =>
      `${g.label}, ${formatMetric(roas, g.current["roas"], result.currency)}`;
    if (ranked.length >= 2) {
      lines.push(`Highest ROAS: ${show(ranked[0]!)}`, `Lowest ROAS: ${show(ranked.at(-1)!)}`);
    }
    return {
      lines,
      details: [
        "ROAS by campaign:",
        ...result.groups.map(
          (g) =>
            `  ${g.label.slice(0, 28).padEnd(28)} ${formatMetric(roas, g.current["roas"], result.currency).padStart(8)}`,
        ),
      ],
    };
  },
};
