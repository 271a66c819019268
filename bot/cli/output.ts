import { writeFileSync } from "node:fs";
import { renderChart } from "../../analytics/charts/index.ts";
import { reportToCsv } from "../../analytics/reports/cells.ts";
import type { Report } from "../../analytics/reports/report.ts";
import { renderText } from "../render/text.ts";
import type { CliIo } from "./io.ts";

export interface OutputOptions {
  json: boolean;
  csv: boolean;
  chart?: string | undefined;
}

export const OUTPUT_FLAGS = {
  json: { type: "boolean" },
  csv: { type: "boolean" },
  chart: { type: "string" },
} as const;

/** Prints a report as text, JSON or CSV, and writes its first chart when asked. */
export function printReport(report: Report, output: OutputOptions, io: CliIo): number {
  if (output.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else if (output.csv) io.out(reportToCsv(report));
  else io.out(renderText(report));
  if (output.chart) {
    const chart = report.charts[0];
    if (!chart) {
      io.err("This answer has no chart (a single day has no trend): nothing written.\n");
      return 1;
    }
    writeFileSync(output.chart, renderChart(chart));
    if (!output.json && !output.csv) io.out(`Chart written to ${output.chart}\n`);
  }
  return 0;
}
