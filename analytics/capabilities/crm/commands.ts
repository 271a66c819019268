import { AppError } from "../../platform/base/errors.ts";
import { formatAgo, formatCount, formatCountOf, formatMoney } from "../../platform/base/format.ts";
import type { Command, CommandContext, HomeSection, Job } from "../../platform/contract/capability.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import { crmApi } from "./api.ts";
import { PROVIDER_LABELS, type Provider } from "./connector.ts";
import { CrmCore } from "./core.ts";
import type { PullSummary } from "./pull.ts";
import type { SyncPlan, SyncResult } from "./push.ts";
import type { ConnectionStatus } from "./service.ts";

const SYNC = /^sync\s+(.+?)\s+to\s+(\S+)(?:\s+as\s+list\s+(.+?))?(\s+confirmed)?$/i;
const unquote = (text: string) => text.trim().replace(/^["“'‘](.*)["”'’]$/, "$1");
/** How long until, roughly: "in 5 min", "in 1 h". */
const formatIn = (ms: number, now: number) => {
  const minutes = Math.max(1, Math.round((ms - now) / 60_000));
  return minutes < 60 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
};

/** `crm sync "can't lose them" to hubspot as list "Win-back"` → its parts. */
export function readSync(
  args: string,
): { segment: string; provider: Provider; list?: string; confirmed: boolean } | null {
  const match = SYNC.exec(args.trim());
  if (!match) return null;
  return {
    segment: unquote(match[1]!),
    provider: CrmCore.provider(match[2]!),
    ...(match[3] ? { list: unquote(match[3]) } : {}),
    confirmed: Boolean(match[4]),
  };
}

function statusReport(statuses: ConnectionStatus[], context: CommandContext): Report {
  const now = context.now();
  const currency = context.platform.settings.currency;
  const connected = statuses.filter((s) => s.configured);
  const lines: string[] = [];
  const warnings: string[] = [];
  for (const s of statuses) {
    const label = PROVIDER_LABELS[s.provider];
    if (!s.configured) {
      lines.push(`${label}: not connected — ${CrmCore.howToConnect(s.provider)}.`);
      continue;
    }
    const row = s.row;
    const state =
      row?.status === "refused"
        ? "refused"
        : row?.status === "failing"
          ? `failing${row.notBefore ? `, next try ${formatIn(row.notBefore, now)}` : ""}`
          : !row || row.lastPullAt === null
            ? "connected, not pulled yet"
            : `pulled ${formatAgo(row.lastPullAt, now)}`;
    lines.push(
      `${label}: ${state}; ${formatCountOf(s.counts.contacts, "contact")} linked (${formatCount(s.counts.createdByLift)} made by Lift), ${formatCount(s.counts.companies)} ${s.counts.companies === 1 ? "company" : "companies"}, ${formatCountOf(s.counts.deals, "deal")} (${formatCount(s.counts.wonDeals)} closed-won, ${formatMoney(s.counts.wonMinor, currency)})${row?.lastPushAt ? `; last sync ${formatAgo(row.lastPushAt, now)}` : ""}.`,
    );
    if (row?.error) warnings.push(`${label}: ${row.error}`);
    for (const list of s.lists)
      lines.push(
        `  List “${list.name}” ← segment ${list.segment}${list.lastSyncAt ? `, synced ${formatAgo(list.lastSyncAt, now)}` : ""}.`,
      );
    if (s.bySource.length > 0)
      lines.push(
        `  Contacts by source: ${s.bySource.map((b) => `${b.source} ${formatCount(b.contacts)} (${formatCount(b.customers)} ordered)`).join(", ")}.`,
      );
    for (const f of s.failures) lines.push(`  Refused ${formatAgo(f.at, now)}: ${f.email} — ${f.reason}`);
  }
  return simpleReport(
    "crm-status",
    "CRM",
    connected.length === 0
      ? "No CRM is connected."
      : `${connected.map((s) => PROVIDER_LABELS[s.provider]).join(" and ")} connected.`,
    {
      details: lines,
      warnings,
      facts: connected.map((s) => ({
        label: PROVIDER_LABELS[s.provider],
        value: `${formatCount(s.counts.contacts)} contacts`,
      })),
      actions: connected.flatMap((s) =>
        s.lists.slice(0, 3).map((list) => ({
          id: `sync-${list.id}`,
          label: `Sync ${list.name}`,
          command: `crm sync "${list.segment}" to ${s.provider} as list "${list.name}"`,
        })),
      ),
    },
  );
}

function planReport(plan: SyncPlan, provider: Provider): Report {
  const label = PROVIDER_LABELS[provider];
  const where = provider === "hubspot" ? `static list “${plan.list}”` : `campaign “${plan.list}”`;
  const command = `crm sync "${plan.segment}" to ${provider} as list "${plan.list}" confirmed`;
  return simpleReport(
    "crm-sync-plan",
    `Sync ${plan.segment} to ${label}?`,
    `${formatCountOf(plan.toAdd, "member")} to add to the ${where} and ${formatCount(plan.toRemove)} to remove; ${formatCountOf(plan.toWrite, "record")} with new Lift properties. Nothing is sent before you confirm.`,
    {
      facts: [
        { label: "In the segment", value: formatCount(plan.members) },
        { label: "To add", value: formatCount(plan.toAdd) },
        { label: "To remove", value: formatCount(plan.toRemove) },
        { label: "Records to write", value: formatCount(plan.toWrite) },
      ],
      details: [
        ...(plan.withoutEmail > 0
          ? [
              `${formatCountOf(plan.withoutEmail, "member")} without an email address cannot be matched in ${label} and are left out.`,
            ]
          : []),
        ...(plan.optedOut > 0
          ? [
              `${formatCountOf(plan.optedOut, "member")} unsubscribed from Lift's email go with the opt-out set.`,
            ]
          : []),
      ],
      actions: [
        {
          id: "confirm",
          label: "Confirm",
          command,
          style: "primary",
          confirm: {
            title: `Sync to ${label}?`,
            text: `${formatCount(plan.toAdd)} added, ${formatCount(plan.toRemove)} removed, ${formatCount(plan.toWrite)} records written.`,
            confirm: "Sync",
            deny: "Cancel",
          },
        },
      ],
    },
  );
}

export function syncReport(result: SyncResult): Report {
  const label = PROVIDER_LABELS[result.provider as Provider];
  const calls = result.calls.upserts + result.calls.memberships + result.calls.setup;
  return simpleReport(
    "crm-sync",
    `${result.segment} synced to ${label}`,
    `${formatCountOf(result.written, "record")} written, ${formatCount(result.added)} added to and ${formatCount(result.removed)} removed from “${result.list}”${result.refused.length > 0 ? `; ${formatCount(result.refused.length)} refused` : ""} (${formatCountOf(calls, "call")}).`,
    {
      facts: [
        { label: "Written", value: formatCount(result.written) },
        { label: "Added", value: formatCount(result.added) },
        { label: "Removed", value: formatCount(result.removed) },
        { label: "Refused", value: formatCount(result.refused.length) },
      ],
      details: result.refused.slice(0, 20).map((r) => `Refused: ${r.email || r.customerId} — ${r.reason}`),
      warnings:
        result.withoutEmail > 0
          ? [`${formatCountOf(result.withoutEmail, "member")} without an email address left out.`]
          : [],
    },
  );
}

export function pullLine(provider: Provider, summary: PullSummary): string {
  const label = PROVIDER_LABELS[provider];
  const rejected =
    summary.rejected.length > 0
      ? `; ${formatCount(summary.rejected.length)} left out (${summary.rejected[0]!.reason})`
      : "";
  return `${label}: ${formatCountOf(summary.contacts, "contact")}, ${formatCount(summary.companies)} companies, ${formatCountOf(summary.deals, "deal")} pulled in ${formatCountOf(summary.pages, "page")}${summary.withoutEmail > 0 ? `; ${formatCount(summary.withoutEmail)} without email left out` : ""}${rejected}.`;
}

export const crmCommand: Command = {
  name: "crm",
  aliases: ["crms"],
  summary: "CRM connections (HubSpot, Salesforce): status, pulls, a segment synced as a list",
  details:
    "`crm` shows each connection: last pull and sync, contacts, companies and deals, lists Lift keeps, records refused. `crm sync SEGMENT to hubspot|salesforce [as list NAME]` adds and removes list members by difference and writes Lift's properties (RFM segment, cluster, predictions) on the records; in Slack and the console it first shows the counts with a Confirm button. `crm pull [hubspot|salesforce]` pulls now.",
  usage: "crm · crm sync SEGMENT to hubspot|salesforce [as list NAME] · crm pull [hubspot|salesforce]",
  examples: [
    "crm",
    'crm sync "champions" to hubspot',
    'crm sync "can\'t lose them" to salesforce as list "Win-back Q4"',
  ],
  mutates: false,
  personal: true,
  mutatesWith: (args) => /^\s*(sync|pull|push)\b/i.test(args),
  async run(args, context) {
    const service = crmApi.of(context.platform);
    const text = args.trim();
    if (text === "" || /^status$/i.test(text)) return statusReport(await service.status(), context);
    const pull = /^pull(?:\s+(\S+))?$/i.exec(text);
    if (pull) {
      const providers = pull[1] ? [CrmCore.provider(pull[1])] : service.core.configured();
      if (providers.length === 0)
        throw new AppError("invalid_input", "No CRM is connected", { hint: CrmCore.howToConnect("hubspot") });
      const lines: string[] = [];
      for (const provider of providers) lines.push(pullLine(provider, await service.pull(provider)));
      await context.platform.audit(context.userId, "crm.pull", { providers });
      return simpleReport("crm-pull", "CRM pulled", lines.join(" "), { details: lines });
    }
    const sync = readSync(text);
    if (!sync)
      throw new AppError("invalid_input", "Lift could not read that crm command", { hint: crmCommand.usage });
    // The CLI runs at once (a script said so); Slack and the console confirm first.
    if (!sync.confirmed && context.userId !== "cli")
      return planReport(await service.plan(sync.segment, sync.provider, sync.list), sync.provider);
    return syncReport(await service.sync(sync.segment, sync.provider, sync.list, context.userId));
  },
};

/** Pulls every connected CRM when due, then brings the lists Lift keeps there up to date. */
export const crmJob: Job = {
  name: "crm",
  cron: "*/5 * * * *",
  timeoutMs: 30 * 60_000,
  async run(context, now) {
    const service = crmApi.of(context.platform);
    for (const provider of await service.due(now)) {
      try {
        await service.pull(provider, context.signal);
        await service.pushAll(provider, "lift", context.signal);
      } catch (error) {
        // Recorded on the connection (status, error, next try) and in the log; `crm` shows it.
        if (!(error instanceof AppError)) throw error;
      }
    }
  },
};

/** App Home: a CRM that refuses Lift or keeps failing, for the people who can fix it. */
export const crmHome: HomeSection = {
  id: "crm",
  order: 80,
  async build(context) {
    const failing = (await crmApi.of(context.platform).status()).filter(
      (s) => s.configured && s.row && s.row.status !== "ok",
    );
    if (failing.length === 0) return null;
    return simpleReport(
      "crm-home",
      "CRM",
      failing.map((s) => `${PROVIDER_LABELS[s.provider]}: ${s.row!.error ?? s.row!.status}`).join(" "),
      { actions: [{ id: "crm", label: "CRM status", command: "crm" }] },
    );
  },
};
