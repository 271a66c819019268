import { AppError } from "../../platform/base/errors.ts";
import { formatAgo, formatCount, formatCountOf } from "../../platform/base/format.ts";
import type { Command, CommandContext, Download, Job } from "../../platform/contract/capability.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import { privacyApi } from "./api.ts";
import type { ErasePlan, EraseResult } from "./service.ts";

const ERASE = /^erase\s+(.+?)(\s+confirmed)?$/i;
const EXPORT = /^export\s+(.+)$/i;

/** A person as the answer names them: what was asked (the admin typed it), not what was found. */
function unquote(text: string): string {
  return text.trim().replace(/^["“'](.*)["”']$/, "$1");
}

function tableLines(tables: readonly { owner: string; table: string; rows: number }[]): string[] {
  return tables.map((t) => `${t.table} (${t.owner}): ${formatCountOf(t.rows, "row")}`);
}

export function planReport(plan: ErasePlan): Report {
  const person = plan.found.asked;
  return simpleReport(
    "privacy-erase-plan",
    `Erase ${person}?`,
    `${formatCountOf(plan.rows, "row")} in ${formatCountOf(plan.tables.length, "table")} are about this person. Erasing deletes them (orders stay as revenue without who bought), forwards the erasure to connected CRMs and refuses their data from now on. It cannot be undone; nothing changes before you confirm.`,
    {
      facts: [
        { label: "Rows", value: formatCount(plan.rows) },
        { label: "Tables", value: formatCount(plan.tables.length) },
        { label: "Customer ids", value: formatCount(plan.found.ids.customer?.length ?? 0) },
        { label: "Anonymous ids", value: formatCount(plan.found.ids.anonymous?.length ?? 0) },
      ],
      details: tableLines(plan.tables),
      actions: [
        {
          id: "confirm",
          label: "Erase",
          command: `privacy erase ${person} confirmed`,
          style: "danger",
          confirm: {
            title: "Erase this person?",
            text: `${formatCountOf(plan.rows, "row")} deleted or anonymised, for good.`,
            confirm: "Erase",
            deny: "Cancel",
          },
        },
      ],
    },
  );
}

/** Said without the person: the answer is stored and a Slack thread remembers it (as `privacy`). */
export function erasedReport(result: EraseResult): Report {
  const deleted = result.counts.filter((c) => c.how === "deleted").reduce((s, c) => s + c.rows, 0);
  const anonymised = result.counts.filter((c) => c.how === "anonymised").reduce((s, c) => s + c.rows, 0);
  const redacted = result.counts.filter((c) => c.how === "redacted").reduce((s, c) => s + c.rows, 0);
  return simpleReport(
    "privacy-erased",
    "Erased",
    `${formatCountOf(deleted, "row")} deleted, ${formatCount(anonymised)} anonymised (orders keep their amount, day and channel), ${formatCount(redacted)} redacted, in ${formatCountOf(result.counts.length, "table")}; their identifiers are on the erasure list, so their data is refused from now on.`,
    {
      facts: [
        { label: "Deleted", value: formatCount(deleted) },
        { label: "Anonymised", value: formatCount(anonymised) },
        { label: "Redacted", value: formatCount(redacted) },
      ],
      details: [
        ...result.counts.map((c) => `${c.table}: ${formatCountOf(c.rows, "row")} ${c.how}`),
        ...(result.crm.length > 0 ? result.crm : ["No CRM is connected: nothing to forward."]),
      ],
      warnings: result.walBusy
        ? [
            "Another process still reads an older snapshot: the write-ahead log is truncated at its next checkpoint.",
          ]
        : [],
      command: "privacy",
      forgetAsked: true,
    },
  );
}

async function statusReport(context: CommandContext): Promise<Report> {
  const status = await privacyApi.of(context.platform).status(context.now());
  const last = status.runs.lastAt ? `, the last ${formatAgo(status.runs.lastAt, context.now())}` : "";
  return simpleReport(
    "privacy",
    "Privacy",
    `${formatCount(status.runs.count)} ${status.runs.count === 1 ? "person" : "people"} erased${last}. ${formatCount(status.personal)} of ${formatCountOf(status.tables, "table")} (declared by ${formatCount(status.owners)} owners) hold personal data; export and erase reach them all.`,
    {
      facts: [
        { label: "Erased", value: formatCount(status.runs.count) },
        { label: "Identifiers refused", value: formatCount(status.listed) },
        { label: "Tables with personal data", value: formatCount(status.personal) },
      ],
      details: [
        `Personal values (emails, names, handles, addresses in events, messages sent) are sealed with AES-256-GCM under key ${status.sealing.keyId}, ${status.sealing.source === "environment" ? "from LIFT_DATA_KEY" : status.sealing.source === "file" ? "kept beside the database (lift-data.key)" : "made for this process"}${status.sealing.keys > 1 ? `; ${formatCount(status.sealing.keys - 1)} older key still held (\`lift privacy rotate-key\` finishes a rotation)` : ""}.`,
        ...status.retention.map((r) =>
          r.days === null
            ? `${r.label}: kept (set ${r.setting} to a number of days to delete older ones)`
            : `${r.label}: kept ${formatCountOf(r.days, "day")}; ${formatCountOf(r.older, "row")} older now (deleted nightly)`,
        ),
        "`privacy export EMAIL|ID` lists what Lift holds about a person (Download CSV for every row); `privacy erase EMAIL|ID` erases them after a confirmation.",
      ],
    },
  );
}

export const privacyCommand: Command = {
  name: "privacy",
  aliases: ["gdpr"],
  summary: "Privacy requests: what Lift holds about a person, erasure, retention",
  details:
    "`privacy` shows erasures and how long each kind of data is kept. `privacy export EMAIL|CUSTOMER_ID|ANONYMOUS_ID` counts every row about the person, table by table, with a download of them all (the CLI's `lift privacy export` writes one JSON document). `privacy erase …` shows what would go and erases after a confirmation: every row deleted or anonymised in one transaction, forwarded to connected CRMs, their identifiers refused from then on.",
  usage: "privacy · privacy export EMAIL|ID · privacy erase EMAIL|ID",
  examples: ["privacy", "privacy export grace.1@example.com", "privacy erase grace.1@example.com"],
  mutates: false,
  personal: true,
  mutatesWith: (args) => /^\s*erase\b/i.test(args),
  async run(args, context) {
    const text = args.trim();
    if (text === "" || /^status$/i.test(text)) return statusReport(context);
    const service = privacyApi.of(context.platform);
    const exporting = EXPORT.exec(text);
    if (exporting) {
      const person = unquote(exporting[1]!);
      const plan = await service.plan(person);
      return simpleReport(
        "privacy-export",
        `What Lift holds about ${person}`,
        `${formatCountOf(plan.rows, "row")} in ${formatCountOf(plan.tables.length, "table")}: Download CSV has every one (a row a line, as JSON); \`lift privacy export ${person}\` writes them as one JSON document.`,
        {
          facts: [
            { label: "Rows", value: formatCount(plan.rows) },
            { label: "Tables", value: formatCount(plan.tables.length) },
          ],
          details: tableLines(plan.tables),
          download: { source: "privacy-export", key: person, filename: "lift-privacy-export.csv" },
        },
      );
    }
    const erasing = ERASE.exec(text);
    if (erasing) {
      const person = unquote(erasing[1]!);
      // Nothing is erased before a confirmation: a button in Slack and the console, the word
      // "confirmed" in `lift run` (`lift privacy erase` asks on its terminal, or takes --yes).
      if (!erasing[2]) return planReport(await service.plan(person));
      const surface = context.userId === "cli" ? "cli" : context.userId === "console" ? "console" : "slack";
      return erasedReport(await service.erase(person, context.userId, surface));
    }
    throw new AppError("invalid_input", "Lift could not read that privacy command", {
      hint: privacyCommand.usage,
    });
  },
};

/** Every row about a person as CSV lines: the table, its owner, the row as JSON. */
export const exportDownload: Download = {
  source: "privacy-export",
  personal: true,
  async lines({ platform }, key) {
    const document = await privacyApi.of(platform).export(key);
    const tables = document["tables"] as Record<string, { owner: string; rows: unknown[] }>;
    const lines = ["table,owner,row\n"];
    for (const [table, { owner, rows }] of Object.entries(tables))
      for (const row of rows)
        lines.push(`${csvCell(table)},${csvCell(owner)},${csvCell(JSON.stringify(row))}\n`);
    return lines;
  },
};

/** Deletes nightly what the retention settings no longer keep (rollups stay). */
export const retentionJob: Job = {
  name: "privacy-retention",
  cron: "30 3 * * *",
  timeoutMs: 60 * 60_000,
  async run(context, now) {
    const done = await privacyApi.of(context.platform).retain(now, context.signal);
    const deleted = done.filter((d) => d.deleted > 0);
    if (deleted.length > 0) context.logger.info({ deleted }, "retention: old rows deleted");
  },
};
