import { dbOf, type Tables } from "../client.ts";
import { writeTransaction } from "../write.ts";
import type { CrmListRow } from "./schema.ts";
import { bool, type Prepared, prepared } from "./statements.ts";

/* What a CRM sync reads and writes: the customers it sends, what was last sent of each, the lists Lift keeps and their members, the records refused. */

export interface CustomerOut {
  id: string;
  email: string;
  traits: Record<string, unknown>;
}

/** Customers by id, with an email (those without one cannot be matched in a CRM). */
export async function customersWithEmail(tables: Tables, ids: readonly string[]): Promise<CustomerOut[]> {
  const db = dbOf(tables);
  const statement = db.sqlite.prepare<[string], { id: string; email: string | null; traits: string }>(
    "SELECT id, email, traits FROM customers WHERE id = ?",
  );
  const out: CustomerOut[] = [];
  for (const id of ids) {
    const row = statement.get(id);
    if (!row) continue;
    const opened = db.sealer.openCustomerObject(row.email, row.traits);
    if (opened.email) out.push({ id: row.id, email: opened.email, traits: opened.traits });
  }
  return out;
}

/** What was last sent of each customer to one CRM: its record id and the properties' hash. */
export async function pushedState(
  tables: Tables,
  provider: string,
): Promise<Map<string, { crmId: string; hash: string }>> {
  const rows = dbOf(tables)
    .sqlite.prepare<[string], { customerId: string; crmId: string; hash: string }>(
      "SELECT customer_id AS customerId, crm_id AS crmId, hash FROM crm_pushed WHERE provider = ?",
    )
    .all(provider);
  return new Map(rows.map((r) => [r.customerId, { crmId: r.crmId, hash: r.hash }]));
}

/** Links records a write found or made (those it made are Lift's: erasing the person deletes them there). */
function linkWritten(
  q: Prepared,
  provider: string,
  rows: readonly { customerId: string; crmId: string; created: boolean; object: string }[],
  now: number,
): void {
  for (const row of rows)
    q.link.run({
      provider,
      crmId: row.crmId,
      object: row.object,
      customerId: row.customerId,
      createdByLift: bool(row.created),
      updatedAt: now,
    });
}

/** Records a batch the CRM took: the hashes sent, the records it made linked as Lift's. */
export async function savePushed(
  tables: Tables,
  provider: string,
  rows: { customerId: string; crmId: string; hash: string; created: boolean; object: string }[],
  now: number,
): Promise<void> {
  const db = dbOf(tables);
  const q = prepared(db);
  writeTransaction(db, () => {
    for (const row of rows) q.pushed.run(provider, row.customerId, row.crmId, row.hash, now);
    linkWritten(q, provider, rows, now);
  });
}

/** Records made or found by a write that sent no Lift properties (an automation's list action). */
export async function saveLinks(
  tables: Tables,
  provider: string,
  rows: { customerId: string; crmId: string; created: boolean; object: string }[],
  now: number,
): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => linkWritten(prepared(db), provider, rows, now));
}

export async function findList(tables: Tables, provider: string, name: string): Promise<CrmListRow | null> {
  return (
    dbOf(tables)
      .sqlite.prepare<[string, string], CrmListRow>(
        `SELECT id, provider, segment, name, list_id AS listId, owner, created_at AS createdAt,
                last_sync_at AS lastSyncAt FROM crm_lists WHERE provider = ? AND lower(name) = lower(?)`,
      )
      .get(provider, name) ?? null
  );
}

export async function allLists(tables: Tables): Promise<CrmListRow[]> {
  return dbOf(tables)
    .sqlite.prepare<[], CrmListRow>(
      `SELECT id, provider, segment, name, list_id AS listId, owner, created_at AS createdAt,
              last_sync_at AS lastSyncAt FROM crm_lists ORDER BY provider, name`,
    )
    .all();
}

export async function saveList(
  tables: Tables,
  list: { provider: string; segment: string; name: string; listId: string; owner: string },
  now: number,
): Promise<CrmListRow> {
  const db = dbOf(tables);
  db.sqlite
    .prepare(
      `INSERT INTO crm_lists (provider, segment, name, list_id, owner, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider, name) DO UPDATE SET segment = excluded.segment, list_id = excluded.list_id`,
    )
    .run(list.provider, list.segment, list.name, list.listId, list.owner, now);
  return (await findList(tables, list.provider, list.name))!;
}

/** Who Lift put on a list, by customer id → the CRM's member id. */
export async function listMembers(tables: Tables, listId: number): Promise<Map<string, string>> {
  const rows = dbOf(tables)
    .sqlite.prepare<[number], { customerId: string; memberId: string }>(
      "SELECT customer_id AS customerId, member_id AS memberId FROM crm_list_members WHERE list_id = ?",
    )
    .all(listId);
  return new Map(rows.map((r) => [r.customerId, r.memberId]));
}

/** Members a call added and removed, recorded as soon as the CRM took them. */
export async function changeListMembers(
  tables: Tables,
  listId: number,
  added: readonly [customerId: string, memberId: string][],
  removed: readonly string[],
  now: number | null,
): Promise<void> {
  const db = dbOf(tables);
  const q = prepared(db);
  writeTransaction(db, () => {
    for (const [customerId, memberId] of added) q.addMember.run(listId, customerId, memberId);
    for (const customerId of removed) q.removeMember.run(listId, customerId);
    if (now !== null)
      db.sqlite.prepare("UPDATE crm_lists SET last_sync_at = ? WHERE id = ?").run(now, listId);
  });
}

/** Records refused by a CRM, keeping the last 200 of each connection. */
export async function addFailures(
  tables: Tables,
  provider: string,
  failures: readonly { email: string; reason: string }[],
  now: number,
): Promise<void> {
  if (failures.length === 0) return;
  const db = dbOf(tables);
  const q = prepared(db);
  writeTransaction(db, () => {
    // Sealed at rest: the address, and the CRM's reason (which may quote it).
    for (const f of failures) q.failure.run(provider, now, db.sealer.seal(f.email), db.sealer.seal(f.reason));
    db.sqlite
      .prepare(
        "DELETE FROM crm_failures WHERE provider = ? AND id NOT IN (SELECT id FROM crm_failures WHERE provider = ? ORDER BY id DESC LIMIT 200)",
      )
      .run(provider, provider);
  });
}

export async function recentFailures(
  tables: Tables,
  provider: string,
  limit: number,
): Promise<{ at: number; email: string; reason: string }[]> {
  return dbOf(tables)
    .sqlite.prepare<[string, number], { at: number; email: string; reason: string }>(
      "SELECT at, lift_open(email) AS email, lift_open(reason) AS reason FROM crm_failures WHERE provider = ? ORDER BY id DESC LIMIT ?",
    )
    .all(provider, limit);
}
