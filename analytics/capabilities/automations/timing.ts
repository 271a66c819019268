import { AppError } from "../../platform/base/errors.ts";
import { addDays, dayOf, localTimeMs, timeOf } from "../../platform/time/zone.ts";

/*
 * When a message may go: quiet hours in the recipient's own time zone and a frequency cap
 * defer a send (to the end of the quiet hours, to when the oldest counted message leaves the
 * window), never drop it. Wall-clock times are read through the zone each day, so 08:00 stays
 * 08:00 local across a DST change.
 */

export interface QuietHours {
  /** Minutes after local midnight. */
  from: number;
  to: number;
}

/** "21:00-08:00" → quiet hours; "off" or "" → none. */
export function readQuietHours(text: string): QuietHours | null {
  const t = text.trim().toLowerCase();
  if (t === "" || t === "off" || t === "none") return null;
  const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(t);
  if (!m) throw new AppError("invalid_config", 'must be two times like "21:00-08:00", or "off"');
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  if (Number(m[1]) > 23 || Number(m[3]) > 23 || Number(m[2]) > 59 || Number(m[4]) > 59 || from === to)
    throw new AppError("invalid_config", 'must be two different times of day like "21:00-08:00"');
  return { from, to };
}

function minutesOf(at: number, timeZone: string): number {
  const [h, m] = timeOf(at, timeZone).split(":").map(Number);
  return h! * 60 + m!;
}

/** When quiet hours around `at` end in `timeZone`; null when `at` is not in them. */
export function quietUntil(at: number, timeZone: string, quiet: QuietHours | null): number | null {
  if (!quiet) return null;
  const minutes = minutesOf(at, timeZone);
  const day = dayOf(at, timeZone);
  const end = (d: string) => localTimeMs(d, Math.floor(quiet.to / 60), quiet.to % 60, timeZone);
  if (quiet.from < quiet.to) return minutes >= quiet.from && minutes < quiet.to ? end(day) : null;
  // Over midnight: quiet from `from` to midnight and from midnight to `to`.
  if (minutes >= quiet.from) return end(addDays(day, 1));
  if (minutes < quiet.to) return end(day);
  return null;
}

/**
 * When one more message fits under the cap, given the instants of the messages already
 * counted (any order): null when it fits now.
 */
export function capUntil(sent: readonly number[], at: number, cap: number, windowMs: number): number | null {
  const inWindow = sent.filter((t) => t > at - windowMs).sort((a, b) => a - b);
  if (inWindow.length < cap) return null;
  return inWindow[inWindow.length - cap]! + windowMs;
}

/** The first local hh:mm strictly after `after` in `timeZone`. */
export function nextLocalTime(after: number, hour: number, minute: number, timeZone: string): number {
  let day = dayOf(after, timeZone);
  for (let i = 0; i < 3; i++, day = addDays(day, 1)) {
    const at = localTimeMs(day, hour, minute, timeZone);
    if (at > after) return at;
  }
  return localTimeMs(day, hour, minute, timeZone);
}

/** A customer's own time zone from their traits (timezone, time_zone, tz), when it is a real one. */
export function customerZone(traits: Record<string, unknown>, fallback: string): string {
  for (const key of ["timezone", "time_zone", "timeZone", "tz"]) {
    const value = traits[key];
    if (typeof value !== "string" || value === "") continue;
    try {
      new Intl.DateTimeFormat("en", { timeZone: value });
      return value;
    } catch {
      // not a zone: the workspace's
    }
  }
  return fallback;
}
