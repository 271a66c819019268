import { dbOf, type Tables } from "../client.ts";
import { writeTransaction } from "../write.ts";
import type { CrmConnectionRow } from "./schema.ts";
import { prepared } from "./statements.ts";

/* The CRM connections' status and counts, deal revenue for questions, and a person's CRM records for erasure. */

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
      db.sqlite.prepare("DELETE FROM crm_failures WHERE lower(lift_open(email)) = lower(?)").run(email);
  });
}

export async function customerIdsOf(
  tables: Tables,
  person: string,
): Promise<{ ids: string[]; emails: string[] }> {
  const db = dbOf(tables);
  const rows = db.sqlite
    .prepare<[string, string], { id: string; email: string | null }>(
      "SELECT id, lift_email(email) AS email FROM customers WHERE id = ? OR email_index = ?",
    )
    .all(person, db.sealer.blind("email", person));
  const emails = new Set(rows.flatMap((r) => (r.email ? [r.email] : [])));
  if (person.includes("@")) emails.add(person);
  return { ids: rows.map((r) => r.id), emails: [...emails] };
}
