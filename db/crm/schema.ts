import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The CRM capability's tables. A connection (HubSpot, Salesforce) with its status, last pull
 * and push and last error; where each pulled object resumes; the CRM records linked to Lift's
 * customers; companies and deals (the capability's own data: deal revenue reaches revenue
 * questions only through the metric source `including deals`); what Lift last sent of each
 * customer (so an unchanged customer is never sent again); the lists Lift keeps in a CRM and
 * the members it put there (changed by difference); and records a CRM refused, by email and reason.
 */
export const crmConnections = sqliteTable("crm_connections", {
  provider: text("provider").primaryKey(),
  /** ok; failing (retried on the next run); refused (credentials: fixed by a person). */
  status: text("status").notNull(),
  error: text("error"),
  lastPullAt: integer("last_pull_at"),
  lastPushAt: integer("last_push_at"),
  /** Not before this instant (a rate limit's Retry-After, or backoff after an error). */
  notBefore: integer("not_before"),
  updatedAt: integer("updated_at").notNull(),
});

/** Where the next pull of one object (contacts, deals …) resumes: a paging token and a modified-since mark. */
export const crmCursors = sqliteTable(
  "crm_cursors",
  {
    provider: text("provider").notNull(),
    object: text("object").notNull(),
    cursor: text("cursor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.object] })],
);

/** A CRM contact or lead linked to a Lift customer (merged by email). */
export const crmContacts = sqliteTable(
  "crm_contacts",
  {
    provider: text("provider").notNull(),
    crmId: text("crm_id").notNull(),
    /** Contact, Lead (Salesforce); contact (HubSpot). */
    object: text("object").notNull(),
    customerId: text("customer_id").notNull(),
    /** Lift made the record (a sync): erasing the person deletes it there too. */
    createdByLift: integer("created_by_lift", { mode: "boolean" }).notNull().default(false),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.crmId] }),
    index("crm_contacts_customer").on(t.provider, t.customerId),
  ],
);

export const crmCompanies = sqliteTable(
  "crm_companies",
  {
    provider: text("provider").notNull(),
    crmId: text("crm_id").notNull(),
    name: text("name"),
    domain: text("domain"),
    industry: text("industry"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.crmId] })],
);

/** Deals (HubSpot) and Opportunities (Salesforce); amounts in the reporting currency's minor units. */
export const crmDeals = sqliteTable(
  "crm_deals",
  {
    provider: text("provider").notNull(),
    crmId: text("crm_id").notNull(),
    name: text("name"),
    stage: text("stage"),
    won: integer("won", { mode: "boolean" }).notNull(),
    amountMinor: integer("amount_minor").notNull(),
    originalMinor: integer("original_minor").notNull(),
    currency: text("currency").notNull(),
    /** The reporting day it closed, or null while open. */
    closeDay: text("close_day"),
    customerId: text("customer_id"),
    /** The contact's channel where Lift knows it (their first order's), else "crm". */
    channel: text("channel").notNull(),
    campaignId: text("campaign_id"),
    source: text("source"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.crmId] }), index("crm_deals_close").on(t.won, t.closeDay)],
);

/** What Lift last wrote of a customer to a CRM: a hash of the properties, so an unchanged one is not sent. */
export const crmPushed = sqliteTable(
  "crm_pushed",
  {
    provider: text("provider").notNull(),
    customerId: text("customer_id").notNull(),
    crmId: text("crm_id").notNull(),
    hash: text("hash").notNull(),
    pushedAt: integer("pushed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.customerId] })],
);

/** A segment kept as a static list (HubSpot) or a Campaign's members (Salesforce). */
export const crmLists = sqliteTable(
  "crm_lists",
  {
    id: integer("id").primaryKey(),
    provider: text("provider").notNull(),
    segment: text("segment").notNull(),
    name: text("name").notNull(),
    listId: text("list_id").notNull(),
    owner: text("owner").notNull(),
    createdAt: integer("created_at").notNull(),
    lastSyncAt: integer("last_sync_at"),
  },
  (t) => [uniqueIndex("crm_lists_name").on(t.provider, t.name)],
);

/** Who Lift put on a list; `memberId` is the CRM's own (a CampaignMember id; the contact id in HubSpot). */
export const crmListMembers = sqliteTable(
  "crm_list_members",
  {
    listId: integer("list_id").notNull(),
    customerId: text("customer_id").notNull(),
    memberId: text("member_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.customerId] })],
);

/** Records a CRM refused in the last syncs, by email and its reason (shown to admins by `crm`). */
export const crmFailures = sqliteTable(
  "crm_failures",
  {
    id: integer("id").primaryKey(),
    provider: text("provider").notNull(),
    at: integer("at").notNull(),
    email: text("email").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [index("crm_failures_at").on(t.provider, t.at)],
);

export type CrmConnectionRow = typeof crmConnections.$inferSelect;
export type CrmDealRow = typeof crmDeals.$inferSelect;
export type CrmListRow = typeof crmLists.$inferSelect;
