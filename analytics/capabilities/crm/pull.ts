import {
  type CompanyWrite,
  customersByEmail,
  type DealWrite,
  firstTouch,
  type LinkWrite,
  linkedCustomers,
  readCursor,
  savePage,
} from "../../../db/crm/pull.ts";
import { channelNamed } from "../../platform/ingest/channel.ts";
import { toReportingMoney } from "../../platform/ingest/money.ts";
import { dayOf } from "../../platform/time/zone.ts";
import {
  type CrmConnector,
  CrmError,
  PROVIDER_LABELS,
  type PulledCompany,
  type PulledContact,
  type PulledDeal,
} from "./connector.ts";
import type { CrmCore } from "./core.ts";

/*
 * A pull: each object of a CRM read page by page from where the last pull stopped. Contacts
 * become customers (merged by email with the ones Lift has, through the customers data kind,
 * so the same validation and merge as imports); their links, companies, deals and the cursor
 * after each page are written in one transaction, so a pull killed half-way resumes at the
 * page it had not written, and a page read twice changes nothing.
 */

/** Where an object's pulls are: the modified-since mark of the last whole pull, and a pull under way. */
interface Cursor {
  mark: number | null;
  run: { since: number | null; after: string | null; max: number | null } | null;
}

export interface PullSummary {
  contacts: number;
  companies: number;
  deals: number;
  /** Contacts without an email address (Lift merges by email, so they are left out). */
  withoutEmail: number;
  /** Rows Lift could not take, with why (a deal in a currency without a rate …). */
  rejected: { what: string; reason: string }[];
  pages: number;
}

function readState(text: string | null): Cursor {
  if (!text) return { mark: null, run: null };
  return JSON.parse(text) as Cursor;
}

/** HubSpot's and Salesforce's source words → Lift's channel, where they say one. */
const SOURCE_CHANNELS: Record<string, string> = {
  organic_search: "organic",
  paid_search: "paid_search",
  email_marketing: "email",
  social_media: "organic",
  paid_social: "paid_social",
  referrals: "referral",
  direct_traffic: "direct",
  web: "direct",
  "partner referral": "referral",
  "employee referral": "referral",
  "external referral": "referral",
  advertisement: "paid_search",
};

function sourceChannel(source: string | null): string | null {
  if (!source) return null;
  const words = source.toLowerCase();
  return SOURCE_CHANNELS[words] ?? channelNamed(words.replace(/_/g, " "));
}

export async function pullConnection(
  core: CrmCore,
  connector: CrmConnector,
  signal?: AbortSignal,
): Promise<PullSummary> {
  const summary: PullSummary = {
    contacts: 0,
    companies: 0,
    deals: 0,
    withoutEmail: 0,
    rejected: [],
    pages: 0,
  };
  const provider = connector.provider;
  const emails = await customersByEmail(core.tables);
  const links = await linkedCustomers(core.tables, provider);
  for (const spec of connector.objects) {
    const state = readState(await readCursor(core.tables, provider, spec.object));
    let run = state.run ?? { since: state.mark, after: null, max: state.mark };
    let emptyRestarts = 0;
    for (;;) {
      signal?.throwIfAborted();
      const position = { since: run.since, after: run.after };
      const page = await spec.page(position);
      summary.pages++;
      // A CRM that sends Lift back to the start without a record, again and again, is not paging.
      emptyRestarts = page.restartFrom !== undefined && page.records.length === 0 ? emptyRestarts + 1 : 0;
      if (emptyRestarts > 3)
        throw new CrmError(
          "failed",
          `${PROVIDER_LABELS[provider]} keeps restarting the ${spec.object} query without a record`,
        );
      let max = run.max;
      for (const record of page.records as { updatedAt: number }[])
        max = max === null ? record.updatedAt : Math.max(max, record.updatedAt);
      const next: Cursor =
        page.restartFrom !== undefined
          ? { mark: state.mark, run: { since: page.restartFrom, after: null, max } }
          : page.after !== null
            ? { mark: state.mark, run: { since: run.since, after: page.after, max } }
            : { mark: max, run: null };
      const cursor = JSON.stringify(next);
      if (spec.kind === "contact") {
        const written = await writeContacts(core, provider, page.records as PulledContact[], emails, links);
        summary.contacts += written.links.length;
        summary.withoutEmail += written.withoutEmail;
        summary.rejected.push(...written.rejected);
        await savePage(core.tables, { provider, object: spec.object, cursor, links: written.links });
      } else if (spec.kind === "company") {
        summary.companies += page.records.length;
        await savePage(core.tables, {
          provider,
          object: spec.object,
          cursor,
          companies: (page.records as PulledCompany[]).map(companyRow),
        });
      } else {
        const deals = await dealRows(core, page.records as PulledDeal[], links);
        summary.deals += deals.rows.length;
        summary.rejected.push(...deals.rejected);
        await savePage(core.tables, { provider, object: spec.object, cursor, deals: deals.rows });
      }
      if (next.run === null) break;
      run = next.run;
    }
  }
  return summary;
}

