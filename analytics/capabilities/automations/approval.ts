import { type AutomationRow, contacts, runsOf } from "../../../db/automations/queries.ts";
import { formatCount } from "../../platform/base/format.ts";
import { maskEmail } from "../../platform/customers/page.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import type { AutomationsCore } from "./core.ts";
import { describeStep } from "./describe.ts";
import { isAction, specOf } from "./grammar.ts";

/*
 * Who an automation reaches, counted as a marketer checks it ("412 in the segment, 380 accept
 * marketing, 12 suppressed"), and the approval request a bulk send waits on.
 */

export interface Audience {
  people: number;
  withEmail: number;
  consenting: number;
  suppressed: number;
  /** Up to five who would get the first message (the address masked: readers see previews too). */
  sample: { id: string; email: string }[];
}

export async function audience(core: AutomationsCore, people: readonly string[]): Promise<Audience> {
  const found = await contacts(core.context.tables, people);
  const out: Audience = { people: people.length, withEmail: 0, consenting: 0, suppressed: 0, sample: [] };
  for (const id of people) {
    const contact = found.get(id);
    if (!contact?.email) continue;
    out.withEmail++;
    if (!core.consents(contact.traits)) continue;
    out.consenting++;
    if (await core.isSuppressed(contact.email)) out.suppressed++;
    else if (out.sample.length < 5) out.sample.push({ id, email: maskEmail(contact.email) });
  }
  return out;
}

export function audienceLine(a: Audience, what: string): string {
  return `${formatCount(a.people)} ${what}, ${formatCount(a.withEmail)} with an email address, ${formatCount(a.consenting)} accept marketing, ${formatCount(a.suppressed)} suppressed: ${formatCount(a.consenting - a.suppressed)} would get marketing mail`;
}

/** The message a bulk send waits on: who, what, and Approve / Reject (admins only). */
export async function approvalReport(
  core: AutomationsCore,
  automation: AutomationRow,
  count: number,
): Promise<Report> {
  const spec = specOf(automation);
  const held = await runsOf(core.context.tables, automation.id, "held");
  const counted = await audience(
    core,
    held.map((r) => r.personId),
  );
  const first = spec.steps.find(isAction);
  return simpleReport(
    "automation-approval",
    `Approve ${automation.name}? ${formatCount(count)} customers entered`,
    `${formatCount(count)} customers entered “${automation.name}” at once, more than the ${formatCount(core.settings.LIFT_APPROVAL_THRESHOLD)} Lift sends without an admin's approval (LIFT_APPROVAL_THRESHOLD). Nothing goes before an admin approves.`,
    {
      facts: [
        { label: "Waiting", value: formatCount(held.length) },
        { label: "Accept marketing", value: formatCount(counted.consenting) },
        { label: "Suppressed", value: formatCount(counted.suppressed) },
      ],
      details: [
        audienceLine(counted, "waiting"),
        `First step: ${first ? describeStep(first) : "none"}.`,
        `Steps: ${spec.steps.map(describeStep).join(", then ")}.`,
      ],
      actions: [
        {
          id: "approve",
          label: `Approve ${formatCount(held.length)}`,
          command: `automation approve ${automation.name}`,
          style: "primary",
          confirm: {
            title: "Send to all of them?",
            text: `${formatCount(counted.consenting - counted.suppressed)} customers get marketing mail from “${automation.name}”.`,
            confirm: "Approve",
            deny: "Cancel",
          },
        },
        { id: "reject", label: "Reject", command: `automation reject ${automation.name}`, style: "danger" },
        { id: "preview", label: "Preview", command: `automation preview ${automation.name}` },
      ],
    },
  );
}
