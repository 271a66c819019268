import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

/**
 * The CRM's personal data: links from customers to CRM records, what was pushed, list
 * memberships, records refused (by email); deals keep their amount and day (revenue), not whose.
 */
export const crmPersonalData: PersonalTable[] = [
  {
    table: "crm_contacts",
    columns: { customer_id: "id", crm_id: "id" },
    findBy: { customer_id: "customer" },
    erase: "delete",
    notPersonal: { created_by_lift: "whether Lift made the record" },
  },
  {
    table: "crm_pushed",
    columns: { customer_id: "id", crm_id: "id" },
    findBy: { customer_id: "customer" },
    erase: "delete",
  },
  {
    table: "crm_list_members",
    columns: { customer_id: "id", member_id: "id" },
    findBy: { customer_id: "customer" },
    erase: "delete",
  },
  {
    table: "crm_failures",
    columns: { email: "email", reason: "text" },
    findBy: { email: "email", reason: "text" },
    sealed: ["email", "reason"],
    erase: "delete",
  },
  {
    table: "crm_deals",
    columns: { customer_id: "id", name: "text" },
    findBy: { customer_id: "customer" },
    erase: { anonymise: { customer_id: "null", name: "token" } },
  },
  {
    table: "crm_connections",
    columns: { error: "text" },
    findBy: { error: "text" },
    erase: "redact",
  },
  noPersonalData("crm_companies", { name: "a company's name", domain: "a company's web domain" }),
  noPersonalData("crm_lists", {
    name: "a list's name",
    owner: "who on the team made it (a Slack user id)",
    segment: "the segment it mirrors",
  }),
];
