/**
 * Calendar days in a time zone, without a date library. Days are strings
 * "YYYY-MM-DD" so that they sort, compare and key rollup rows directly.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (e.g. +3600000 for CET). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The local calendar day of instant `ms` in `timeZone`. */
export function dayOf(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

/** Local wall-clock time "HH:MM" of instant `ms`. */
export function timeOf(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(11, 16);
}

/**
 * A fast dayOf for bulk ingest. Every zone's offset is a multiple of 15 minutes
 * and changes on a 15-minute boundary, so all instants in one 15-minute UTC
 * bucket share a local day: one Intl call per bucket instead of per event.
 */
export function dayCutter(timeZone: string): (ms: number) => string {
  const BUCKET = 15 * 60 * 1000;
  const cache = new Map<number, string>();
  return (ms: number) => {
    const bucket = Math.floor(ms / BUCKET);
    let day = cache.get(bucket);
    if (day === undefined) {
      if (cache.size > 200_000) cache.clear();
      day = dayOf(bucket * BUCKET, timeZone);
      cache.set(bucket, day);
    }
    return day;
  };
}

/** The instant local midnight begins on `day` in `timeZone` (DST-aware). */
export function startOfDayMs(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  let guess = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  // A second pass settles days whose offset differs from the one at UTC midnight.
  guess = utcMidnight - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** The instant local wall time `hh:mm` happens on `day` (the later one when a DST gap skips it). */
export function localTimeMs(day: string, hour: number, minute: number, timeZone: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && fromDayNumber(parsed / DAY_MS) === value;
}

export function addDays(day: string, n: number): string {
  return fromDayNumber(dayNumber(day) + n);
}

/** Whole days from `from` to `to` (to − from). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) days.push(fromDayNumber(n));
  return days;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Monday of the week containing `day` (weeks start on Monday). */
export function startOfWeek(day: string): string {
  return addDays(day, 1 - weekday(day));
}

export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day: string, n: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + n;
  const first = new Date(Date.UTC(year, month, 1));
  const last = daysInMonth(first.toISOString().slice(0, 10));
  const dayOfMonth = Math.min(Number(day.slice(8, 10)), last);
  return `${first.toISOString().slice(0, 8)}${String(dayOfMonth).padStart(2, "0")}`;
}

export function daysInMonth(day: string): number {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function endOfMonth(day: string): string {
  return `${day.slice(0, 8)}${String(daysInMonth(day)).padStart(2, "0")}`;
}
