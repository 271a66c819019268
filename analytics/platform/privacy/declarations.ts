import { noPersonalData, type PersonalTable } from "../contract/personal.ts";

/*
 * The platform's own tables, as its personal-data map: where a person is (customers, events,
 * identities, orders, the per-person rollups), where they may be named (stored answers, threads,
 * messages, errors, the audit log), and the columns that only look personal (the team's own
 * Slack ids, names of campaigns and keys). Capabilities declare their own tables the same way.
 */

const TEAM = "a Slack user id of the team, not a customer";

export const platformPersonalData: PersonalTable[] = [
  {
    table: "customers",
    // `email` holds the email and the personal traits sealed as one value (db/sealer.ts
    // sealCustomer), `traits` the rest; email_index is the email's keyed hash (its blind index).
    // A customer found by email is found by id.
    columns: { id: "id", email: "json", email_index: "id", traits: "json" },
    findBy: { id: "customer" },
    sealed: ["email", "traits"],
    erase: "delete",
  },
  {
    table: "events",
    columns: { person_id: "id", user_id: "id", anonymous_id: "id", properties: "json", context: "json" },
    // Anonymous history is re-keyed to the user id when it joins, so person_id finds it all.
    findBy: { person_id: "person" },
    sealed: ["properties", "context"],
    erase: "delete",
    retention: { kind: "events", column: "timestamp" },
  },
  {
    table: "identities",
    columns: { anonymous_id: "id", user_id: "id" },
    findBy: { anonymous_id: "anonymous", user_id: "customer" },
    erase: "delete",
  },
  {
    table: "people",
    columns: { person_id: "id" },
    findBy: { person_id: "person" },
    yields: { no: "personNo" },
    erase: "delete",
    notPersonal: { campaign_id: "the campaign a visit came from" },
  },
  {
    table: "daily_people",
    columns: { person_no: "id" },
    findBy: { person_no: "personNo" },
    erase: "delete",
  },
  noPersonalData("access_rules", {
    subject: "a Slack user group, team member or channel given a role; never a customer",
    label: "the group's @handle or the channel's #name",
    set_by: TEAM,
  }),
  noPersonalData("day_people", {
    people: "a day's set of person numbers; a number names no one once the person's row is erased",
  }),
  {
    table: "orders",
    columns: { id: "id", customer_id: "id" },
    findBy: { customer_id: "customer" },
    yields: { id: "order" },
    // Revenue stays as it was: amount, day, channel and currency are kept, who and which order go.
    erase: { anonymise: { id: "token", customer_id: "null" } },
  },
  {
    table: "voided_orders",
    columns: { id: "id" },
    findBy: { id: "order" },
    erase: "delete",
  },
  {
    table: "answers",
    columns: { command: "text", question: "text", report: "json" },
    findBy: { command: "text", question: "text", report: "text" },
    sealed: ["command", "question", "report"],
    yields: { id: "answer" },
    erase: "delete",
    retention: { kind: "answers", column: "created_at" },
    notPersonal: { user_id: TEAM, channel_id: "a Slack channel" },
  },
  {
    table: "feedback",
    columns: { question: "text", command: "text" },
    findBy: { answer_id: "answer", question: "text", command: "text" },
    sealed: ["question", "command"],
    erase: "delete",
    notPersonal: { user_id: TEAM },
  },
  {
    table: "conversation_threads",
    columns: { command: "text" },
    findBy: { command: "text" },
    erase: "delete",
    notPersonal: { user_id: TEAM },
  },
  {
    table: "assistant_threads",
    columns: { context: "json" },
    findBy: { context: "text" },
    erase: "delete",
  },
  {
    table: "deliveries",
    columns: { report: "json", last_error: "text" },
    findBy: { report: "text", last_error: "text" },
    erase: "delete",
    notPersonal: { reply_to: "the Slack thread a message answers" },
  },
  {
    table: "console_feed",
    columns: { report: "json" },
    findBy: { report: "text" },
    erase: "delete",
    notPersonal: { reply_to: "the console message a message answers" },
  },
  {
    table: "alerts",
    columns: { payload: "json" },
    findBy: { payload: "text" },
    erase: "redact",
  },
  {
    table: "job_runs",
    columns: { error: "text" },
    findBy: { error: "text" },
    erase: "redact",
  },
  {
    table: "audit_log",
    columns: { detail: "text" },
    findBy: { detail: "text" },
    // Who did what stays; the person's address or id in it becomes "[erased]".
    erase: "redact",
    notPersonal: { actor: "who on the team did it (a Slack user id, console or cli)" },
  },
  {
    table: "sources",
    columns: { last_error: "text" },
    findBy: { last_error: "text" },
    erase: "redact",
    notPersonal: {
      name: "a source's name",
      config: "a feed's address or an account id",
      owner: TEAM,
    },
  },
  noPersonalData("subscriptions", { owner: TEAM, options: "what a digest or an alert watches" }),
  noPersonalData("campaigns", { name: "a campaign's name" }),
  noPersonalData("write_keys", { name: "a write key's name" }),
  noPersonalData("import_progress", { path: "the file imported" }),
];
