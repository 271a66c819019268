import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

const TEAM = "who on the team did it (a Slack user id)";

/**
 * Automations' personal data: who is in a flow and where, every message sent to them (the
 * rendered text and the address) and their clicks. The suppression list holds keyed hashes,
 * never an address.
 */
export const automationsPersonalData: PersonalTable[] = [
  {
    table: "automation_members",
    columns: { person_id: "id" },
    findBy: { person_id: "person" },
    erase: "delete",
  },
  {
    table: "automation_runs",
    columns: { person_id: "id", payload: "json" },
    findBy: { person_id: "person" },
    erase: "delete",
  },
  {
    table: "automation_sends",
    columns: {
      person_id: "id",
      recipient: "email",
      subject: "text",
      body: "text",
      html: "text",
    },
    notPersonal: {
      reason:
        "why a message was skipped or failed, in Lift's words (an address a mail server quotes is replaced)",
    },
    findBy: { person_id: "person", recipient: "email" },
    sealed: ["recipient", "subject", "body", "html"],
    yields: { id: "send" },
    erase: "delete",
    retention: { kind: "sends", column: "created_at" },
  },
  { table: "automation_clicks", columns: { url: "text" }, findBy: { send_id: "send" }, erase: "delete" },
  noPersonalData("suppressions", {
    hash: "a keyed hash of an address (the suppression list itself)",
    reason: "why: unsubscribed, bounced or by hand",
  }),
  noPersonalData("email_templates", {
    name: "a template's name",
    subject: "the team's template, with placeholders",
    body: "the team's template, with placeholders",
    from_address: "the workspace's sender",
    reply_to: "the workspace's reply address",
    updated_by: TEAM,
  }),
  noPersonalData("automations", { name: "an automation's name", owner: TEAM }),
];
