import { desc, eq } from "drizzle-orm";
import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";
import { experiments } from "./schema.ts";

export type ExperimentRow = typeof experiments.$inferSelect;

export async function getExperiment(tables: Tables, id: string): Promise<ExperimentRow | null> {
  const db = dbOf(tables);
  return db.orm.select().from(experiments).where(eq(experiments.id, id)).get() ?? null;
}

export async function listExperiments(tables: Tables): Promise<ExperimentRow[]> {
  const db = dbOf(tables);
  return db.orm.select().from(experiments).orderBy(desc(experiments.startAt)).all();
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
  importedVariants: sqlite
    .prepare<[string], string>(
      "SELECT DISTINCT variant FROM experiment_rows WHERE experiment_id = ? AND variant <> '*'",
    )
    .pluck(),
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
export async function exposureCounts(tables: Tables, experimentId: string): Promise<ExposureCounts> {
  const db = dbOf(tables);
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
export async function goalEvents(
  tables: Tables,
  experimentId: string,
  event: string,
  from: number,
  to: number,
  windowMs: number,
  with_: "nothing" | "order" | "amount" = "nothing",
): Promise<GoalEvent[]> {
  const db = dbOf(tables);
  const q = prepared(db);
  const statement = with_ === "amount" ? q.revenueEvents : with_ === "order" ? q.orderEvents : q.goalEvents;
  return statement.all(experimentId, event, from, to, windowMs);
}

/** Goal events in the `beforeMs` before each exposed person's first exposure. */
export async function goalEventsBefore(
  tables: Tables,
  experimentId: string,
  event: string,
  from: number,
  to: number,
  beforeMs: number,
): Promise<{ person: string; variant: string; orderId: string | null; amount: number | null }[]> {
  const db = dbOf(tables);
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

export async function importedRows(tables: Tables, experimentId: string): Promise<ImportedRow[]> {
  const db = dbOf(tables);
  return prepared(db).imported.all(experimentId);
}

/** The variants an experiment's imported results hold (people seen in two are "*", left out). */
export async function importedVariants(tables: Tables, experimentId: string): Promise<string[]> {
  const db = dbOf(tables);
  return prepared(db).importedVariants.all(experimentId);
}

/** The experiments a person was exposed to, newest first, with their variant (conflict: seen in two). */
export async function exposuresOfPerson(
  tables: Tables,
  personId: string,
): Promise<
  { experimentId: string; name: string | null; variant: string; firstAt: number; conflict: boolean }[]
> {
  const db = dbOf(tables);
  return db.sqlite
    .prepare<
      [string],
      { experimentId: string; name: string | null; variant: string; firstAt: number; conflict: number }
    >(
      `SELECT x.experiment_id AS experimentId, e.name AS name, x.variant, x.first_at AS firstAt, x.conflict
       FROM exposures x LEFT JOIN experiments e ON e.id = x.experiment_id
       WHERE x.person_id = ? ORDER BY x.first_at DESC LIMIT 20`,
    )
    .all(personId)
    .map((row) => ({ ...row, conflict: row.conflict !== 0 }));
}
