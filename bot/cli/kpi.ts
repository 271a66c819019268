import { parseArgs } from "node:util";
import type { Core } from "../../analytics/core.ts";
import { AppError } from "../../analytics/errors.ts";
import { CHANNELS, channelNamed } from "../../analytics/ingest/channel.ts";
import { findMetric, METRICS, metricByKey } from "../../analytics/metrics/definitions.ts";
import type { KpiQuery } from "../../analytics/metrics/kpis.ts";
import { type ComparisonSpec, type PeriodSpec, parsePeriod } from "../../analytics/metrics/periods.ts";
import type { CliIo } from "./io.ts";
import { OUTPUT_FLAGS, printReport } from "./output.ts";

const GRAINS = ["none", "channel", "campaign", "day", "week", "month"] as const;

export const KPI_HELP = `lift kpi [METRIC,…] [--period "last 30 days" | --from DAY --to DAY] [--by channel|campaign|day|week|month]
         [--compare previous|last-year|none] [--channel NAME] [--campaign ID] [--json] [--csv] [--chart FILE.png]

Metrics: ${METRICS.map((m) => m.key).join(", ")}, or event:"Event Name".
Periods: today, yesterday, last N days|weeks|months, this|last week, this|last month, this|last quarter,
         this year, YYYY-MM-DD..YYYY-MM-DD. Default: last 30 days, compared with the 30 days before.
`;

function metricKeys(words: string[]): string[] {
  return words
    .flatMap((word) => word.split(","))
    .map((word) => word.trim())
    .filter(Boolean)
    .map((word) => {
      const metric = metricByKey(word) ?? findMetric(word.replace(/_/g, " "));
      if (!metric) {
        throw new AppError("invalid_input", `“${word}” is not a metric Lift knows`, {
          hint: `metrics: ${METRICS.map((m) => m.key).join(", ")}, or event:"Event Name"`,
        });
      }
      return metric.key;
    });
}

function channelFlag(value: string): string {
  const channel = channelNamed(value);
  if (!channel)
    throw new AppError("invalid_input", `--channel ${value} is not one of ${CHANNELS.join(", ")}`);
  return channel;
}

/** `lift kpi …` flags → the same query Slack's `/lift kpi` builds. */
export function kpiQueryFromArgs(
  args: string[],
  today: string,
): KpiQuery & { output: { json: boolean; csv: boolean; chart?: string } } {
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
      ...OUTPUT_FLAGS,
    },
  });
  let period: PeriodSpec = { kind: "last_days", n: 30 };
  if (values.from || values.to) {
    if (!values.from || !values.to)
      throw new AppError("invalid_input", "--from and --to go together", {
        hint: "--from 2026-10-01 --to 2026-10-31",
      });
    period = { kind: "range", from: values.from, to: values.to };
  } else if (values.period) {
    const parsed = parsePeriod(values.period, today);
    if (!parsed)
      throw new AppError("invalid_input", `“${values.period}” is not a period Lift understands`, {
        hint: "e.g. last 30 days, this month, 2026-10-01..2026-10-31",
      });
    period = parsed;
  }
  const by = (values.by ?? "none") as (typeof GRAINS)[number];
  if (!GRAINS.includes(by))
    throw new AppError("invalid_input", `--by ${values.by} is not one of ${GRAINS.slice(1).join(", ")}`);
  const compareWord = (values.compare ?? "previous").replace("-", "_");
  if (!["previous", "last_year", "none"].includes(compareWord)) {
    throw new AppError(
      "invalid_input",
      `--compare ${values.compare} is not one of previous, last-year, none`,
    );
  }
  return {
    metrics: metricKeys([...(values.metric ?? []), ...positionals]),
    period,
    compare: compareWord as ComparisonSpec,
    by,
    filter: {
      ...(values.channel ? { channel: channelFlag(values.channel) } : {}),
      ...(values.campaign ? { campaignId: values.campaign } : {}),
    },
    output: {
      json: Boolean(values.json),
      csv: Boolean(values.csv),
      ...(values.chart ? { chart: values.chart } : {}),
    },
  };
}

export async function kpiCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const today = core.today();
  const { output, ...query } = kpiQueryFromArgs(args, today);
  return printReport(await core.kpiReport(query), output, io);
}
