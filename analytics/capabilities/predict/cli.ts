import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { readSeriesPoints } from "../../platform/ingest/index.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { forecastValues } from "./forecast.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A regular series read from `date,value` or `timestamp,value` lines: missing steps as null. */
export function readSeriesCsv(text: string): {
  start: number;
  stepMs: number;
  values: (number | null)[];
  dates: boolean;
} {
  const points = readSeriesPoints(text, {
    time: ["date", "timestamp", "ds", "day"],
    value: ["value", "y"],
    what: "date (or timestamp) and value",
    hint: "e.g. date,value then 2026-11-01,1520",
  });
  const dates = points.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.raw));
  if (points.length < 2) throw new AppError("invalid_input", "A series needs at least two rows");
  points.sort((a, b) => a.at - b.at);
  const gaps = points
    .slice(1)
    .map((p, i) => p.at - points[i]!.at)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  const stepMs = gaps[0] ?? 0;
  if (stepMs <= 0) throw new AppError("invalid_input", "Every row has the same time");
  const steps = Math.round((points[points.length - 1]!.at - points[0]!.at) / stepMs) + 1;
  if (steps > 1_000_000) throw new AppError("invalid_input", "The series is longer than a million steps");
  const values = new Array<number | null>(steps).fill(null);
  for (const p of points) {
    const index = (p.at - points[0]!.at) / stepMs;
    if (!Number.isInteger(index))
      throw new AppError(
        "invalid_input",
        `${new Date(p.at).toISOString()} is off the series' step of ${stepMs / 60_000} minutes`,
        {
          hint: "forecasts need evenly spaced rows (missing ones are fine)",
        },
      );
    if (values[index] !== null)
      throw new AppError("invalid_input", `${new Date(p.at).toISOString()} appears twice`);
    values[index] = p.value;
  }
  return { start: points[0]!.at, stepMs, values, dates };
}

/** The seasons worth looking for at a step: a week of days; a day and a week of hours (or of any step that divides them). */
export function lagsFor(stepMs: number): number[] {
  if (stepMs === DAY) return [7];
  const lags: number[] = [];
  for (const span of [DAY, 7 * DAY]) {
    const lag = span / stepMs;
    if (Number.isInteger(lag) && lag >= 2 && lag <= 2016) lags.push(lag);
  }
  return lags;
}

/** `lift forecast FILE.csv|- --horizon H`: any series in, its forecast with bands out; otherwise the forecast command. */
export const forecastVerb: CliVerb = {
  name: "forecast",
  summary: "forecasts any series (date,value CSV) with bands, or runs `forecast <metric> …` on the workspace",
  help: `lift forecast FILE.csv|- --horizon H [--season S] [--json]
    Reads a series with the columns date,value or timestamp,value (daily, hourly or any even step;
    missing steps are filled by straight lines and counted), forecasts H steps, and prints
    timestamp,forecast,lower80,upper80,lower95,upper95 as CSV, or with --json
    {model, season, holdout, filled, steps: [{timestamp, forecast, lower80, upper80, lower95, upper95}]}.
    The season (7 for days; 24 or 168 for hours) is found by autocorrelation unless --season gives it.
lift forecast <metric> [for …] [next N days|this month|this quarter] [--json|--csv]
    The forecast answer, as in Slack.
`,
  async run(args, { io }) {
    const file = args[0];
    const series =
      file === "-" ||
      (file !== undefined && !file.startsWith("--") && (/\.(csv|txt)$/i.test(file) || existsSync(file)));
    if (!series) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { ...OUTPUT_FLAGS },
      });
      return { command: `forecast ${positionals.join(" ")}`.trim(), output: outputFlags(values) };
    }
    const { values: flags } = parseArgs({
      args: args.slice(1),
      options: { horizon: { type: "string" }, season: { type: "string" }, json: { type: "boolean" } },
    });
    const horizon = Number(flags.horizon);
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > 10_000)
      throw new AppError("invalid_input", "--horizon must be a whole number of steps from 1 to 10,000", {
        hint: "e.g. --horizon 28",
      });
    const season = flags.season === undefined ? undefined : Number(flags.season);
    if (season !== undefined && (!Number.isInteger(season) || season < 0))
      throw new AppError("invalid_input", "--season must be a whole number of steps (0 for none)");
    let text: string;
    if (file === "-") {
      if (!io.readStdin) throw new AppError("invalid_input", "Give a file, or - for standard input");
      text = await io.readStdin();
    } else {
      try {
        text = await readFile(file!, "utf8");
      } catch (error) {
        throw new AppError("not_found", `Cannot read ${file}`, { hint: "check the path", cause: error });
      }
    }
    const read = readSeriesCsv(text);
    const known = read.values.filter((v) => v !== null).length;
    if (known < 14)
      throw new AppError("invalid_input", `A forecast needs at least 14 values; the file has ${known}`);
    const forecast = forecastValues(read.values, {
      horizon,
      ...(season !== undefined ? { period: season } : {}),
      lags: lagsFor(read.stepMs),
      nonNegative: read.values.every((v) => v === null || v >= 0),
    });
    const stamp = (i: number) => {
      const iso = new Date(read.start + (read.values.length + i) * read.stepMs).toISOString();
      return read.dates ? iso.slice(0, 10) : iso;
    };
    const round = (x: number) => Number(x.toPrecision(10));
    const rows = forecast.steps.map((s, i) => ({
      timestamp: stamp(i),
      forecast: round(s.mean),
      lower80: round(s.lower80),
      upper80: round(s.upper80),
      lower95: round(s.lower95),
      upper95: round(s.upper95),
    }));
    if (flags.json) {
      io.out(
        `${JSON.stringify({ model: forecast.model, season: forecast.period, holdout: forecast.holdout, filled: forecast.filled, steps: rows })}\n`,
      );
    } else {
      io.out("timestamp,forecast,lower80,upper80,lower95,upper95\n");
      for (const r of rows) io.out(`${Object.values(r).map(csvCell).join(",")}\n`);
      io.err(`${forecast.model}${forecast.filled > 0 ? ` · ${forecast.filled} missing steps filled` : ""}\n`);
    }
    return { exitCode: 0 };
  },
};
