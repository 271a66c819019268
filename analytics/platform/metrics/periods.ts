import { AppError } from "../base/errors.ts";
import { formatDayRange } from "../base/format.ts";
import {
  addDays,
  addMonths,
  daysBetween,
  endOfMonth,
  isDay,
  startOfMonth,
  startOfWeek,
} from "../time/zone.ts";

/**
 * Periods, as defined in README.md ("Definitions"):
 * - "last N days" is N complete days in the reporting time zone (ending yesterday);
 * - "this month" is month to date (complete days) compared with the same days of last month;
 *   "this week" likewise, weeks starting on Monday;
 * - "today" is the day so far, compared with the same weekday last week up to the same time.
 */
export type PeriodSpec =
  | { kind: "today" }
  | { kind: "yesterday" }
  | { kind: "last_days"; n: number }
  | { kind: "last_weeks"; n: number }
  | { kind: "last_months"; n: number }
  | { kind: "this_week" }
  | { kind: "last_week" }
  | { kind: "this_month" }
  | { kind: "last_month" }
  | { kind: "this_quarter" }
  | { kind: "last_quarter" }
  | { kind: "this_year" }
  | { kind: "range"; from: string; to: string };

export interface Period {
  from: string;
  to: string;
  label: string;
  /** Includes today, which is not over yet. */
  partial: boolean;
  spec: PeriodSpec;
}

/** A period in the command language's words ("last 30 days", "this month", "2026-10-01..2026-10-31"). */
export function periodSpecText(spec: PeriodSpec): string {
  switch (spec.kind) {
    case "last_days":
      return `last ${spec.n} days`;
    case "last_weeks":
      return `last ${spec.n} calendar weeks`;
    case "last_months":
      return `last ${spec.n} months`;
    case "range":
      return `${spec.from}..${spec.to}`;
    default:
      return spec.kind.replace("_", " ");
  }
}

/**
 * What a period is compared with: the period before (calendar-aware), the same days last year,
 * the same days a week before ("yesterday vs the same day last week"), a period of its own
 * ("November vs October"), or nothing.
 */
export type ComparisonSpec = "previous" | "last_year" | "week_before" | "none" | { from: string; to: string };

/** A comparison in the command language's words ("vs last year", "vs 2026-10-01..2026-10-31"), "" for the default. */
export function comparisonText(compare: ComparisonSpec): string {
  if (typeof compare === "object") return `vs ${compare.from}..${compare.to}`;
  return compare === "last_year"
    ? "vs last year"
    : compare === "none"
      ? "no comparison"
      : compare === "week_before"
        ? "vs same days a week before"
        : "";
}

const MAX_RANGE_DAYS = 3660;

/** The first day of the quarter `day` is in. */
export function quarterStart(day: string): string {
  const month = Number(day.slice(5, 7));
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return `${day.slice(0, 4)}-${String(first).padStart(2, "0")}-01`;
}

