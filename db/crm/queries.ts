import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";
import { writeTransaction } from "../write.ts";
import type { CrmConnectionRow, CrmListRow } from "./schema.ts";

/*
 * The CRM capability's reads and writes. Each pulled page is written in one transaction with
 * the cursor it moves to, so a pull killed between pages resumes at the page it had not
 * written and nothing is doubled (records are keyed by the CRM's ids).
 */

export interface LinkWrite {
  crmId: string;
  object: string;
  customerId: string;
  updatedAt: number;
}

export interface CompanyWrite {
  crmId: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  updatedAt: number;
}

export interface DealWrite {
  crmId: string;
  name: string | null;
  stage: string | null;
  won: boolean;
  amountMinor: number;
  originalMinor: number;
  currency: string;
  closeDay: string | null;
  customerId: string | null;
  channel: string;
  campaignId: string | null;
  source: string | null;
  updatedAt: number;
}

const prepared = preparedFor((sqlite) => ({
  connection: sqlite.prepare<[string], CrmConnectionRow>(
    `SELECT provider, status, error, last_pull_at AS lastPullAt, last_push_at AS lastPushAt,
            not_before AS notBefore, updated_at AS updatedAt FROM crm_connections WHERE provider = ?`,
  ),
  cursor: sqlite.prepare<[string, string], { cursor: string }>(
    "SELECT cursor FROM crm_cursors WHERE provider = ? AND object = ?",
  ),
  saveCursor: sqlite.prepare(
    `INSERT INTO crm_cursors (provider, object, cursor) VALUES (?, ?, ?)
     ON CONFLICT (provider, object) DO UPDATE SET cursor = excluded.cursor`,
  ),
  link: sqlite.prepare(
    `INSERT INTO crm_contacts (provider, crm_id, object, customer_id, created_by_lift, updated_at)
     VALUES (@provider, @crmId, @object, @customerId, @createdByLift, @updatedAt)
     ON CONFLICT (provider, crm_id) DO UPDATE SET customer_id = excluded.customer_id,
       object = excluded.object, updated_at = excluded.updated_at,
       created_by_lift = max(crm_contacts.created_by_lift, excluded.created_by_lift)`,
  ),
  company: sqlite.prepare(
    `INSERT INTO crm_companies (provider, crm_id, name, domain, industry, updated_at)
     VALUES (@provider, @crmId, @name, @domain, @industry, @updatedAt)
     ON CONFLICT (provider, crm_id) DO UPDATE SET name = excluded.name, domain = excluded.domain,
       industry = excluded.industry, updated_at = excluded.updated_at`,
  ),
  deal: sqlite.prepare(
    `INSERT INTO crm_deals (provider, crm_id, name, stage, won, amount_minor, original_minor, currency,
       close_day, customer_id, channel, campaign_id, source, updated_at)
     VALUES (@provider, @crmId, @name, @stage, @won, @amountMinor, @originalMinor, @currency,
       @closeDay, @customerId, @channel, @campaignId, @source, @updatedAt)
     ON CONFLICT (provider, crm_id) DO UPDATE SET name = excluded.name, stage = excluded.stage,
       won = excluded.won, amount_minor = excluded.amount_minor, original_minor = excluded.original_minor,
       currency = excluded.currency, close_day = excluded.close_day, customer_id = excluded.customer_id,
       channel = excluded.channel, campaign_id = excluded.campaign_id, source = excluded.source,
       updated_at = excluded.updated_at`,
  ),
  pushed: sqlite.prepare(
    `INSERT INTO crm_pushed (provider, customer_id, crm_id, hash, pushed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (provider, customer_id) DO UPDATE SET crm_id = excluded.crm_id, hash = excluded.hash,
       pushed_at = excluded.pushed_at`,
  ),
  addMember: sqlite.prepare(
    `INSERT INTO crm_list_members (list_id, customer_id, member_id) VALUES (?, ?, ?)
     ON CONFLICT (list_id, customer_id) DO UPDATE SET member_id = excluded.member_id`,
  ),
  removeMember: sqlite.prepare("DELETE FROM crm_list_members WHERE list_id = ? AND customer_id = ?"),
  failure: sqlite.prepare("INSERT INTO crm_failures (provider, at, email, reason) VALUES (?, ?, ?, ?)"),
}));

const bool = (value: boolean) => (value ? 1 : 0);

export async function connection(tables: Tables, provider: string): Promise<CrmConnectionRow | null> {
  return prepared(dbOf(tables)).connection.get(provider) ?? null;
}

