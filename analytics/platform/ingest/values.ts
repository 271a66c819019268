import { localTimeMs } from "../time/zone.ts";

/**
 * Parsing of the values people put in files: numbers, money and dates, each
 * either a value or a sentence saying what is wrong with it.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): Parsed<never> => ({ ok: false, error });

// Plain decimals, or thousands grouped by commas before a decimal point: 1234.5, 1,234.50, -3.
const PLAIN_NUMBER = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

/** A decimal number as text, normalised ("1,234.50" → "1234.50"), or an error. */
function decimalText(value: unknown): Parsed<string> {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return fail(`${value} is not a finite number`);
    // Numbers written with an exponent (1e21) are outside what money needs.
    return /e/i.test(String(value)) ? fail(`${value} is too large or too small`) : ok(String(value));
  }
  if (typeof value !== "string") return fail(`${JSON.stringify(value)} is not a number`);
  const text = value.trim().replace(/^\$|^€|^£/, "");
  if (text === "") return fail("is empty");
  if (!PLAIN_NUMBER.test(text)) {
    if (/^[+-]?\d+,\d{1,2}$/.test(text)) {
      return fail(`"${value}" is not a number: use a decimal point (write ${text.replace(",", ".")})`);
    }
    return fail(`"${value}" is not a number`);
  }
  return ok(text.replace(/,/g, ""));
}

export function parseNumber(value: unknown): Parsed<number> {
  const text = decimalText(value);
  return text.ok ? ok(Number(text.value)) : text;
}

export function parseCount(value: unknown): Parsed<number> {
  const n = parseNumber(value);
  if (!n.ok) return n;
  if (!Number.isSafeInteger(n.value) || n.value < 0)
    return fail(`${JSON.stringify(value)} is not a whole number ≥ 0`);
  return n;
}

/**
 * A money amount in major units → integer minor units, exactly (no floating
 * point on the way): "12.50" with 2 decimals → 1250. Extra decimals round half up.
 */
export function parseMinorUnits(value: unknown, decimals: number): Parsed<number> {
  const text = decimalText(value);
  if (!text.ok) return text;
  const negative = text.value.startsWith("-");
  const [whole = "0", fraction = ""] = text.value.replace(/^[+-]/, "").split(".");
  const kept = fraction.padEnd(decimals, "0").slice(0, decimals);
  let minor = Number(whole) * 10 ** decimals + (kept === "" ? 0 : Number(kept));
  if ((fraction[decimals] ?? "0") >= "5") minor += 1;
  if (!Number.isSafeInteger(minor)) return fail(`"${value}" is too large`);
  return ok(negative ? -minor : minor);
}

export type DateFormat = "DMY" | "MDY" | "YMD";

/** Accepts DD/MM/YYYY, dmy, MM/DD/YYYY, mdy, YYYY-MM-DD, ymd (any separator). */
export function parseDateFormat(text: string): DateFormat | null {
  const letters = text.toUpperCase().replace(/[^DMY]/g, "");
  const order = letters.replace(/(.)\1+/g, "$1");
  return order === "DMY" || order === "MDY" || order === "YMD" ? order : null;
}

