import { eq } from "drizzle-orm";
import { type Db, dbOf, type Tables } from "../client.ts";
import type { WriteOptions } from "../platform/queries/imports.ts";
import { preparedFor, type RowOutcome, writeEach } from "../platform/queries/statements.ts";
import { writeTransaction } from "../write.ts";
import type { ExperimentRow, ImportedRow } from "./queries.ts";
import { experiments } from "./schema.ts";

const importStatements = preparedFor((sqlite) => ({
  dropImported: sqlite.prepare("DELETE FROM experiment_rows WHERE experiment_id = ?"),
  importRow: sqlite.prepare(
    `INSERT INTO experiment_rows (experiment_id, user_id, variant, converted, revenue, exposed_at, converted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
}));

/** Writes an experiment's row, inside the caller's transaction. */
function saveRow(db: Db, row: ExperimentRow): void {
  db.orm
    .insert(experiments)
    .values(row)
    .onConflictDoUpdate({ target: experiments.id, set: { ...row } })
    .run();
}

/** Saves an experiment's settings (edits, verdicts, snoozes). */
export async function saveExperiment(tables: Tables, row: ExperimentRow): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => saveRow(db, row));
}

/** Replaces an experiment's imported results, and saves the experiment, in one transaction. */
export async function replaceImportedRows(
  tables: Tables,
  experiment: ExperimentRow,
  rows: ImportedRow[],
): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    const q = importStatements(db);
    q.dropImported.run(experiment.id);
    for (const row of rows)
      q.importRow.run(
        experiment.id,
        row.user,
        row.variant,
        row.converted,
        row.revenue,
        row.exposedAt,
        row.convertedAt,
      );
    saveRow(db, experiment);
  });
}

/** An experiment as a definitions file or the demo describes it (empty fields keep what is stored). */
export interface ExperimentDefinition {
  id: string;
  name: string | null;
  hypothesis: string | null;
  variants: { id: string; weight: number }[] | null;
  control: string | null;
  goal: string | null;
  guardrails: string[] | null;
  mde: number | null;
  owner: string | null;
  channel: string | null;
  startAt: number | null;
  endAt: number | null;
  status: ExperimentRow["status"] | null;
  updatedAt: number;
}

/** A new experiment's row, as Lift makes it when it first hears of one. */
export function newExperimentRow(id: string, source: ExperimentRow["source"], at: number): ExperimentRow {
  return {
    id,
    name: id,
    hypothesis: null,
    variants: "[]",
    control: null,
    goal: source === "import" ? "converted" : "orders",
    guardrails: "[]",
    mde: 0.1,
    owner: null,
    channel: null,
    startAt: null,
    endAt: null,
    status: "running",
    shippedVariant: null,
    windowDays: null,
    capPercentile: null,
    settings: "{}",
    source,
    verdict: null,
    verdictAt: null,
    snoozedUntil: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Writes a definition over the stored experiment (inside the caller's transaction). */
function upsertDefinition(db: Db, def: ExperimentDefinition, source: ExperimentRow["source"]): RowOutcome {
  const stored = db.orm.select().from(experiments).where(eq(experiments.id, def.id)).get();
  if (stored && stored.updatedAt > def.updatedAt) return "stale";
  const base = stored ?? newExperimentRow(def.id, source, def.updatedAt);
  const next: ExperimentRow = {
    ...base,
    name: def.name ?? base.name,
    hypothesis: def.hypothesis ?? base.hypothesis,
    variants: def.variants ? JSON.stringify(def.variants) : base.variants,
    control: def.control ?? base.control,
    goal: def.goal ?? base.goal,
    guardrails: def.guardrails ? JSON.stringify(def.guardrails) : base.guardrails,
    mde: def.mde ?? base.mde,
    owner: def.owner ?? base.owner,
    channel: def.channel ?? base.channel,
    startAt: def.startAt ?? base.startAt,
    endAt: def.endAt ?? base.endAt,
    status: def.status ?? base.status,
    updatedAt: def.updatedAt,
  };
  if (stored && JSON.stringify(stored) === JSON.stringify(next)) return "duplicate";
  saveRow(db, next);
  return stored ? "updated" : "accepted";
}

export interface ResultRowWrite extends ImportedRow {
  experimentId: string;
}

const resultStatements = preparedFor((sqlite) => ({
  get: sqlite.prepare<[string, string], ImportedRow>(
    `SELECT user_id AS user, variant, converted, revenue, exposed_at AS exposedAt, converted_at AS convertedAt
     FROM experiment_rows WHERE experiment_id = ? AND user_id = ?`,
  ),
  put: sqlite.prepare(
    `INSERT INTO experiment_rows (experiment_id, user_id, variant, converted, revenue, exposed_at, converted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (experiment_id, user_id) DO UPDATE SET variant = excluded.variant, converted = excluded.converted,
       revenue = excluded.revenue, exposed_at = excluded.exposed_at, converted_at = excluded.converted_at`,
  ),
  ensure: sqlite.prepare(
    `INSERT INTO experiments (id, name, variants, goal, guardrails, mde, start_at, status, settings, source, created_at, updated_at)
     VALUES (?, ?, '[]', 'converted', '[]', 0.1, NULL, 'running', '{}', 'import', ?, ?)
     ON CONFLICT (id) DO UPDATE SET source = 'import' WHERE experiments.source <> 'import'`,
  ),
}));

/**
 * One user's result (inside the caller's transaction): the same user again in
 * another variant is marked "*" (seen in both, left out); the same row again is a duplicate.
 */
function upsertResultRow(db: Db, row: ResultRowWrite, at: number): RowOutcome {
  const q = resultStatements(db);
  q.ensure.run(row.experimentId, row.experimentId, at, at);
  const stored = q.get.get(row.experimentId, row.user);
  if (stored) {
    const variant = stored.variant === row.variant ? row.variant : "*";
    if (
      variant === stored.variant &&
      stored.converted === row.converted &&
      stored.revenue === row.revenue &&
      stored.exposedAt === row.exposedAt &&
      stored.convertedAt === row.convertedAt
    )
      return "duplicate";
    q.put.run(
      row.experimentId,
      row.user,
      variant,
      row.converted,
      row.revenue,
      row.exposedAt,
      row.convertedAt,
    );
    return "updated";
  }
  q.put.run(
    row.experimentId,
    row.user,
    row.variant,
    row.converted,
    row.revenue,
    row.exposedAt,
    row.convertedAt,
  );
  return "accepted";
}

/** Experiment definitions (a definitions file, the demo), in one transaction with the import's progress. */
export async function writeDefinitions(
  tables: Tables,
  rows: ExperimentDefinition[],
  options: WriteOptions | undefined,
  source: ExperimentRow["source"],
) {
  return writeEach(dbOf(tables), rows, options, "experiments", (db, row) =>
    upsertDefinition(db, row, source),
  );
}

/** Per-user results of another tool, in one transaction with the import's progress. */
export async function writeResultRows(
  tables: Tables,
  rows: ResultRowWrite[],
  options: WriteOptions | undefined,
  at: number,
) {
  return writeEach(dbOf(tables), rows, options, "experiments", (db, row) => upsertResultRow(db, row, at));
}
