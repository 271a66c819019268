import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { renderChart } from "../../analytics/charts/index.ts";
import { createCommands } from "../../analytics/commands/index.ts";
import type { Core } from "../../analytics/core.ts";
import { AppError } from "../../analytics/errors.ts";
import type { CliIo } from "./io.ts";
import { OUTPUT_FLAGS, printReport } from "./output.ts";

export const RUN_HELP = `lift run "<command>" [--json] [--csv] [--out DIR]   any command Slack understands, e.g.
            lift run "revenue last 30 days by channel" · lift run "campaigns this month" · lift run help
`;

const commands = createCommands();

/** `lift run "<command>"`: the same command language as Slack and the console. */
export async function runCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...OUTPUT_FLAGS, out: { type: "string" } },
  });
  const text = positionals.join(" ");
  if (text.trim() === "" && positionals.length === 0)
    throw new AppError("invalid_input", "What should Lift run?", { hint: RUN_HELP });
  const report = await commands.run(text, { core, userId: "cli" });
  const code = printReport(
    report,
    { json: Boolean(values.json), csv: Boolean(values.csv), chart: values.chart },
    io,
  );
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    report.charts.forEach((chart, i) => {
      const file = join(values.out!, `${report.kind}-${i + 1}.png`);
      writeFileSync(file, renderChart(chart));
      if (!values.json && !values.csv) io.out(`Chart written to ${file}\n`);
    });
  }
  return code;
}
