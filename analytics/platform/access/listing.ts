import { AppError } from "../base/errors.ts";
import { formatDay } from "../base/format.ts";
import type { CliVerb } from "../contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../contract/cli.ts";
import { type Period, parsePeriod, resolvePeriod } from "../metrics/periods.ts";
import { addDays, dayOf, timeOf } from "../time/zone.ts";

/*
 * Listings of what happened (the 👍 and 👎 on answers, the audit): a period read like any
 * other, whose "last N days" take today too — a log is read the day it is written.
 */

/** What a listing needs to place its rows in time: the clock and the reporting time zone. */
export interface ListingClock {
  now(): number;
  settings: { timeZone: string };
}

/** The days a listing covers: the period in `args`, or the last `days` days (and today). */
export function listingPeriod(args: string, today: string, days: number, command: string): Period {
  const text = args.trim();
  const spec = text ? parsePeriod(text, today) : { kind: "last_days" as const, n: days };
  if (!spec)
    throw new AppError("invalid_input", `I could not read “${text.slice(0, 80)}” as a period`, {
      hint: `${command} last ${days} days`,
    });
  const period = resolvePeriod(spec, today);
  return spec.kind === "last_days" && period.to === addDays(today, -1)
    ? { ...period, to: today, label: `${period.label} and today` }
    : period;
}

/** When a row happened, as a listing shows it: "Nov 23 09:30". */
export function listingTime(at: number, timeZone: string): string {
  return `${formatDay(dayOf(at, timeZone), { short: true })} ${timeOf(at, timeZone)}`;
}

/** `lift <name> [--period P] [--csv|--json]`: a listing from a terminal, as the command gives it. */
export function listingVerb(name: string, summary: string, help: string, period: string): CliVerb {
  return {
    name,
    summary,
    help,
    async run(args) {
      const { parseArgs } = await import("node:util");
      const { values } = parseArgs({
        args,
        options: { period: { type: "string", short: "p" }, ...OUTPUT_FLAGS },
      });
      return { command: `${name} ${values.period ?? period}`, output: outputFlags(values) };
    },
  };
}

/** A listing's period as a report states it. */
export function listingReportPeriod(period: Period, timeZone: string) {
  return { label: period.label, from: period.from, to: period.to, timeZone, partial: period.partial };
}

/** A listing's table columns, all text: `[key, label]` each. */
export function textColumns(columns: readonly [key: string, label: string][]) {
  return columns.map(([key, label]) => ({ key, label, format: "text" as const }));
}
