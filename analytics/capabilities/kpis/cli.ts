import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import { BREAKDOWN_WORDS } from "../../platform/commands/index.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { CHANNELS, channelNamed } from "../../platform/ingest/index.ts";
import { findMetric, METRICS, metricByKey } from "../../platform/metrics/definitions.ts";

export const KPI_HELP = `lift kpi [METRIC,…] [--period "last 30 days" | --from DAY --to DAY] [--by ${BREAKDOWN_WORDS.join("|")}|SCOPE]
         [--compare previous|last-year|none] [--channel NAME] [--campaign ID] [--SCOPE NAME] [--json] [--csv] [--chart FILE.png]

The flags are another way to write a question: lift kpi revenue --by channel --period "this month"
asks exactly what lift run "kpi revenue this month by channel" asks.
Metrics: ${METRICS.map((m) => m.key).join(", ")}, or event:"Event Name".
Periods: any period the command language reads (lift run "help kpi"). Default: last 30 days vs the 30 before.
SCOPE: a group capabilities add to questions (--segment champions, --by segment).
`;

/** Positional and --metric values → the words the grammar reads ("conversion_rate" → "conversion rate"). */
function metricWords(values: string[]): string {
  return values
    .flatMap((value) => value.split(","))
    .map((word) => word.trim())
    .filter(Boolean)
    .map((word) => {
      if (word.startsWith("event:")) return `"${word.slice(6).replace(/^"|"$/g, "")}"`;
      const metric = metricByKey(word) ?? findMetric(word.replace(/_/g, " "));
      if (!metric) {
        throw new AppError("invalid_input", `“${word}” is not a metric Lift knows`, {
          hint: `metrics: ${METRICS.map((m) => m.key).join(", ")}, or event:"Event Name"`,
        });
      }
      return metric.key.replace(/_/g, " ");
    })
    .join(" and ");
}

/** `lift kpi …`: the flags are a thin translation to the command language, read by its one parser. */
export const kpiVerb: CliVerb = {
  name: "kpi",
  summary: "KPIs for a period, compared, broken down",
  help: KPI_HELP,
  async run(args, context) {
    const scopes = context.platform.grammarWords().scopes.map((scope) => scope.word);
    const breakdowns = [...BREAKDOWN_WORDS, ...scopes];
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        metric: { type: "string", multiple: true, short: "m" },
        period: { type: "string", short: "p" },
        from: { type: "string" },
        to: { type: "string" },
        by: { type: "string" },
        compare: { type: "string" },
        channel: { type: "string" },
        campaign: { type: "string" },
        ...Object.fromEntries(scopes.map((word) => [word, { type: "string" as const }])),
        ...OUTPUT_FLAGS,
      },
    });
    const words = [metricWords([...(values.metric ?? []), ...positionals])];
    if (values.from || values.to) {
      if (!values.from || !values.to)
        throw new AppError("invalid_input", "--from and --to go together", {
          hint: "--from 2026-10-01 --to 2026-10-31",
        });
      words.push(`${values.from}..${values.to}`);
    } else if (values.period) words.push(values.period);
    if (values.by && values.by !== "none") {
      if (!breakdowns.includes(values.by))
        throw new AppError("invalid_input", `--by ${values.by} is not one of ${breakdowns.join(", ")}`);
      words.push(`by ${values.by}`);
    }
    const compare = values.compare?.replace("_", "-");
    if (compare !== undefined) {
      if (!["previous", "last-year", "none"].includes(compare))
        throw new AppError(
          "invalid_input",
          `--compare ${values.compare} is not one of previous, last-year, none`,
        );
      words.push(compare === "previous" ? "" : compare === "none" ? "no comparison" : "vs last year");
    }
    if (values.channel) {
      const channel = channelNamed(values.channel);
      if (!channel)
        throw new AppError(
          "invalid_input",
          `--channel ${values.channel} is not one of ${CHANNELS.join(", ")}`,
        );
      words.push(`for ${channel.replace(/_/g, " ")}`);
    }
    if (values.campaign) words.push(`campaign "${values.campaign.replace(/"/g, "")}"`);
    for (const word of scopes) {
      const name = (values as Record<string, unknown>)[word];
      if (typeof name === "string") words.push(`for ${word} "${name.replace(/"/g, "")}"`);
    }
    return { command: `kpi ${words.filter(Boolean).join(" ")}`.trim(), output: outputFlags(values) };
  },
};
