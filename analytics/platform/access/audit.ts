import type { Db } from "../../../db/client.ts";
import { type AuditRow, auditBetween } from "../../../db/platform/queries/audit.ts";
import { AppError } from "../base/errors.ts";
import { formatCount } from "../base/format.ts";
import type { CliVerb, Command, Download } from "../contract/capability.ts";
import { periodSpecText } from "../metrics/periods.ts";
import { csvCell } from "../reports/csv.ts";
import { simpleReport } from "../reports/report.ts";
import { addDays, dayOf, startOfDayMs } from "../time/zone.ts";
import {
  type ListingClock,
  listingPeriod,
  listingReportPeriod,
  listingTime,
  listingVerb,
  textColumns,
} from "./listing.ts";

/** Rows an answer shows; the rest are in its CSV. */
const SHOWN = 100;

export interface AuditDeps extends ListingClock {
  db: Db;
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
      const period = listingPeriod(args, dayOf(deps.now(), zone), 7, "audit");
      const from = startOfDayMs(period.from, zone);
      const to = startOfDayMs(addDays(period.to, 1), zone);
      const { rows, total } = await auditBetween(deps.db, from, to, SHOWN);
      return simpleReport(
        "audit",
        `Audit · ${period.label}`,
        total === 0
          ? `No changes were made to Lift in ${period.label.toLowerCase()}.`
          : `${formatCount(total)} ${total === 1 ? "change" : "changes"} in ${period.label.toLowerCase()}${total > rows.length ? `; the latest ${rows.length} below, all of them in the CSV` : ""}.`,
        {
          period: listingReportPeriod(period, zone),
          facts: [{ label: "Changes", value: formatCount(total) }],
          ...(rows.length > 0
            ? {
                table: {
                  columns: textColumns([
                    ["when", "When"],
                    ["who", "Who"],
                    ["what", "What"],
                    ["detail", "Detail"],
                    ["where", "Where"],
                  ]),
                  rows: rows.map((row) => [
                    listingTime(row.at, zone),
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
export const auditVerb: CliVerb = listingVerb(
  "audit",
  "Who changed what in Lift, when and from where",
  `lift audit [--period "last 7 days"] [--csv] [--json]   every change made to Lift (subscriptions, alerts,
            segments, automations, sources, keys, access, erasures): who, what, when, from where
`,
  "last 7 days",
);
