import { desc, eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { preparedFor, type RowOutcome } from "../platform/queries/statements.ts";
import { experiments } from "../schema.ts";
import { writeTransaction } from "../write.ts";

export type ExperimentRow = typeof experiments.$inferSelect;

export async function getExperiment(db: Db, id: string): Promise<ExperimentRow | null> {
  return db.orm.select().from(experiments).where(eq(experiments.id, id)).get() ?? null;
}

export async function listExperiments(db: Db): Promise<ExperimentRow[]> {
  return db.orm.select().from(experiments).orderBy(desc(experiments.startAt)).all();
}

/** Writes an experiment's row (inside the caller's transaction when there is one). */
export function saveExperiment(db: Db, row: ExperimentRow): void {
  db.orm
    .insert(experiments)
    .values(row)
    .onConflictDoUpdate({ target: experiments.id, set: { ...row } })
    .run();
}

type GoalArgs = [string, string, number, number, number];
const ORDER_ID =
  "CAST(coalesce(json_extract(e.properties, '$.order_id'), json_extract(e.properties, '$.orderId')) AS TEXT)";

/**
 * Every goal event of an exposed person in the window after their first
 * exposure, with what the goal needs of its order: from the event side (events
 * by name and time), then the exposure by its key, so the cost follows the
 * goal events, not the exposures.
 */
function goalSql(order: string, join = ""): string {
  return `SELECT x.person_id AS person, x.variant AS variant, x.first_at AS firstAt, e.timestamp AS at, ${order}
     FROM events e INDEXED BY events_name_time
     JOIN exposures x ON x.experiment_id = ? AND x.person_id = e.person_id AND x.conflict = 0
     ${join}
     WHERE e.event = ? AND e.type = 'track' AND e.timestamp >= ? AND e.timestamp < ?
       AND e.timestamp >= x.first_at AND e.timestamp < x.first_at + ?`;
}

const prepared = preparedFor((sqlite) => ({
  // People exposed per variant (and left out) per quarter hour: one pass over the experiment's exposures.
  exposed: sqlite.prepare<[string], { variant: string; conflict: number; at: number; n: number }>(
    `SELECT variant, conflict, (first_at / 900000) * 900000 AS at, count(*) AS n
     FROM exposures WHERE experiment_id = ? GROUP BY variant, conflict, first_at / 900000`,
  ),
  goalEvents: sqlite.prepare<GoalArgs, GoalEvent>(goalSql("NULL AS orderId, NULL AS amount")),
  orderEvents: sqlite.prepare<GoalArgs, GoalEvent>(goalSql(`${ORDER_ID} AS orderId, NULL AS amount`)),
  revenueEvents: sqlite.prepare<GoalArgs, GoalEvent>(
    goalSql("o.id AS orderId, o.amount_minor AS amount", `LEFT JOIN orders o ON o.id = ${ORDER_ID}`),
  ),
  // The same events in the 30 days before each person's first exposure (CUPED's covariate).
  goalEventsBefore: sqlite.prepare<
    [string, string, number, number, number],
    { person: string; variant: string; orderId: string | null; amount: number | null }
  >(
    `SELECT x.person_id AS person, x.variant AS variant, o.id AS orderId, o.amount_minor AS amount
     FROM events e INDEXED BY events_name_time
     JOIN exposures x ON x.experiment_id = ? AND x.person_id = e.person_id AND x.conflict = 0
     LEFT JOIN orders o ON o.id = ${ORDER_ID}
     WHERE e.event = ? AND e.type = 'track' AND e.timestamp >= ? AND e.timestamp < ?
       AND e.timestamp < x.first_at AND e.timestamp >= x.first_at - ?`,
  ),
  imported: sqlite.prepare<[string], ImportedRow>(
    `SELECT user_id AS user, variant, converted, revenue, exposed_at AS exposedAt, converted_at AS convertedAt
     FROM experiment_rows WHERE experiment_id = ?`,
  ),
  dropImported: sqlite.prepare("DELETE FROM experiment_rows WHERE experiment_id = ?"),
  importRow: sqlite.prepare(
    `INSERT INTO experiment_rows (experiment_id, user_id, variant, converted, revenue, exposed_at, converted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
}));

export interface ExposureCounts {
  /** Variant → people exposed to it only. */
  users: Map<string, number>;
  /** People seen in more than one variant. */
  excluded: number;
  firstAt: number | null;
  lastAt: number | null;
  /** People exposed per variant per quarter hour (for the days of the chart). */
  timeline: { variant: string; at: number; n: number }[];
}

/** Who was exposed to what, and when (to the quarter hour), in one pass over the exposures. */
export function exposureCounts(db: Db, experimentId: string): ExposureCounts {
  const users = new Map<string, number>();
  const timeline: ExposureCounts["timeline"] = [];
  let excluded = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  for (const row of prepared(db).exposed.all(experimentId)) {
    if (row.conflict) excluded += row.n;
    else {
      users.set(row.variant, (users.get(row.variant) ?? 0) + row.n);
      timeline.push({ variant: row.variant, at: row.at, n: row.n });
    }
    firstAt = firstAt === null ? row.at : Math.min(firstAt, row.at);
    lastAt = lastAt === null ? row.at : Math.max(lastAt, row.at);
  }
  return { users, excluded, firstAt, lastAt, timeline };
}

export interface GoalEvent {
  person: string;
  variant: string;
  firstAt: number;
  at: number;
  orderId: string | null;
  amount: number | null;
}

/**
 * Goal events of exposed people between `from` and `to`, within `windowMs` of
 * their first exposure: with the order id (orders) or the order's amount (revenue) when asked.
 */
export function goalEvents(
  db: Db,
  experimentId: string,
  event: string,
  from: number,
  to: number,
  windowMs: number,
  with_: "nothing" | "order" | "amount" = "nothing",
): GoalEvent[] {
  const q = prepared(db);
  const statement = with_ === "amount" ? q.revenueEvents : with_ === "order" ? q.orderEvents : q.goalEvents;
  return statement.all(experimentId, event, from, to, windowMs);
}

/** Goal events in the `beforeMs` before each exposed person's first exposure. */
export function goalEventsBefore(
  db: Db,
  experimentId: string,
  event: string,
  from: number,
  to: number,
  beforeMs: number,
): { person: string; variant: string; orderId: string | null; amount: number | null }[] {
  return prepared(db).goalEventsBefore.all(experimentId, event, from, to, beforeMs);
}

export interface ImportedRow {
  user: string;
  variant: string;
  converted: number;
  revenue: number;
  exposedAt: number | null;
  convertedAt: number | null;
}

export function importedRows(db: Db, experimentId: string): ImportedRow[] {
  return prepared(db).imported.all(experimentId);
}

/** Replaces an experiment's imported results, and saves the experiment, in one transaction. */
export function replaceImportedRows(db: Db, experiment: ExperimentRow, rows: ImportedRow[]): void {
  writeTransaction(db, () => {
    const q = prepared(db);
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
    saveExperiment(db, experiment);
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
export function upsertDefinition(
  db: Db,
  def: ExperimentDefinition,
  source: ExperimentRow["source"],
): RowOutcome {
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
  saveExperiment(db, next);
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
export function upsertResultRow(db: Db, row: ResultRowWrite, at: number): RowOutcome {
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
