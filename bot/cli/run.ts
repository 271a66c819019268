import { parseArgs } from "node:util";
import { AppError } from "../../analytics/platform/base/errors.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../analytics/platform/contract/cli.ts";

export const RUN_HELP = `lift run "<command>" [--json] [--csv] [--chart FILE.png] [--out DIR]   any command Slack understands, e.g.
            lift run "revenue last 30 days by channel" · lift run "campaigns this month" · lift run help
            --json prints the whole answer, with its machine-readable \`data\` where the answer has one.
`;

/** `lift run "<command>"`: the same command language as Slack and the console. */
export function runArgs(args: string[]) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...OUTPUT_FLAGS } });
  const text = positionals.join(" ");
  if (text.trim() === "") throw new AppError("invalid_input", "What should Lift run?", { hint: RUN_HELP });
  return { command: text, output: outputFlags(values) };
}
