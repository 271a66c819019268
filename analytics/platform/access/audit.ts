import type { Db } from "../../../db/client.ts";
import { type AuditRow, auditBetween } from "../../../db/platform/queries/audit.ts";
import { AppError } from "../base/errors.ts";
import { formatCount, formatDay } from "../base/format.ts";
import type { CliVerb, Command, Download } from "../contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../contract/cli.ts";
import { parsePeriod, periodSpecText, resolvePeriod } from "../metrics/periods.ts";
import { csvCell } from "../reports/csv.ts";
import { simpleReport } from "../reports/report.ts";
import { addDays, dayOf, startOfDayMs, timeOf } from "../time/zone.ts";

/** Rows an answer shows; the rest are in its CSV. */
const SHOWN = 100;

export interface AuditDeps {
  db: Db;
  now(): number;
  settings: { timeZone: string };
}

/** What a row's detail says, for a person: `{"id":3,"channel":"C1"}` reads `id 3, channel C1`. */
export function detailText(detail: string): string {
  try {
    const value: unknown = JSON.parse(detail);
    if (value && typeof value === "object" && !Array.isArray(value))
      return Object.entries(value)
        .map(([k, v]) => `${k} ${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(", ");
  } catch {
    // Plain text.
  }
  return detail;
}

function when(at: number, zone: string): string {
  return `${formatDay(dayOf(at, zone), { short: true })} ${timeOf(at, zone)}`;
}

/** `audit [period]`: every change made to Lift — who, what, when, from where — newest first. Anyone may read it. */
export function auditCommand(deps: AuditDeps): Command {
  return {
    name: "audit",
    aliases: ["changes", "audit-log"],
    summary: "Who changed what in Lift, when and from where (Slack, console, CLI, workflows)",
    usage: "audit [period]",
    examples: ["audit last 7 days", "audit this month"],
    mutates: false,
    personal: false,
    async run(args) {
      const zone = deps.settings.timeZone;
      const today = dayOf(deps.now(), zone);
      const spec = args.trim() ? parsePeriod(args.trim(), today) : { kind: "last_days" as const, n: 7 };
      if (!spec)
        throw new AppError("invalid_input", `I could not read “${args.trim().slice(0, 80)}” as a period`, {
          hint: "audit last 7 days",
        });
      const resolved = resolvePeriod(spec, today);
      // Changes are read the day they are made: "last 7 days" takes today too.
      const period =
        spec.kind === "last_days" && resolved.to === addDays(today, -1)
          ? { ...resolved, to: today, label: `${resolved.label} and today` }
          : resolved;
      const from = startOfDayMs(period.from, zone);
      const to = startOfDayMs(addDays(period.to, 1), zone);
      const { rows, total } = await auditBetween(deps.db, from, to, SHOWN);
      const surfaces = new Map<string, number>();
      for (const row of rows) surfaces.set(row.surface ?? "—", (surfaces.get(row.surface ?? "—") ?? 0) + 1);
      return simpleReport(
        "audit",
        `Audit · ${period.label}`,
        total === 0
          ? `No changes were made to Lift in ${period.label.toLowerCase()}.`
          : `${formatCount(total)} ${total === 1 ? "change" : "changes"} in ${period.label.toLowerCase()}${total > rows.length ? `; the latest ${rows.length} below, all of them in the CSV` : ""}.`,
        {
          period: {
            label: period.label,
            from: period.from,
            to: period.to,
            timeZone: zone,
            partial: period.partial,
          },
          facts: [{ label: "Changes", value: formatCount(total) }],
          ...(rows.length > 0
            ? {
                table: {
                  columns: [
                    { key: "when", label: "When", format: "text" as const },
                    { key: "who", label: "Who", format: "text" as const },
                    { key: "what", label: "What", format: "text" as const },
                    { key: "detail", label: "Detail", format: "text" as const },
                    { key: "where", label: "Where", format: "text" as const },
                  ],
                  rows: rows.map((row) => [
                    when(row.at, zone),
                    row.actor,
                    row.action,
                    detailText(row.detail).slice(0, 200),
                    row.surface ?? "",
                  ]),
                },
                download: {
                  source: "audit",
                  key: `${from}-${to}`,
                  filename: `lift-audit-${period.from}-${period.to}.csv`,
                },
              }
            : {}),
          command: `audit ${periodSpecText(period.spec)}`,
        },
      );
    },
  };
}

/** The audit rows of a period as CSV (the answer's Download CSV), oldest first. */
export function auditDownload(deps: AuditDeps): Download {
  return {
    source: "audit",
    personal: false,
    async lines(_context, key) {
      const match = /^(\d+)-(\d+)$/.exec(key);
      if (!match) throw new AppError("not_found", "That audit period is not one Lift gave");
      const { rows } = await auditBetween(deps.db, Number(match[1]), Number(match[2]), 1_000_000);
      const zone = deps.settings.timeZone;
      return [
        "at,time_zone,actor,action,detail,surface",
        ...rows
          .reverse()
          .map((row: AuditRow) =>
            [new Date(row.at).toISOString(), zone, row.actor, row.action, row.detail, row.surface ?? ""]
              .map(csvCell)
              .join(","),
          ),
      ];
    },
  };
}

/** `lift audit [--period P] [--csv|--json]`: the same list from a terminal. */
export const auditVerb: CliVerb = {
  name: "audit",
  summary: "Who changed what in Lift, when and from where",
  help: `lift audit [--period "last 7 days"] [--csv] [--json]   every change made to Lift (subscriptions, alerts,
            segments, automations, sources, keys, access, erasures): who, what, when, from where
`,
  async run(args) {
    const { parseArgs } = await import("node:util");
    const { values } = parseArgs({
      args,
      options: { period: { type: "string", short: "p" }, ...OUTPUT_FLAGS },
    });
    return { command: `audit ${values.period ?? "last 7 days"}`, output: outputFlags(values) };
  },
};