async function writeContacts(
  core: CrmCore,
  provider: string,
  contacts: PulledContact[],
  emails: Map<string, string>,
  links: Map<string, string>,
): Promise<{ links: LinkWrite[]; withoutEmail: number; rejected: { what: string; reason: string }[] }> {
  const rows: Record<string, unknown>[] = [];
  const written: LinkWrite[] = [];
  let withoutEmail = 0;
  for (const c of contacts) {
    if (!c.email) {
      withoutEmail++;
      continue;
    }
    const customerId = links.get(c.crmId) ?? emails.get(c.email) ?? c.email;
    emails.set(c.email, customerId);
    links.set(c.crmId, customerId);
    rows.push({
      id: customerId,
      email: c.email,
      ...(c.createdAt === null ? {} : { first_seen: new Date(c.createdAt).toISOString() }),
      // Seen now: a changed CRM contact's name and source are written over older ones (a newer
      // record in Lift would otherwise make the whole row stale and drop the CRM's traits).
      updated_at: new Date(Math.max(c.updatedAt, core.context.now())).toISOString(),
      ...(c.firstName ? { first_name: c.firstName } : {}),
      ...(c.lastName ? { last_name: c.lastName } : {}),
      ...(c.source ? { crm_source: c.source } : {}),
      ...(c.stage ? { crm_stage: c.stage } : {}),
      crm: provider,
    });
    written.push({ crmId: c.crmId, object: c.object, customerId, updatedAt: c.updatedAt });
  }
  const result = rows.length > 0 ? await core.context.platform.ingest.write("customers", rows) : null;
  const refusedIds = new Set<string>();
  const rejected = (result?.rejected ?? []).map((r) => {
    const row = rows[r.index];
    if (row) refusedIds.add(String(row["id"]));
    return { what: "contact", reason: r.reason };
  });
  return { links: written.filter((l) => !refusedIds.has(l.customerId)), withoutEmail, rejected };
}

function companyRow(c: PulledCompany): CompanyWrite {
  return { crmId: c.crmId, name: c.name, domain: c.domain, industry: c.industry, updatedAt: c.updatedAt };
}

async function dealRows(
  core: CrmCore,
  deals: PulledDeal[],
  links: Map<string, string>,
): Promise<{ rows: DealWrite[]; rejected: { what: string; reason: string }[] }> {
  const { timeZone, currency, fxRates } = core.context.platform.settings;
  const customers = deals.map((d) => (d.contactCrmId ? (links.get(d.contactCrmId) ?? null) : null));
  const touches = await firstTouch(
    core.tables,
    customers.filter((c): c is string => c !== null),
  );
  const rows: DealWrite[] = [];
  const rejected: { what: string; reason: string }[] = [];
  deals.forEach((d, i) => {
    const money = toReportingMoney(d.amount ?? "0", d.currency ?? undefined, { currency, rates: fxRates });
    if (!money.ok) {
      rejected.push({ what: `deal ${d.name ?? d.crmId}`, reason: money.error });
      return;
    }
    const customerId = customers[i] ?? null;
    const touch = customerId ? touches.get(customerId) : undefined;
    rows.push({
      crmId: d.crmId,
      name: d.name,
      stage: d.stage,
      won: d.won,
      amountMinor: money.value.minor,
      originalMinor: money.value.originalMinor,
      currency: money.value.originalCurrency,
      closeDay:
        d.close === null
          ? null
          : typeof d.close === "number"
            ? dayOf(d.close, timeZone)
            : d.close.slice(0, 10),
      customerId,
      channel: touch?.channel ?? sourceChannel(d.source) ?? "other",
      campaignId: touch?.channel ? touch.campaignId : null,
      source: d.source,
      updatedAt: d.updatedAt,
    });
  });
  return { rows, rejected };
}