export interface DateOptions {
  timeZone: string;
  dateFormat?: DateFormat | undefined;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const SLASHED =
  /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:,?[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const TIME = "(?:,?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([AaPp][Mm])?)?";
// "Nov 2, 2026", "November 2 2026 10:15 AM" and "2 Nov 2026 10:15".
const MONTH_FIRST = new RegExp(`^([A-Za-z]{3,9})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})${TIME}$`);
const DAY_FIRST = new RegExp(`^(\\d{1,2}) ([A-Za-z]{3,9})\\.?,? (\\d{4})${TIME}$`);

/** The forms a date may take, for the message when one cannot be read. */
export const DATE_FORMS =
  "2026-11-02, 2026-11-02 10:15, 2026-11-02T10:15:00Z, 2026-11-02T10:15:00.000+01:00, 2026-11-02 10:15:00 +0000, Nov 2, 2026, 2 Nov 2026 10:15, 02/11/2026 (with --date-format), unix seconds or milliseconds";

/** The years Lift takes: before 2000 is a wrong or placeholder date, past 2100 a unit mix-up. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function wallClock(y: number, m: number, d: number, hh: number, mm: number, ss: number, tz: string): number {
  const day = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  return localTimeMs(day, hh, mm, tz) + ss * 1000;
}

/** 12-hour clock → 24: 12 AM is 0, 12 PM is 12. */
function hour24(hh: number, meridiem: string | undefined): number {
  if (!meridiem) return hh;
  const pm = meridiem.toLowerCase() === "pm";
  return (hh % 12) + (pm ? 12 : 0);
}

function inRange(ms: number, original: unknown): Parsed<number> {
  if (!Number.isFinite(ms)) return fail(`${JSON.stringify(original)} is not a date`);
  if (ms < EARLIEST) return fail(`${JSON.stringify(original)} is before the year 2000`);
  if (ms >= LATEST) return fail(`${JSON.stringify(original)} is after the year 2099 (a unit mix-up?)`);
  return ok(ms);
}

function namedMonth(word: string): number | null {
  const index = MONTHS.indexOf(word.slice(0, 3).toLowerCase());
  return index < 0 ? null : index + 1;
}

/**
 * A point in time from ISO 8601 (with or without a space before the offset,
 * as shop exports write it), epoch seconds or milliseconds, a date with a
 * month name, or a slashed date. Times without an offset are wall-clock times
 * in the reporting time zone. A slashed date whose day and month could swap
 * (03/04/2026) is refused unless a date format says which is which. Dates
 * before 2000 or after 2099 are refused, as strings and as numbers.
 */
export function parseTimestamp(value: unknown, options: DateOptions): Parsed<number> {
  if (value instanceof Date) return inRange(value.getTime(), value);
  if (typeof value === "number") return epoch(value, value);
  if (typeof value !== "string" || value.trim() === "") return fail("is empty");
  const text = value.trim();
  if (/^\d{9,10}(\.\d+)?$|^\d{12,13}$/.test(text)) return epoch(Number(text), value);
  if (/^\d{16,19}$/.test(text))
    return fail(`"${value}" looks like micro- or nanoseconds: send seconds or milliseconds since 1970`);
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, m, d, hh = "0", mm = "0", ss = "0", frac = "", zone] = iso;
    if (!validDate(+y!, +m!, +d!)) return fail(`"${value}" is not a real date`);
    if (+hh > 23 || +mm > 59 || +ss > 59) return fail(`"${value}" has an impossible time of day`);
    const millis = frac ? Math.round(Number(frac) * 1000) : 0;
    if (zone) {
      const offset = /^(z|utc|gmt)$/i.test(zone)
        ? 0
        : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) * 60_000;
      return inRange(Date.UTC(+y!, +m! - 1, +d!, +hh, +mm, +ss) + millis - offset, value);
    }
    return inRange(wallClock(+y!, +m!, +d!, +hh, +mm, +ss, options.timeZone) + millis, value);
  }
  const named = MONTH_FIRST.exec(text) ?? DAY_FIRST.exec(text);
  if (named) {
    const monthFirst = MONTH_FIRST.test(text);
    const [, a, b, y, hh = "0", mm = "0", ss = "0", meridiem] = named;
    const month = namedMonth(monthFirst ? a! : b!);
    const day = Number(monthFirst ? b : a);
    if (month === null || !validDate(+y!, month, day)) return fail(`"${value}" is not a real date`);
    return inRange(wallClock(+y!, month, day, hour24(+hh, meridiem), +mm, +ss, options.timeZone), value);
  }
  const slashed = SLASHED.exec(text);
  if (slashed) {
    const [, a, b, c, hh = "0", mm = "0", ss = "0", meridiem] = slashed;
    let order = options.dateFormat;
    if (!order) {
      if (a!.length === 4) order = "YMD";
      else if (+a! > 12 && +b! <= 12) order = "DMY";
      else if (+b! > 12 && +a! <= 12) order = "MDY";
      else if (a === b) order = "DMY";
      else {
        return fail(
          `"${value}" is ambiguous (day/month or month/day?): pass --date-format DD/MM/YYYY or MM/DD/YYYY`,
        );
      }
    }
    const [y, m, d] = order === "YMD" ? [+a!, +b!, +c!] : order === "DMY" ? [+c!, +b!, +a!] : [+c!, +a!, +b!];
    const year = y < 100 ? 2000 + y : y;
    if (!validDate(year, m, d)) return fail(`"${value}" is not a real date as ${order}`);
    return inRange(wallClock(year, m, d, hour24(+hh, meridiem), +mm, +ss, options.timeZone), value);
  }
  return fail(`"${value}" is not a date Lift reads (it takes ${DATE_FORMS})`);
}

function epoch(n: number, original: unknown): Parsed<number> {
  if (!Number.isFinite(n)) return fail(`${JSON.stringify(original)} is not a date`);
  // Ten digits are seconds (until the year 2286), thirteen are milliseconds; more is a unit mix-up.
  const ms = n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  return inRange(ms, original);
}
