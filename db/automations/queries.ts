import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";
import { writeTransaction } from "../write.ts";
import type { AutomationRow, RunRow, TemplateRow } from "./schema.ts";

/*
 * The automations capability's tables: automations, their runs and the members they have seen,
 * templates and suppressions. Sends (the outbox) are in sends.ts.
 */

export type { AutomationRow, RunRow, TemplateRow };

/** Statements a pass runs per customer, prepared once per connection. */
const prepared = preparedFor((sqlite) => ({
  contact: sqlite.prepare("SELECT id, email, traits FROM customers WHERE id = ?"),
  template: sqlite.prepare(
    `SELECT name, subject, body, from_address AS fromAddress, reply_to AS replyTo, kind, updated_at AS updatedAt, updated_by AS updatedBy
     FROM email_templates WHERE name = ?`,
  ),
  ordersSince: sqlite.prepare("SELECT count(*) FROM orders WHERE customer_id = ? AND timestamp >= ?").pluck(),
}));

const AUTOMATION_COLUMNS = `id, name, owner, channel, status, version, definition, spec, holdout,
  include_current AS includeCurrent, created_at AS createdAt, updated_at AS updatedAt,
  live_since AS liveSince, cursor, paused_sending_at AS pausedSendingAt, paused_sending_why AS pausedSendingWhy`;

function automationOf(row: Record<string, unknown>): AutomationRow {
  return { ...(row as unknown as AutomationRow), includeCurrent: Boolean(row["includeCurrent"]) };
}

export async function listAutomations(tables: Tables): Promise<AutomationRow[]> {
  const rows = dbOf(tables)
    .sqlite.prepare(`SELECT ${AUTOMATION_COLUMNS} FROM automations ORDER BY name`)
    .all() as Record<string, unknown>[];
  return rows.map(automationOf);
}

export async function automationByName(tables: Tables, name: string): Promise<AutomationRow | null> {
  const row = dbOf(tables)
    .sqlite.prepare(`SELECT ${AUTOMATION_COLUMNS} FROM automations WHERE name = ?`)
    .get(name) as Record<string, unknown> | undefined;
  return row ? automationOf(row) : null;
}

export async function insertAutomation(
  tables: Tables,
  row: Omit<AutomationRow, "id" | "cursor" | "pausedSendingAt" | "pausedSendingWhy" | "liveSince">,
): Promise<number> {
  const result = dbOf(tables)
    .sqlite.prepare(
      `INSERT INTO automations (name, owner, channel, status, version, definition, spec, holdout, include_current, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      row.name,
      row.owner,
      row.channel,
      row.status,
      row.version,
      row.definition,
      row.spec,
      row.holdout,
      row.includeCurrent ? 1 : 0,
      row.createdAt,
      row.updatedAt,
    );
  return Number(result.lastInsertRowid);
}

const COLUMN: Record<string, string> = {
  status: "status",
  version: "version",
  definition: "definition",
  spec: "spec",
  holdout: "holdout",
  includeCurrent: "include_current",
  updatedAt: "updated_at",
  liveSince: "live_since",
  cursor: "cursor",
  pausedSendingAt: "paused_sending_at",
  pausedSendingWhy: "paused_sending_why",
  channel: "channel",
};

export async function updateAutomation(
  tables: Tables,
  id: number,
  patch: Partial<Omit<AutomationRow, "id" | "name" | "owner" | "createdAt">>,
): Promise<void> {
  const entries = Object.entries(patch).filter(([key]) => key in COLUMN);
  if (entries.length === 0) return;
  dbOf(tables)
    .sqlite.prepare(
      `UPDATE automations SET ${entries.map(([k]) => `${COLUMN[k]} = ?`).join(", ")} WHERE id = ?`,
    )
    .run(
      ...entries.map(([, v]) => (typeof v === "boolean" ? (v ? 1 : 0) : (v as string | number | null))),
      id,
    );
}

export async function deleteAutomation(tables: Tables, id: number): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    for (const table of [
      "automation_clicks WHERE send_id IN (SELECT id FROM automation_sends WHERE automation_id = ?)",
      "automation_sends WHERE automation_id = ?",
      "automation_runs WHERE automation_id = ?",
      "automation_members WHERE automation_id = ?",
      "automations WHERE id = ?",
    ])
      db.sqlite.prepare(`DELETE FROM ${table}`).run(id);
  });
}

/** The members of a segment an automation saw last time. */
export async function seenMembers(tables: Tables, automationId: number): Promise<Set<string>> {
  const rows = dbOf(tables)
    .sqlite.prepare("SELECT person_id FROM automation_members WHERE automation_id = ?")
    .pluck()
    .all(automationId) as string[];
  return new Set(rows);
}

export interface NewRun {
  personId: string;
  occurrence: string;
  arm: "treatment" | "holdout";
  state: "held" | "active";
  dueAt: number;
  payload: string;
}

/**
 * Enrols people and notes who the automation has now seen, in one transaction: a run already
 * there for an occurrence is kept (INSERT OR IGNORE), so a retried tick enrols nobody twice.
 * Returns how many runs are new.
 */
export async function enrol(
  tables: Tables,
  automation: { id: number; version: number },
  runs: readonly NewRun[],
  at: number,
  seen?: { joined: readonly string[]; left: readonly string[] },
  cursor?: string,
): Promise<number> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    const insert = db.sqlite.prepare(
      `INSERT OR IGNORE INTO automation_runs (automation_id, version, person_id, occurrence, arm, state, step, due_at, entered_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
    let added = 0;
    for (const run of runs)
      added += insert.run(
        automation.id,
        automation.version,
        run.personId,
        run.occurrence,
        run.arm,
        run.state,
        run.dueAt,
        at,
        run.payload,
      ).changes;
    if (seen) {
      const add = db.sqlite.prepare(
        "INSERT OR IGNORE INTO automation_members (automation_id, person_id) VALUES (?, ?)",
      );
      const drop = db.sqlite.prepare(
        "DELETE FROM automation_members WHERE automation_id = ? AND person_id = ?",
      );
      for (const id of seen.joined) add.run(automation.id, id);
      for (const id of seen.left) drop.run(automation.id, id);
    }
    if (cursor !== undefined)
      db.sqlite.prepare("UPDATE automations SET cursor = ? WHERE id = ?").run(cursor, automation.id);
    return added;
  });
}