/** Sets what is given of a connection's status (made on first use). */
export async function setConnection(
  tables: Tables,
  provider: string,
  patch: Partial<Omit<CrmConnectionRow, "provider" | "updatedAt">>,
  now: number,
): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    db.sqlite
      .prepare(
        "INSERT INTO crm_connections (provider, status, updated_at) VALUES (?, 'ok', ?) ON CONFLICT DO NOTHING",
      )
      .run(provider, now);
    const columns: Record<string, string> = {
      status: "status",
      error: "error",
      lastPullAt: "last_pull_at",
      lastPushAt: "last_push_at",
      notBefore: "not_before",
    };
    const sets = Object.keys(patch).filter((k) => k in columns);
    db.sqlite
      .prepare(
        `UPDATE crm_connections SET ${[...sets.map((k) => `${columns[k]} = @${k}`), "updated_at = @now"].join(", ")} WHERE provider = @provider`,
      )
      .run({ ...patch, now, provider });
  });
}

export async function readCursor(tables: Tables, provider: string, object: string): Promise<string | null> {
  return prepared(dbOf(tables)).cursor.get(provider, object)?.cursor ?? null;
}

/** One pulled page: its links, companies and deals, and the cursor after it, in one transaction. */
export async function savePage(
  tables: Tables,
  page: {
    provider: string;
    object: string;
    cursor: string;
    links?: LinkWrite[];
    companies?: CompanyWrite[];
    deals?: DealWrite[];
  },
): Promise<void> {
  const db = dbOf(tables);
  const q = prepared(db);
  const provider = page.provider;
  writeTransaction(db, () => {
    for (const link of page.links ?? []) q.link.run({ ...link, provider, createdByLift: 0 });
    for (const company of page.companies ?? []) q.company.run({ ...company, provider });
    for (const deal of page.deals ?? []) q.deal.run({ ...deal, provider, won: bool(deal.won) });
    q.saveCursor.run(provider, page.object, page.cursor);
  });
}