/** Resolves a period against `today` (the current day in the reporting time zone). */
export function resolvePeriod(spec: PeriodSpec, today: string): Period {
  const yesterday = addDays(today, -1);
  const make = (from: string, to: string, label: string): Period => {
    if (from > to)
      throw new AppError("invalid_input", `${label} has no complete day yet`, {
        hint: "try “today” or the previous period",
      });
    return { from, to, label, partial: to >= today, spec };
  };
  switch (spec.kind) {
    case "today":
      return make(today, today, "Today so far");
    case "yesterday":
      return make(yesterday, yesterday, "Yesterday");
    case "last_days":
      return make(addDays(today, -spec.n), yesterday, `Last ${spec.n} days`);
    case "last_weeks": {
      const thisMonday = startOfWeek(today);
      return make(
        addDays(thisMonday, -7 * spec.n),
        addDays(thisMonday, -1),
        `Last ${spec.n} calendar week${spec.n === 1 ? "" : "s"}`,
      );
    }
    case "last_months": {
      const thisFirst = startOfMonth(today);
      return make(addMonths(thisFirst, -spec.n), addDays(thisFirst, -1), `Last ${spec.n} months`);
    }
    case "this_week":
      if (startOfWeek(today) === today) {
        throw new AppError("invalid_input", "This week has no complete day yet (today is Monday)", {
          hint: "try “today” or “last week”",
        });
      }
      return make(startOfWeek(today), yesterday, "This week so far");
    case "last_week": {
      const monday = addDays(startOfWeek(today), -7);
      return make(monday, addDays(monday, 6), "Last week");
    }
    case "this_month":
      if (startOfMonth(today) === today) {
        throw new AppError("invalid_input", "This month has no complete day yet (today is the 1st)", {
          hint: "try “today” or “last month”",
        });
      }
      return make(startOfMonth(today), yesterday, "Month to date");
    case "last_month": {
      const first = addMonths(startOfMonth(today), -1);
      return make(first, endOfMonth(first), "Last month");
    }
    case "this_quarter":
      if (quarterStart(today) === today) {
        throw new AppError("invalid_input", "This quarter has no complete day yet", {
          hint: "try “last quarter”",
        });
      }
      return make(quarterStart(today), yesterday, "Quarter to date");
    case "last_quarter": {
      const first = addMonths(quarterStart(today), -3);
      return make(first, addDays(quarterStart(today), -1), "Last quarter");
    }
    case "this_year": {
      const first = `${today.slice(0, 4)}-01-01`;
      if (first === today)
        throw new AppError("invalid_input", "This year has no complete day yet", { hint: "try “today”" });
      return make(first, yesterday, "Year to date");
    }
    case "range": {
      if (!isDay(spec.from) || !isDay(spec.to)) {
        throw new AppError("invalid_input", `“${spec.from}” to “${spec.to}” is not a range of real days`, {
          hint: "write days as YYYY-MM-DD",
        });
      }
      if (spec.from > spec.to) {
        throw new AppError("invalid_input", `The range starts (${spec.from}) after it ends (${spec.to})`);
      }
      if (daysBetween(spec.from, spec.to) > MAX_RANGE_DAYS) {
        throw new AppError("invalid_input", "That range is longer than ten years", {
          hint: "pick a shorter range",
        });
      }
      return make(spec.from, spec.to, formatDayRange(spec.from, spec.to));
    }
  }
}

/** How many whole calendar months from..to is (1 for "2026-10-01..2026-10-31"), or null. */
function wholeMonths(from: string, to: string): number | null {
  if (from !== startOfMonth(from) || to !== endOfMonth(to)) return null;
  return (
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7)) +
    1
  );
}

