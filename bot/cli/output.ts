import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CommandRunner } from "../../analytics/platform/commands/index.ts";
import type { OutputFlags } from "../../analytics/platform/contract/cli.ts";
import { reportToCsv } from "../../analytics/platform/reports/cells.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { renderText } from "../render/text.ts";
import type { CliIo } from "./io.ts";

/** Prints a report as text, JSON (the whole Report, its `data` included) or CSV, and writes its charts when asked. */
export async function printReport(
  report: Report,
  output: OutputFlags,
  io: CliIo,
  runner: Pick<CommandRunner, "chart">,
): Promise<number> {
  if (output.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else if (output.csv) io.out(reportToCsv(report));
  else io.out(renderText(report));
  const quiet = output.json || output.csv;
  if (output.chart) {
    const chart = report.charts[0];
    if (!chart) {
      io.err("This answer has no chart (a single day has no trend): nothing written.\n");
      return 1;
    }
    writeFileSync(output.chart, await runner.chart(chart));
    if (!quiet) io.out(`Chart written to ${output.chart}\n`);
  }
  if (output.out) {
    mkdirSync(output.out, { recursive: true });
    for (const [i, chart] of report.charts.entries()) {
      const file = join(output.out, `${report.kind}-${i + 1}.png`);
      writeFileSync(file, await runner.chart(chart));
      if (!quiet) io.out(`Chart written to ${file}\n`);
    }
  }
  return 0;
}
