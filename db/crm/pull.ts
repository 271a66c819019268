import { dbOf, type Tables } from "../client.ts";
import { writeTransaction } from "../write.ts";
import { bool, prepared } from "./statements.ts";

/*
 * What a CRM pull writes: each page with the cursor after it, in one transaction, so a pull killed
 * half-way resumes at the page it had not written and nothing is doubled (records are keyed by
 * the CRM's ids); and what it reads to merge contacts with customers.
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
      "SELECT id, lower(lift_email(email)) AS email FROM customers WHERE email IS NOT NULL AND email <> '' ORDER BY updated_at",
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
