import { parseArgs } from "node:util";
import type { Core } from "../../analytics/core.ts";
import { AppError } from "../../analytics/errors.ts";
import { parseFunnelSteps } from "../../analytics/metrics/funnels.ts";
import { type PeriodSpec, parsePeriod } from "../../analytics/metrics/periods.ts";
import type { CliIo } from "./io.ts";
import { OUTPUT_FLAGS, printReport } from "./output.ts";

export const FUNNEL_HELP = `lift funnel "page > Product Added > Order Completed" [--within 7d] [--period "last 30 days"] [--by channel]
            [--json] [--csv] [--chart FILE.png]
`;
export const PACING_HELP = `lift pacing [--json] [--csv] [--chart FILE.png]   budget pacing of every campaign with a budget
`;

export async function funnelCommand(core: Core, args: string[], io: CliIo): Promise<number> {
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
  const steps = parseFunnelSteps(positionals.join(" "));
  const within = /^(\d{1,2})\s*d?(ays?)?$/.exec(values.within ?? "7d");
  if (!within)
    throw new AppError("invalid_input", `--within ${values.within} is not a number of days`, {
      hint: "--within 7d",
    });
  let period: PeriodSpec = { kind: "last_days", n: 30 };
  if (values.period) {
    const parsed = parsePeriod(values.period, core.today());
    if (!parsed)
      throw new AppError("invalid_input", `“${values.period}” is not a period Lift understands`, {
        hint: "e.g. last 30 days",
      });
    period = parsed;
  }
  if (values.by && values.by !== "channel")
    throw new AppError("invalid_input", "Funnels break down --by channel only");
  const report = await core.funnelReport({
    steps,
    period,
    windowDays: Number(within[1]),
    byChannel: values.by === "channel",
  });
  return printReport(
    report,
    { json: Boolean(values.json), csv: Boolean(values.csv), chart: values.chart },
    io,
  );
}

export async function pacingCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { ...OUTPUT_FLAGS } });
  return printReport(
    await core.pacingReport(),
    { json: Boolean(values.json), csv: Boolean(values.csv), chart: values.chart },
    io,
  );
}