const RUN_COLUMNS = `id, automation_id AS automationId, version, person_id AS personId, occurrence, arm, state, step,
  due_at AS dueAt, entered_at AS enteredAt, payload`;

/** Active runs whose next step is due, oldest first. */
export async function dueRuns(
  tables: Tables,
  automationId: number,
  now: number,
  limit: number,
): Promise<RunRow[]> {
  return dbOf(tables)
    .sqlite.prepare(
      `SELECT ${RUN_COLUMNS} FROM automation_runs WHERE state = 'active' AND automation_id = ? AND due_at <= ? ORDER BY due_at LIMIT ?`,
    )
    .all(automationId, now, limit) as RunRow[];
}

export async function runsOf(
  tables: Tables,
  automationId: number,
  state: RunRow["state"],
  limit = 100_000,
): Promise<RunRow[]> {
  return dbOf(tables)
    .sqlite.prepare(
      `SELECT ${RUN_COLUMNS} FROM automation_runs WHERE automation_id = ? AND state = ? LIMIT ?`,
    )
    .all(automationId, state, limit) as RunRow[];
}

/** Moves every run of one state to another (held → active on approval, → rejected). */
export async function moveRuns(
  tables: Tables,
  automationId: number,
  from: RunRow["state"],
  to: RunRow["state"],
  dueAt?: number,
): Promise<number> {
  return dbOf(tables)
    .sqlite.prepare(
      `UPDATE automation_runs SET state = ?, due_at = coalesce(?, due_at) WHERE automation_id = ? AND state = ?`,
    )
    .run(to, dueAt ?? null, automationId, from).changes;
}

/** Customers' addresses and traits, by id. */
export async function contacts(
  tables: Tables,
  ids: readonly string[],
): Promise<Map<string, { email: string | null; traits: Record<string, unknown> }>> {
  const db = dbOf(tables);
  const out = new Map<string, { email: string | null; traits: Record<string, unknown> }>();
  const statement = prepared(db).contact;
  for (const id of ids) {
    const row = statement.get(id) as { id: string; email: string | null; traits: string } | undefined;
    if (!row) continue;
    // One decryption: the email and the personal traits are sealed together.
    const opened = db.sealer.openCustomer(row.email, row.traits);
    let traits: Record<string, unknown> = {};
    try {
      traits = JSON.parse(opened.traits) as Record<string, unknown>;
    } catch {
      // a row written before traits were checked: no traits
    }
    out.set(row.id, { email: opened.email, traits });
  }
  return out;
}