/** "October 2026" for a whole calendar month, else null. */
function wholeMonth(from: string, to: string): string | null {
  if (wholeMonths(from, to) !== 1) return null;
  return new Date(`${from}T12:00:00Z`).toLocaleDateString("en-US", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** The period a period is compared with. */
export function comparisonPeriod(period: Period, compare: ComparisonSpec): Period | null {
  if (compare === "none") return null;
  const spec = period.spec;
  if (typeof compare === "object") {
    const other = resolvePeriod({ kind: "range", ...compare }, addDays(compare.to, 1));
    const month = wholeMonth(compare.from, compare.to);
    return { ...other, label: month ?? other.label };
  }
  if (compare === "week_before") {
    const from = addDays(period.from, -7);
    const to = addDays(period.to, -7);
    const label = from === to ? "same weekday a week before" : "same days a week before";
    return { from, to, label, partial: false, spec: { kind: "range", from, to } };
  }
  if (compare === "last_year") {
    const from = addMonths(period.from, -12);
    const to = addMonths(period.to, -12);
    return { from, to, label: "same days last year", partial: false, spec: { kind: "range", from, to } };
  }
  const length = daysBetween(period.from, period.to) + 1;
  const shift = (from: string, to: string, label: string): Period => ({
    from,
    to,
    label,
    partial: false,
    spec: { kind: "range", from, to },
  });
  switch (spec.kind) {
    case "today":
      return shift(addDays(period.from, -7), addDays(period.to, -7), "same weekday last week");
    case "this_month": {
      const from = addMonths(period.from, -1);
      const to = addMonths(period.to, -1);
      return shift(from, to, "same days last month");
    }
    case "last_month":
    case "last_months": {
      const months = spec.kind === "last_month" ? 1 : spec.n;
      const from = addMonths(period.from, -months);
      return shift(
        from,
        addDays(period.from, -1),
        months === 1 ? "the month before" : `the ${months} months before`,
      );
    }
    case "this_quarter":
      return shift(addMonths(period.from, -3), addMonths(period.to, -3), "same days last quarter");
    case "last_quarter":
      return shift(addMonths(period.from, -3), addDays(period.from, -1), "the quarter before");
    case "this_week":
      return shift(addDays(period.from, -7), addDays(period.to, -7), "same days last week");
    case "range": {
      // "November" is compared with October, not with the 30 days before it.
      const months = wholeMonths(period.from, period.to);
      if (months !== null) {
        const from = addMonths(period.from, -months);
        const to = addDays(period.from, -1);
        return shift(from, to, wholeMonth(from, to) ?? formatDayRange(from, to));
      }
      return shift(
        addDays(period.from, -length),
        addDays(period.from, -1),
        length === 1 ? "the day before" : `the previous ${length} days`,
      );
    }
    default:
      return shift(
        addDays(period.from, -length),
        addDays(period.from, -1),
        length === 1 ? "the day before" : `the previous ${length} days`,
      );
  }
}

/** Numbers people write as words ("last seven days"). */
export const WORD_NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  thirty: 30,
  sixty: 60,
  ninety: 90,
};

/**
 * Reads a period from words people type: "last 30 days", "past 2 weeks",
 * "this month", "mtd", "yesterday", "2026-10-01..2026-10-31", "since 2026-11-01".
 * Returns null when the text is not a period.
 */
export function parsePeriod(text: string, today?: string): PeriodSpec | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (t === "today") return { kind: "today" };
  if (t === "yesterday") return { kind: "yesterday" };
  if (/^(this week|wtd|week to date)$/.test(t)) return { kind: "this_week" };
  if (/^(last|previous|prior) week$/.test(t)) return { kind: "last_week" };
  if (/^(this month|mtd|month to date)$/.test(t)) return { kind: "this_month" };
  if (/^(last|previous|prior) month$/.test(t)) return { kind: "last_month" };
  if (/^(this quarter|qtd|quarter to date)$/.test(t)) return { kind: "this_quarter" };
  if (/^(last|previous|prior) quarter$/.test(t)) return { kind: "last_quarter" };
  if (/^(this year|ytd|year to date)$/.test(t)) return { kind: "this_year" };
  const lastN =
    /^(?:last|past|previous|trailing) (\d{1,4}|[a-z]+) ?(calendar )?(d|days?|w|wks?|weeks?|m|mos?|months?)$/.exec(
      t,
    );
  const compactN = /^(\d{1,4})()(d|w|m)$/.exec(t);
  const m = lastN ?? compactN;
  if (m) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : WORD_NUMBERS[m[1]!];
    if (n === undefined || n < 1) return null;
    const unit = m[3]!.charAt(0);
    if (unit === "d") return n > MAX_RANGE_DAYS ? null : { kind: "last_days", n };
    // "past 2 weeks" and "last 2 weeks" are 14 complete days ending yesterday, like "past week";
    // whole Monday-to-Sunday weeks are "last week" and "last 2 calendar weeks".
    if (unit === "w") {
      if (m[2]) return n > 520 ? null : { kind: "last_weeks", n };
      return n * 7 > MAX_RANGE_DAYS ? null : { kind: "last_days", n: n * 7 };
    }
    return n > 120 ? null : { kind: "last_months", n };
  }
  const range = /^(?:from )?(\d{4}-\d{2}-\d{2}) ?(?:\.\.|to|–|-|until|through) ?(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (range) return { kind: "range", from: range[1]!, to: range[2]! };
  const since = /^since (\d{4}-\d{2}-\d{2})$/.exec(t);
  if (since && today) return { kind: "range", from: since[1]!, to: addDays(today, -1) };
  const day = /^(?:on )?(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (day) return { kind: "range", from: day[1]!, to: day[1]! };
  return null;
}
