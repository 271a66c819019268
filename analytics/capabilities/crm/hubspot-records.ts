import type { PulledCompany, PulledContact, PulledDeal } from "./connector.ts";

/* HubSpot's CRM records as Lift reads them: the properties it asks for, and each object read into the CRM contract's shape. */

export const CONTACT_PROPERTIES = [
  "email",
  "firstname",
  "lastname",
  "lifecyclestage",
  "hs_analytics_source",
  "createdate",
  "lastmodifieddate",
];
export const COMPANY_PROPERTIES = ["name", "domain", "industry", "hs_lastmodifieddate"];
export const DEAL_PROPERTIES = [
  "dealname",
  "dealstage",
  "amount",
  "deal_currency_code",
  "closedate",
  "hs_is_closed_won",
  "hs_analytics_source",
  "hs_lastmodifieddate",
];
/** HubSpot's search stops at 10,000 results a query. */
export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: Date;
  createdAt?: Date;
  associations?: Record<string, { results: { id: string }[] }>;
}

export function instant(value: string | null | undefined, fallback: number | null): number | null {
  if (!value) return fallback;
  const numeric = Number(value);
  const at = Number.isFinite(numeric) && /^\d+$/.test(value) ? numeric : Date.parse(value);
  return Number.isFinite(at) ? at : fallback;
}

export function toContact(o: HubSpotObject): PulledContact {
  const p = o.properties;
  const updatedAt = instant(p["lastmodifieddate"], o.updatedAt.getTime()) ?? o.updatedAt.getTime();
  return {
    crmId: o.id,
    object: "contact",
    email: p["email"]?.trim().toLowerCase() || null,
    firstName: p["firstname"] ?? null,
    lastName: p["lastname"] ?? null,
    source: p["hs_analytics_source"] ?? null,
    stage: p["lifecyclestage"] ?? null,
    createdAt: instant(p["createdate"], o.createdAt?.getTime() ?? null),
    updatedAt,
  };
}

export function toCompany(o: HubSpotObject): PulledCompany {
  const p = o.properties;
  return {
    crmId: o.id,
    name: p["name"] ?? null,
    domain: p["domain"] ?? null,
    industry: p["industry"] ?? null,
    updatedAt: instant(p["hs_lastmodifieddate"], o.updatedAt.getTime()) ?? o.updatedAt.getTime(),
  };
}

export function toDeal(o: HubSpotObject, contact: string | null): PulledDeal {
  const p = o.properties;
  return {
    crmId: o.id,
    name: p["dealname"] ?? null,
    stage: p["dealstage"] ?? null,
    won: p["hs_is_closed_won"] === "true" || p["dealstage"] === "closedwon",
    amount: p["amount"] || null,
    currency: p["deal_currency_code"] || null,
    close: instant(p["closedate"], null),
    contactCrmId: contact,
    source: p["hs_analytics_source"] ?? null,
    updatedAt: instant(p["hs_lastmodifieddate"], o.updatedAt.getTime()) ?? o.updatedAt.getTime(),
  };
}