/** Every customer's id by lower-case email (contacts are merged by email). */
export async function customersByEmail(tables: Tables): Promise<Map<string, string>> {
  const rows = dbOf(tables)
    .sqlite.prepare<[], { id: string; email: string }>(
      "SELECT id, lower(email) AS email FROM customers WHERE email IS NOT NULL AND email <> '' ORDER BY updated_at",
    )
    .all();
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** Customer id by CRM record id, for one connection. */
export async function linkedCustomers(tables: Tables, provider: string): Promise<Map<string, string>> {
  const rows = dbOf(tables)
    .sqlite.prepare<[string], { crmId: string; customerId: string }>(
      "SELECT crm_id AS crmId, customer_id AS customerId FROM crm_contacts WHERE provider = ?",
    )
    .all(provider);
  return new Map(rows.map((r) => [r.crmId, r.customerId]));
}

/** A customer's first-touch channel and campaign (the people table), where Lift saw them. */
export async function firstTouch(
  tables: Tables,
  customerIds: readonly string[],
): Promise<Map<string, { channel: string | null; campaignId: string | null }>> {
  const found = new Map<string, { channel: string | null; campaignId: string | null }>();
  const statement = dbOf(tables).sqlite.prepare<
    [string],
    { channel: string | null; campaignId: string | null }
  >("SELECT channel, campaign_id AS campaignId FROM people WHERE person_id = ?");
  for (const id of new Set(customerIds)) {
    const row = statement.get(id);
    if (row) found.set(id, row);
  }
  return found;
}

export interface CustomerOut {
  id: string;
  email: string;
  traits: Record<string, unknown>;
}

/** Customers by id, with an email (those without one cannot be matched in a CRM). */
export async function customersWithEmail(tables: Tables, ids: readonly string[]): Promise<CustomerOut[]> {
  const statement = dbOf(tables).sqlite.prepare<
    [string],
    { id: string; email: string | null; traits: string }
  >("SELECT id, email, traits FROM customers WHERE id = ?");
  const out: CustomerOut[] = [];
  for (const id of ids) {
    const row = statement.get(id);
    if (row?.email)
      out.push({ id: row.id, email: row.email, traits: JSON.parse(row.traits) as Record<string, unknown> });
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

type Prepared = ReturnType<typeof prepared>;

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
    for (const f of failures) q.failure.run(provider, now, f.email, f.reason);
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
      "SELECT at, email, reason FROM crm_failures WHERE provider = ? ORDER BY id DESC LIMIT ?",
    )
    .all(provider, limit);
}

export interface CrmCounts {
  contacts: number;
  createdByLift: number;
  companies: number;
  deals: number;
  wonDeals: number;
  wonMinor: number;
  lists: number;
}

export async function crmCounts(tables: Tables, provider: string): Promise<CrmCounts> {
  const sqlite = dbOf(tables).sqlite;
  const one = (sql: string) => (sqlite.prepare(sql).get(provider) as { n: number | null }).n ?? 0;
  return {
    contacts: one("SELECT count(*) AS n FROM crm_contacts WHERE provider = ?"),
    createdByLift: one("SELECT count(*) AS n FROM crm_contacts WHERE provider = ? AND created_by_lift = 1"),
    companies: one("SELECT count(*) AS n FROM crm_companies WHERE provider = ?"),
    deals: one("SELECT count(*) AS n FROM crm_deals WHERE provider = ?"),
    wonDeals: one("SELECT count(*) AS n FROM crm_deals WHERE provider = ? AND won = 1"),
    wonMinor: one("SELECT sum(amount_minor) AS n FROM crm_deals WHERE provider = ? AND won = 1"),
    lists: one("SELECT count(*) AS n FROM crm_lists WHERE provider = ?"),
  };
}

/** Linked contacts by their source (HubSpot's original source, Salesforce's LeadSource), most first. */
export async function contactsBySource(
  tables: Tables,
  provider: string,
): Promise<{ source: string; contacts: number; customers: number }[]> {
  return dbOf(tables)
    .sqlite.prepare<[string], { source: string; contacts: number; customers: number }>(
      `SELECT coalesce(json_extract(c.traits, '$.crm_source'), '(none)') AS source, count(*) AS contacts,
              sum(EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = l.customer_id)) AS customers
       FROM crm_contacts l JOIN customers c ON c.id = l.customer_id
       WHERE l.provider = ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 12`,
    )
    .all(provider);
}

/** Won deals' count and amount per group of whole reporting days (the metric source `deals`). */
export async function wonDealFigures(
  tables: Tables,
  range: { from: string; to: string },
  grain: "none" | "channel" | "campaign" | "day" | "week" | "month",
  filter: { channel?: string | undefined; campaignId?: string | undefined },
): Promise<{ k: string | null; orders: number; revenueMinor: number }[]> {
  const key = {
    none: "''",
    channel: "channel",
    campaign: "campaign_id",
    day: "close_day",
    week: "date(close_day, '-6 days', 'weekday 1')",
    month: "substr(close_day, 1, 7) || '-01'",
  }[grain];
  const where = ["won = 1", "close_day >= @from", "close_day <= @to"];
  if (filter.channel) where.push("channel = @channel");
  if (filter.campaignId) where.push("campaign_id = @campaignId");
  return dbOf(tables)
    .sqlite.prepare(
      `SELECT ${key} AS k, count(*) AS orders, sum(amount_minor) AS revenueMinor FROM crm_deals
       WHERE ${where.join(" AND ")} GROUP BY 1`,
    )
    .all({
      from: range.from,
      to: range.to,
      channel: filter.channel ?? null,
      campaignId: filter.campaignId ?? null,
    }) as { k: string | null; orders: number; revenueMinor: number }[];
}

/** A person's records in each CRM (by customer id or email), for erasure. */
export async function linksOfPerson(
  tables: Tables,
  customerIds: readonly string[],
): Promise<
  { provider: string; crmId: string; object: string; createdByLift: boolean; customerId: string }[]
> {
  const statement = dbOf(tables).sqlite.prepare<
    [string],
    { provider: string; crmId: string; object: string; createdByLift: number; customerId: string }
  >(
    `SELECT provider, crm_id AS crmId, object, created_by_lift AS createdByLift, customer_id AS customerId
     FROM crm_contacts WHERE customer_id = ?`,
  );
  return customerIds.flatMap((id) =>
    statement.all(id).map((r) => ({ ...r, createdByLift: r.createdByLift === 1 })),
  );
}

/** Forgets a person in the CRM tables: links, what was sent, list memberships, failures, deal links. */
export async function forgetPerson(
  tables: Tables,
  customerIds: readonly string[],
  emails: readonly string[],
) {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    for (const id of customerIds) {
      db.sqlite.prepare("DELETE FROM crm_contacts WHERE customer_id = ?").run(id);
      db.sqlite.prepare("DELETE FROM crm_pushed WHERE customer_id = ?").run(id);
      db.sqlite.prepare("DELETE FROM crm_list_members WHERE customer_id = ?").run(id);
      db.sqlite.prepare("UPDATE crm_deals SET customer_id = NULL WHERE customer_id = ?").run(id);
    }
    for (const email of emails)
      db.sqlite.prepare("DELETE FROM crm_failures WHERE lower(email) = lower(?)").run(email);
  });
}

export async function customerIdsOf(
  tables: Tables,
  person: string,
): Promise<{ ids: string[]; emails: string[] }> {
  const rows = dbOf(tables)
    .sqlite.prepare<[string, string], { id: string; email: string | null }>(
      "SELECT id, email FROM customers WHERE id = ? OR lower(email) = lower(?)",
    )
    .all(person, person);
  const emails = new Set(rows.flatMap((r) => (r.email ? [r.email] : [])));
  if (person.includes("@")) emails.add(person);
  return { ids: rows.map((r) => r.id), emails: [...emails] };
}
