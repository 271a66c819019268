import { AppError } from "../../platform/base/errors.ts";
import { Random } from "../../platform/demo/index.ts";
import {
  auc,
  brier,
  fitLogistic,
  type LogisticModel,
  liftByDecile,
  predictLogistic,
  reliability,
} from "./logistic.math.ts";

/*
 * Scoring models on any labelled table (a CRM export of leads that converted or not, a campaign's
 * responders): columns read as numbers or categories, numbers standardised and categories one-hot
 * with the training part's statistics, missing values given their own indicator, an L2 logistic
 * regression, and a stratified 20 % holdout to judge it on.
 */

/** Cells read as missing. */
const MISSING = new Set(["", "na", "n/a", "nan", "null", "none", "?", "-"]);
/** The most categories one column keeps; rarer ones share "(other)". */
const MAX_LEVELS = 50;
/** The share held out, and the seed of the split (fixed: the same file gives the same split). */
export const HOLDOUT_SHARE = 0.2;
const SEED = 42;

export interface Table {
  header: string[];
  rows: string[][];
}

export interface ColumnSpec {
  name: string;
  index: number;
  kind: "number" | "category";
  mean: number;
  sd: number;
  /** A number column with missing cells in training gets an indicator feature. */
  missing: boolean;
  levels: string[];
}

export interface ScoringModel {
  schema: "model/1";
  name: string;
  target: string;
  positive: string;
  columns: ColumnSpec[];
  features: string[];
  intercept: number;
  weights: number[];
  C: number;
  trainedAt: number;
  metrics: ModelMetrics;
}

export interface ModelMetrics {
  auc: number;
  brier: number;
  /** The base rate's Brier score on the holdout (always predicting the training rate), to compare. */
  brierBaseline: number;
  nTrain: number;
  nTest: number;
  positiveRate: number;
  skipped: number;
  reliability: ReturnType<typeof reliability>;
  lift: ReturnType<typeof liftByDecile>;
}

const isMissing = (cell: string | undefined) => cell === undefined || MISSING.has(cell.trim().toLowerCase());