/** How many orders a customer placed at or after an instant. */
export async function ordersSince(tables: Tables, customerId: string, fromMs: number): Promise<number> {
  return prepared(dbOf(tables)).ordersSince.get(customerId, fromMs) as number;
}

/**
 * Per arm: people entered, and those with an order within `windowMs` after entering, or after it
 * on a campaign the messages were tagged with (and their revenue).
 */
export async function armConversions(
  tables: Tables,
  automationId: number,
  windowMs: number,
  /** Campaigns the messages' links are tagged with (utm_campaign): their orders count after the window too. */
  campaigns: readonly string[] = [],
): Promise<{ arm: "treatment" | "holdout"; entered: number; converted: number; revenueMinor: number }[]> {
  const tagged = campaigns.length ? ` OR o.campaign_id IN (${campaigns.map(() => "?").join(", ")})` : "";
  return dbOf(tables)
    .sqlite.prepare(
      `SELECT r.arm AS arm, count(*) AS entered, coalesce(sum(o.n > 0), 0) AS converted, coalesce(sum(o.revenue), 0) AS revenueMinor
       FROM automation_runs r
       LEFT JOIN (
         SELECT r2.id AS run_id, count(o.id) AS n, sum(o.amount_minor) AS revenue
         FROM automation_runs r2 JOIN orders o ON o.customer_id = r2.person_id
           AND o.timestamp >= r2.entered_at AND (o.timestamp < r2.entered_at + ?${tagged})
         WHERE r2.automation_id = ? GROUP BY r2.id
       ) o ON o.run_id = r.id
       WHERE r.automation_id = ? AND r.state NOT IN ('held', 'rejected')
       GROUP BY r.arm`,
    )
    .all(windowMs, ...campaigns, automationId, automationId) as {
    arm: "treatment" | "holdout";
    entered: number;
    converted: number;
    revenueMinor: number;
  }[];
}

export async function templates(tables: Tables): Promise<TemplateRow[]> {
  return dbOf(tables)
    .sqlite.prepare(
      `SELECT name, subject, body, from_address AS fromAddress, reply_to AS replyTo, kind, updated_at AS updatedAt, updated_by AS updatedBy
       FROM email_templates ORDER BY name`,
    )
    .all() as TemplateRow[];
}

export async function templateByName(tables: Tables, name: string): Promise<TemplateRow | null> {
  return (prepared(dbOf(tables)).template.get(name) as TemplateRow | undefined) ?? null;
}

export async function saveTemplate(tables: Tables, row: TemplateRow): Promise<void> {
  dbOf(tables)
    .sqlite.prepare(
      `INSERT INTO email_templates (name, subject, body, from_address, reply_to, kind, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET subject = excluded.subject, body = excluded.body, from_address = excluded.from_address,
         reply_to = excluded.reply_to, kind = excluded.kind, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .run(
      row.name,
      row.subject,
      row.body,
      row.fromAddress,
      row.replyTo,
      row.kind,
      row.updatedAt,
      row.updatedBy,
    );
}

/** Every customer's id and country trait (the demo gives each a consent and a time zone). */
export async function customerCountries(tables: Tables): Promise<{ id: string; country: string | null }[]> {
  return dbOf(tables)
    .sqlite.prepare("SELECT id, json_extract(traits, '$.country') AS country FROM customers ORDER BY id")
    .all() as { id: string; country: string | null }[];
}

/** Row counts for `lift status`. */
export async function countAutomations(tables: Tables): Promise<Record<string, number>> {
  const db = dbOf(tables).sqlite;
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return {
    automations: count("automations"),
    automation_sends: count("automation_sends"),
    suppressions: count("suppressions"),
  };
}

/** When the latest event happened (the demo replays its automations up to the data's end). */
export async function lastEventAt(tables: Tables): Promise<number | null> {
  return (
    (dbOf(tables).sqlite.prepare("SELECT max(timestamp) FROM events").pluck().get() as number | null) ?? null
  );
}
