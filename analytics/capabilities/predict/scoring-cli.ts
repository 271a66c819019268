import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { latestFit, saveFit } from "../../../db/predict/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import { formatCount, formatPercent } from "../../platform/base/format.ts";
import type { CliContext } from "../../platform/contract/capability.ts";
import { type CliOutcome, OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { sniffDelimiter } from "../../platform/ingest/index.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import type { Report } from "../../platform/reports/report.ts";
import { fitFromJson, fitToJson } from "./fit-json.ts";
import { type ScoringModel, scoreTable, type Table, topFeatures, trainModel } from "./scoring.ts";

/** The most a labelled file may weigh (it is read whole). */
const MAX_BYTES = 512 * 1024 * 1024;
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

/** A labelled table from a file or standard input (`-`), its separator found from the header. */
export async function readTable(file: string, context: CliContext): Promise<Table> {
  let text: string;
  if (file === "-") {
    if (!context.io.readStdin) throw new AppError("invalid_input", "Give a file, or - for standard input");
    text = await context.io.readStdin();
  } else {
    try {
      const buffer = await readFile(file);
      if (buffer.length > MAX_BYTES)
        throw new AppError("invalid_input", `${file} is over ${MAX_BYTES / 1024 / 1024} MB`, {
          hint: "fit on a sample of the rows",
        });
      text = buffer.toString("utf8");
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("not_found", `Cannot read ${file}`, { hint: "check the path", cause: error });
    }
  }
  const { parse } = await import("csv-parse/sync");
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text.slice(0, 64 * 1024), file),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new AppError("invalid_input", `${file}: ${(error as Error).message}`, { cause: error });
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0)
    throw new AppError("invalid_input", `${file} has no rows under its header`);
  return { header, rows };
}

/** The answer a fit gives: how well the model ranks and how well its probabilities hold, on rows it never saw. */
export function modelReport(model: ScoringModel): Report {
  const m = model.metrics;
  const top = m.lift[0];
  return {
    kind: "model",
    title: `Model ${model.name}: who is likely to be ${model.target} = ${model.positive}`,
    summary: `On ${formatCount(m.nTest)} rows held out (a fifth of each outcome), it ranks a row with ${model.target} = ${model.positive} above one without ${formatPercent(m.auc, 0)} of the time (AUC ${m.auc.toFixed(3)}); its probabilities score ${m.brier.toFixed(4)} (Brier; always guessing the ${formatPercent(m.positiveRate, 1)} base rate scores ${m.brierBaseline.toFixed(4)}).${top ? ` The top tenth by score is ${top.lift.toFixed(1)}× the base rate.` : ""}`,
    facts: [
      { label: "AUC (holdout)", value: m.auc.toFixed(3) },
      {
        label: "Brier (holdout)",
        value: m.brier.toFixed(4),
        note: `base rate ${m.brierBaseline.toFixed(4)}`,
      },
      { label: "Rows", value: formatCount(m.nTrain + m.nTest), note: `${formatCount(m.nTest)} held out` },
      { label: `${model.target} = ${model.positive}`, value: formatPercent(m.positiveRate, 1) },
    ],
    charts: [],
    actions: [],
    warnings:
      m.skipped > 0 ? [`${formatCount(m.skipped)} rows without a ${model.target} were left out.`] : [],
    table: {
      columns: [
        { key: "decile", label: "Score decile", format: "count" },
        { key: "rows", label: "Rows", format: "count" },
        { key: "rate", label: `${model.target} = ${model.positive}`, format: "percent" },
        { key: "lift", label: "Lift", format: "text" },
      ],
      rows: m.lift.map((d) => [d.decile, d.rows, d.rate, `${d.lift.toFixed(2)}×`]),
    },
    details: [
      `What moves the odds most: ${topFeatures(model).join("; ")}.`,
      `Reliability on the holdout (predicted → observed): ${m.reliability.map((b) => `${formatPercent(b.from, 0)}–${formatPercent(b.to, 0)}: ${formatPercent(b.predicted, 1)} → ${formatPercent(b.observed, 1)} (${formatCount(b.rows)})`).join("; ")}.`,
      `Logistic regression, L2 (C = ${model.C}), on ${model.features.length} features: numbers standardised, categories one-hot, a missing number flagged; refitted on every row for scoring. Gradient-boosted trees are not tried.`,
    ],
    data: {
      schema: "model/1",
      name: model.name,
      target: model.target,
      positive: model.positive,
      auc: m.auc,
      brier: m.brier,
      brier_baseline: m.brierBaseline,
      n_train: m.nTrain,
      n_test: m.nTest,
      positive_rate: m.positiveRate,
      features: model.features.map((name, j) => ({ name, weight: model.weights[j] })),
      intercept: model.intercept,
      reliability: m.reliability,
      lift_by_decile: m.lift,
    },
  };
}

/** `lift predict fit FILE --target COLUMN …`: trains, keeps and reports a scoring model. */
export async function fitVerb(args: string[], context: CliContext): Promise<CliOutcome> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      target: { type: "string" },
      positive: { type: "string" },
      drop: { type: "string" },
      name: { type: "string" },
      ...OUTPUT_FLAGS,
    },
  });
  const file = positionals[0];
  if (!file) throw new AppError("invalid_input", "Name the labelled file (or - for standard input)");
  if (!values.target)
    throw new AppError("invalid_input", "Name the column to predict", { hint: "--target converted" });
  const name =
    values.name ??
    basename(file)
      .replace(/\.[^.]*$/, "")
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-");
  if (!NAME.test(name))
    throw new AppError("invalid_input", `“${name}” cannot name a model`, {
      hint: "--name with letters, digits, - and _ (up to 40)",
    });
  const table = await readTable(file, context);
  const { model } = trainModel(table, {
    target: values.target,
    ...(values.positive !== undefined ? { positive: values.positive } : {}),
    drop: values.drop ? values.drop.split(",") : [],
    name,
    now: context.now(),
  });
  await saveFit(context.tables, {
    kind: `model:${name}`,
    asOf: new Date(context.now()).toISOString(),
    data: fitToJson(model),
    fittedAt: context.now(),
  });
  context.logger.info(
    { model: name, auc: model.metrics.auc, rows: table.rows.length },
    "scoring model fitted",
  );
  return { report: modelReport(model), output: outputFlags(values) };
}

/** `lift predict score FILE --model NAME`: the same rows as CSV, each with its probability. */
export async function scoreVerb(args: string[], context: CliContext): Promise<CliOutcome> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { model: { type: "string" } },
  });
  const file = positionals[0];
  if (!file || !values.model)
    throw new AppError("invalid_input", "Name the file and the model", {
      hint: "lift predict score leads.csv --model leads",
    });
  const kept = await latestFit(context.tables, `model:${values.model}`);
  if (!kept)
    throw new AppError("not_found", `There is no model “${values.model}”`, {
      hint: "train one: lift predict fit FILE --target COLUMN --name NAME",
    });
  const model = fitFromJson<ScoringModel>(kept.data);
  const table = await readTable(file, context);
  const probabilities = scoreTable(model, table);
  context.io.out(`${[...table.header, "probability"].map(csvCell).join(",")}\n`);
  for (let i = 0; i < table.rows.length; i++) {
    context.io.out(`${[...table.rows[i]!, Number(probabilities[i]!.toFixed(6))].map(csvCell).join(",")}\n`);
    if (i % 1000 === 999) await context.io.drain?.();
  }
  return { exitCode: 0 };
}