/** A number as a spreadsheet writes it ("1,234.5", "12 %"), or null. */
function numberOf(cell: string): number | null {
  const text = cell
    .trim()
    .replace(/,(?=\d{3}(\D|$))/g, "")
    .replace(/\s*%$/, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
  return Number(text);
}

/** The target's positive value: the one named, else yes/true/1 when the column has two values. */
export function positiveValue(values: readonly string[], target: string, named?: string): string {
  const seen = [...new Set(values.filter((v) => !isMissing(v)).map((v) => v.trim()))];
  if (named !== undefined) {
    if (!seen.includes(named))
      throw new AppError("invalid_input", `${target} never has the value “${named}”`, {
        hint: `its values: ${seen.slice(0, 10).join(", ")}`,
      });
    return named;
  }
  if (seen.length < 2)
    throw new AppError(
      "invalid_input",
      `${target} is always ${seen[0] ?? "empty"}: a model needs rows with the outcome and rows without it`,
    );
  if (seen.length !== 2)
    throw new AppError(
      "invalid_input",
      `${target} has ${seen.length} values (${seen.slice(0, 6).join(", ")}${seen.length > 6 ? ", …" : ""}); say which one is the outcome to predict`,
      { hint: "add --positive VALUE (e.g. --positive converted)" },
    );
  const known = seen.find((v) => /^(yes|y|true|1|won|converted|positive)$/i.test(v));
  if (!known)
    throw new AppError("invalid_input", `Which of ${seen.join(" and ")} is the outcome to predict?`, {
      hint: `add --positive ${seen[0]}`,
    });
  return known;
}

/** Row indices of a stratified split: `HOLDOUT_SHARE` of each class held out, chosen by a fixed seed. */
export function stratifiedSplit(labels: Uint8Array): { train: number[]; test: number[] } {
  const random = new Random(SEED);
  const next = () => random.next();
  const train: number[] = [];
  const test: number[] = [];
  for (const value of [0, 1]) {
    const rows = [...labels.keys()].filter((i) => labels[i] === value);
    // Fisher–Yates with the seeded stream.
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const held = Math.round(rows.length * HOLDOUT_SHARE);
    test.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** How each feature column is read, from the training rows alone. */
export function planColumns(table: Table, rows: readonly number[], skip: ReadonlySet<number>): ColumnSpec[] {
  const specs: ColumnSpec[] = [];
  table.header.forEach((name, index) => {
    if (skip.has(index)) return;
    const cells = rows.map((r) => table.rows[r]![index]);
    const present = cells.filter((c): c is string => !isMissing(c));
    if (present.length === 0) return;
    const numbers = present.map(numberOf);
    if (numbers.every((v) => v !== null)) {
      const values = numbers as number[];
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      // The population deviation, as scikit-learn's StandardScaler uses.
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      specs.push({
        name,
        index,
        kind: "number",
        mean,
        sd,
        missing: present.length < cells.length,
        levels: [],
      });
      return;
    }
    const counts = new Map<string, number>();
    for (const c of cells) {
      const level = isMissing(c) ? "(missing)" : c!.trim();
      counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    const levels = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([level]) => level)
      .sort();
    if (counts.size > MAX_LEVELS) levels.push("(other)");
    specs.push({ name, index, kind: "category", mean: 0, sd: 0, missing: false, levels });
  });
  return specs;
}

export function featureNames(columns: readonly ColumnSpec[]): string[] {
  return columns.flatMap((c) =>
    c.kind === "number"
      ? [c.name, ...(c.missing ? [`${c.name} (missing)`] : [])]
      : c.levels.map((level) => `${c.name} = ${level}`),
  );
}

/** The design matrix of some rows (row-major): numbers standardised, categories one-hot. */
export function encode(columns: readonly ColumnSpec[], table: Table, rows: readonly number[]): Float64Array {
  const d = featureNames(columns).length;
  const X = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    let j = 0;
    const row = table.rows[r]!;
    for (const c of columns) {
      const cell = row[c.index];
      if (c.kind === "number") {
        const value = isMissing(cell) ? null : numberOf(cell!);
        X[i * d + j++] = value === null || c.sd === 0 ? 0 : (value - c.mean) / c.sd;
        if (c.missing) X[i * d + j++] = value === null ? 1 : 0;
      } else {
        const level = isMissing(cell) ? "(missing)" : cell!.trim();
        let at = c.levels.indexOf(level);
        if (at < 0) at = c.levels.indexOf("(other)");
        if (at >= 0) X[i * d + j + at] = 1;
        j += c.levels.length;
      }
    }
  });
  return X;
}

/**
 * Trains a scoring model: the target's positive value, a stratified 20 % holdout, the columns read
 * on the training part, an L2 logistic regression (C = 1), judged on the holdout; then refitted on
 * every row for scoring.
 */
export function trainModel(
  table: Table,
  options: {
    target: string;
    positive?: string;
    drop?: readonly string[];
    name: string;
    now: number;
    C?: number;
  },
): { model: ScoringModel; split: { train: number[]; test: number[] }; holdoutScores: Float64Array } {
  const lower = table.header.map((h) => h.trim().toLowerCase());
  const target = lower.indexOf(options.target.trim().toLowerCase());
  if (target < 0)
    throw new AppError("invalid_input", `There is no column “${options.target}”`, {
      hint: `the columns: ${table.header.join(", ")}`,
    });
  const skip = new Set([target]);
  for (const name of options.drop ?? []) {
    const at = lower.indexOf(name.trim().toLowerCase());
    if (at < 0) throw new AppError("invalid_input", `--drop names “${name}”, which is not a column`);
    skip.add(at);
  }
  const labelled = table.rows.map((_, i) => i).filter((i) => !isMissing(table.rows[i]![target]));
  const positive = positiveValue(
    labelled.map((i) => table.rows[i]![target]!),
    table.header[target]!,
    options.positive,
  );
  const labelledTable: Table = { header: table.header, rows: labelled.map((i) => table.rows[i]!) };
  const labels = Uint8Array.from(labelledTable.rows, (row) => (row[target]!.trim() === positive ? 1 : 0));
  const positives = labels.reduce((s, v) => s + v, 0);
  if (positives < 10 || labels.length - positives < 10)
    throw new AppError(
      "invalid_input",
      `A model needs at least 10 rows of each outcome; there are ${positives} “${positive}” and ${labels.length - positives} others`,
    );
  const split = stratifiedSplit(labels);
  const C = options.C ?? 1;
  const judge = (rows: number[]) => {
    const columns = planColumns(labelledTable, rows, skip);
    const d = featureNames(columns).length;
    const fit = fitLogistic(
      encode(columns, labelledTable, rows),
      Uint8Array.from(rows, (r) => labels[r]!),
      d,
      { C },
    );
    return { columns, d, fit };
  };
  const trained = judge(split.train);
  const holdoutScores = predictLogistic(
    trained.fit,
    encode(trained.columns, labelledTable, split.test),
    trained.d,
  );
  const testLabels = Uint8Array.from(split.test, (r) => labels[r]!);
  const trainRate = split.train.reduce((s, r) => s + labels[r]!, 0) / split.train.length;
  const metrics: ModelMetrics = {
    auc: auc(holdoutScores, testLabels),
    brier: brier(holdoutScores, testLabels),
    brierBaseline: brier(new Float64Array(testLabels.length).fill(trainRate), testLabels),
    nTrain: split.train.length,
    nTest: split.test.length,
    positiveRate: positives / labels.length,
    skipped: table.rows.length - labelled.length,
    reliability: reliability(holdoutScores, testLabels),
    lift: liftByDecile(holdoutScores, testLabels),
  };
  // The model kept for scoring learns from every labelled row; its quality is the holdout's.
  const all = judge(labelled.map((_, i) => i));
  return {
    model: {
      schema: "model/1",
      name: options.name,
      target: table.header[target]!,
      positive,
      columns: all.columns,
      features: featureNames(all.columns),
      intercept: all.fit.intercept,
      weights: [...all.fit.weights],
      C,
      trainedAt: options.now,
      metrics,
    },
    split,
    holdoutScores,
  };
}

/** Each row's probability of the positive outcome under a kept model (columns found by name). */
export function scoreTable(model: ScoringModel, table: Table): Float64Array {
  const lower = table.header.map((h) => h.trim().toLowerCase());
  const columns = model.columns.map((c) => {
    const index = lower.indexOf(c.name.trim().toLowerCase());
    if (index < 0)
      throw new AppError(
        "invalid_input",
        `The file has no column “${c.name}”, which model ${model.name} reads`,
        {
          hint: `it reads: ${model.columns.map((m) => m.name).join(", ")}`,
        },
      );
    return { ...c, index };
  });
  const fit: LogisticModel = {
    intercept: model.intercept,
    weights: Float64Array.from(model.weights),
    iterations: 0,
    converged: true,
  };
  const rows = table.rows.map((_, i) => i);
  return predictLogistic(fit, encode(columns, table, rows), model.features.length);
}

/** The features that move the odds most, in words. */
export function topFeatures(model: ScoringModel, count = 5): string[] {
  return model.features
    .map((name, j) => ({ name, w: model.weights[j]! }))
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
    .slice(0, count)
    .map(({ name, w }) => {
      const odds = Math.exp(w);
      const times = odds >= 1 ? `×${odds.toFixed(2)}` : `×${odds.toFixed(2)} (÷${(1 / odds).toFixed(2)})`;
      const column = model.columns.find((c) => c.name === name);
      return column?.kind === "number"
        ? `${name}: each ${formatSd(column.sd)} more multiplies the odds of ${model.target} = ${model.positive} by ${times}`
        : `${name}: odds of ${model.target} = ${model.positive} ${times} against the model's baseline`;
    });
}

const formatSd = (sd: number) => `${Number(sd.toPrecision(3))} (one standard deviation)`;
