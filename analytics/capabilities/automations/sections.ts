import { listAutomations } from "../../../db/automations/queries.ts";
import { heldRuns, recentSends, sendsBetween, sendsOfPerson } from "../../../db/automations/sends.ts";
import { formatAgo, formatCount } from "../../platform/base/format.ts";
import type {
  CustomerSection,
  DigestSection,
  HomeSection,
  Job,
  Panel,
} from "../../platform/contract/capability.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import { automationsApi } from "./api.ts";
import { automationsCommand } from "./commands.ts";
import { describeTally } from "./delivery.ts";

/** Every minute: enrol who entered, move due steps on, deliver what is due. */
export const automationsJob: Job = {
  name: "automations",
  cron: "* * * * *",
  timeoutMs: 50_000,
  async run(context, now) {
    const { enrolled, moved, tally } = await automationsApi
      .of(context.platform)
      .runNow(context.notifier, now, { signal: context.signal });
    if (enrolled + moved > 0 || describeTally(tally) !== "")
      context.logger.info({ enrolled, moved, ...tally }, "automations pass");
  },
};

export const automationsPanel: Panel = {
  id: "automations",
  title: "Automations",
  order: 75,
  refreshMs: 60_000,
  build: async (context) => [await automationsCommand.run("", { ...context, userId: "console" })],
};

/** What automations sent lately: in local mode, the mail itself (it is shown, not sent). */
export const outboxPanel: Panel = {
  id: "outbox",
  title: "Outbox",
  subtitle: "what automations sent; without SMTP_URL the mail is shown here instead of sent",
  order: 76,
  refreshMs: 30_000,
  async build(context) {
    const sends = await recentSends(context.tables, 25);
    const now = context.now();
    return [
      {
        kind: "outbox",
        title: "Outbox",
        summary: sends.length
          ? `The latest ${sends.length} messages, newest first.`
          : "Nothing sent yet: automations send when someone enters their trigger.",
        facts: [],
        table: {
          columns: [
            { key: "when", label: "When", format: "text" },
            { key: "to", label: "To", format: "text" },
            { key: "what", label: "What", format: "text" },
            { key: "status", label: "Status", format: "text" },
          ],
          rows: sends.map((s) => [
            formatAgo(s.sentAt ?? s.createdAt, now),
            s.recipient || s.personId,
            s.subject ?? s.template ?? s.channel,
            s.reason && s.status !== "sent" && s.status !== "shown" ? `${s.status}: ${s.reason}` : s.status,
          ]),
        },
        charts: [],
        actions: [],
        warnings: [],
        details: sends
          .filter((s) => s.body && s.channel === "email")
          .slice(0, 3)
          .map((s) => `To ${s.recipient} — ${s.subject}\n${s.body}`),
      },
    ];
  },
};

/** The customer page: what automations sent this customer. */
export const automationsCustomerSection: CustomerSection = {
  id: "automations",
  order: 60,
  title: "Messages",
  async build(context, customer) {
    const sends = await sendsOfPerson(context.tables, customer.id, 10);
    if (sends.length === 0) return null;
    const now = context.now();
    return {
      lines: sends.map(
        (s) =>
          `${formatAgo(s.sentAt ?? s.createdAt, now)}: ${s.channel} ${s.subject ? `“${s.subject}”` : (s.template ?? "")} — ${s.status}${s.reason && s.status !== "sent" ? ` (${s.reason})` : ""}`,
      ),
    };
  },
};

/** The digest: what each automation sent on the digest's days, and what needs someone. */
export const automationsSection: DigestSection = {
  id: "automations",
  order: 45,
  title: "Automations",
  async build({ tables, days }) {
    const all = await listAutomations(tables);
    if (all.length === 0) return null;
    const byId = new Map(all.map((a) => [a.id, a]));
    const sent = await sendsBetween(tables, days.fromMs, days.toMs);
    const held = await heldRuns(tables);
    const lines = sent
      .filter((s) => s.sent > 0 && byId.has(s.automationId))
      .map(
        (s) =>
          `✉️ ${byId.get(s.automationId)!.name}: ${formatCount(s.sent)} messages${s.failed ? `, ${formatCount(s.failed)} failed or unclear` : ""}`,
      );
    const warnings = [
      ...[...held]
        .filter(([id]) => byId.has(id))
        .map(
          ([id, n]) =>
            `${byId.get(id)!.name}: ${formatCount(n)} customers wait for an admin's approval (\`automation approve ${byId.get(id)!.name}\`)`,
        ),
      ...all
        .filter((a) => a.pausedSendingAt)
        .map((a) => `${a.name}: sending is paused (${a.pausedSendingWhy})`),
    ];
    if (lines.length === 0 && warnings.length === 0) return null;
    return { lines, warnings };
  },
};

/** App Home: bulk sends waiting for approval and paused sending, with what to do. */
export const automationsHome: HomeSection = {
  id: "automations",
  order: 45,
  async build({ tables }) {
    const all = await listAutomations(tables);
    const held = await heldRuns(tables);
    const waiting = all.filter((a) => held.has(a.id));
    const paused = all.filter((a) => a.pausedSendingAt);
    if (waiting.length === 0 && paused.length === 0) return null;
    return simpleReport(
      "automations",
      "Automations need you",
      [
        ...waiting.map(
          (a) => `${a.name}: ${formatCount(held.get(a.id)!)} customers wait for an admin's approval.`,
        ),
        ...paused.map((a) => `${a.name}: sending is paused (${a.pausedSendingWhy}).`),
      ].join("\n"),
      {
        actions: [
          ...waiting.slice(0, 3).map((a) => ({
            id: `preview_${a.id}`,
            label: `Preview ${a.name}`,
            command: `automation preview ${a.name}`,
          })),
          ...paused
            .slice(0, 2)
            .map((a) => ({ id: `open_${a.id}`, label: a.name, command: `automation ${a.name}` })),
        ],
      },
    );
  },
};
