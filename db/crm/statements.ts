import { preparedFor } from "../platform/queries/statements.ts";
import type { CrmConnectionRow } from "./schema.ts";

/** The CRM tables' prepared statements, made once a database. */
export const prepared = preparedFor((sqlite) => ({
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

export const bool = (value: boolean) => (value ? 1 : 0);

export type Prepared = ReturnType<typeof prepared>;
