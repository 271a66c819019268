import { parseArgs } from "node:util";
import { getExperiment, importedVariants } from "../../../db/experiments/queries.ts";
import { saveExperiment } from "../../../db/experiments/writes.ts";
import { AppError } from "../../platform/base/errors.ts";
import { formatCount } from "../../platform/base/format.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { experimentsService } from "./api.ts";
import { parseVariants } from "./data.ts";
import { verdictSentence } from "./report.ts";

const HELP = `lift experiments [--json] [--csv]                  every experiment, its status and verdict
lift experiments import ID FILE.csv --control A [--split 50/50] [--goal converted|orders|revenue] [--map col=field]… [--delimiter ,|;|tab]
    Per-user results from another testing tool, analysed like any other experiment. Columns
    (header aliases welcome): user_id, variant, converted (0/1, yes/no or a count), revenue,
    exposed_at and converted_at (optional: with them the answer has its chart over days).
    Re-importing adds new users and updates changed ones; a user in two variants is left out.
    Exit codes: 0 every row in; 3 some rows rejected, the rest in; 1 nothing in.
`;

/** `lift experiments` (the list) and `lift experiments import …` (another tool's results). */
// Long on purpose: `lift experiments` verbs (list, import, simulate), each with its flags.
export const experimentsVerb: CliVerb = {
  name: "experiments",
  summary: "A/B experiments; `lift experiments import ID FILE` brings in another tool's results",
  help: HELP,
  async run(args, context) {
    const { platform, io } = context;
    if (args[0] !== "import") {
      const { values } = parseArgs({ args, options: { ...OUTPUT_FLAGS } });
      return { command: "experiments", output: outputFlags(values) };
    }
    const { values, positionals } = parseArgs({
      args: args.slice(1),
      allowPositionals: true,
      options: {
        control: { type: "string" },
        split: { type: "string" },
        goal: { type: "string" },
        map: { type: "string", multiple: true },
        delimiter: { type: "string" },
      },
    });
    const [id, path] = positionals;
    if (!id || !path || positionals.length > 2)
      throw new AppError("invalid_input", "lift experiments import needs an experiment id and a file", {
        hint: HELP,
      });
    if (!/^[\w.:-]{1,200}$/.test(id))
      throw new AppError("invalid_input", `“${id}” is not an experiment id (letters, digits, . : _ -)`);
    if (!values.control)
      throw new AppError("invalid_input", "Which variant is the control? Add --control", {
        hint: `lift experiments import ${id} ${path} --control A`,
      });
    const goal = values.goal ?? "converted";
    if (!["converted", "orders", "revenue"].includes(goal))
      throw new AppError(
        "invalid_input",
        `--goal ${goal}: an imported experiment is judged on converted, orders or revenue`,
      );
    const map: Record<string, string> = {};
    for (const pair of values.map ?? []) {
      const [column, field] = pair.split("=");
      if (!column || !field) throw new AppError("invalid_input", `--map ${pair} is not column=field`);
      map[column] = field;
    }
    const delimiter = values.delimiter === "tab" ? "\t" : values.delimiter;
    const summary = await platform.importFile({
      kind: "experiment_results",
      path,
      map,
      constants: { experiment_id: id },
      ...(delimiter ? { delimiter } : {}),
    });
    // The experiment's plan: the control, the split, the goal; the file says which variants there are.
    const row = await getExperiment(context.tables, id);
    const taken = summary.accepted + summary.updated + summary.duplicates + summary.stale;
    if (row) {
      let variants = row.variants;
      if (values.split) {
        const seen = new Set(await importedVariants(context.tables, id));
        const ordered = [values.control, ...[...seen].filter((v) => v !== values.control).sort()];
        const weights = values.split.split("/");
        if (weights.length !== ordered.length)
          throw new AppError(
            "invalid_input",
            `--split ${values.split} has ${weights.length} weights; the file has ${ordered.length} variants (${ordered.join(", ")}), control first`,
          );
        const read = parseVariants(ordered.map((v, i) => `${v}:${weights[i]}`).join(","));
        if ("error" in read) throw new AppError("invalid_input", read.error.replace(/^variants/, "--split"));
        variants = JSON.stringify(read);
      }
      await saveExperiment(context.tables, {
        ...row,
        control: values.control,
        goal,
        variants,
        source: "import",
        updatedAt: platform.now(),
      });
    }
    const lines = [
      `${formatCount(summary.rows)} rows read from ${path}: ${formatCount(summary.accepted)} new, ${formatCount(summary.updated)} updated, ${formatCount(summary.duplicates)} already there, ${formatCount(summary.rejectedCount)} rejected`,
      ...summary.rejections.slice(0, 20).map((r) => `  row ${r.row}: ${r.reason}`),
    ];
    if (summary.ignoredColumns.length > 0)
      lines.push(
        `  ignored columns: ${summary.ignoredColumns.join(", ")} (use --map column=field to read them)`,
      );
    if (taken > 0 && row) {
      const analysis = await experimentsService.of(platform).analyse(id);
      lines.push(`${id}: ${verdictSentence(analysis)}`, `See it: lift run "experiment ${id}"`);
    }
    io.out(`${lines.join("\n")}\n`);
    return { exitCode: summary.rejectedCount === 0 && taken > 0 ? 0 : taken > 0 ? 3 : 1 };
  },
};
