import { AppError } from "../base/errors.ts";
import { addDays, dayOf, localTimeMs } from "./zone.ts";

/** When a subscription runs, in its own time zone: every day, on weekdays, or once a week. */
export interface Schedule {
  every: "day" | "weekday" | "week";
  /** 0 = Sunday … 6 = Saturday, for "week". */
  weekday?: number;
  hour: number;
  minute: number;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

function weekdayNamed(word: string): number | null {
  const w = word.toLowerCase().replace(/s$/, "");
  const index = WEEKDAYS.findIndex((day) => day === w || day.slice(0, 3) === w);
  return index < 0 ? null : index;
}

/**
 * Reads "daily 09:00", "weekdays 8:30", "weekly monday 09:00", "every friday at 4pm".
 * Returns the schedule and the words it did not use.
 */
export function readSchedule(text: string): { schedule: Schedule; rest: string } | null {
  let rest = ` ${text.toLowerCase()} `;
  let every: Schedule["every"] | null = null;
  let weekday: number | undefined;
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = pattern.exec(rest);
    if (match) rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
    return match;
  };
  if (take(/\s(?:weekdays|every weekday|on weekdays|mon-fri|monday to friday)(?=\s)/)) every = "weekday";
  const day = take(
    /\s(?:weekly\s+(?:on\s+)?|every\s+|on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)s?(?=\s)/,
  );
  if (day) {
    weekday = weekdayNamed(day[1]!) ?? undefined;
    every = "week";
  }
  if (take(/\s(?:weekly|every week)(?=\s)/)) {
    every = "week";
    weekday ??= 1;
  }
  if (take(/\s(?:daily|every day|each day)(?=\s)/)) every ??= "day";
  const time = take(/\s(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?(?=\s)/);
  if (!time && every === null) return null;
  let hour = 9;
  let minute = 0;
  if (time) {
    hour = Number(time[1]);
    minute = Number(time[2] ?? 0);
    if (time[3] === "pm" && hour < 12) hour += 12;
    if (time[3] === "am" && hour === 12) hour = 0;
    if (!time[2] && !time[3]) return null;
    if (hour > 23 || minute > 59)
      throw new AppError("invalid_input", `“${time[0].trim()}” is not a time of day`, {
        hint: "use 24-hour HH:MM, e.g. 09:00 or 17:30",
      });
  }
  return {
    schedule: { every: every ?? "day", ...(weekday !== undefined ? { weekday } : {}), hour, minute },
    rest: rest.replace(/\s+/g, " ").trim(),
  };
}

export function describeSchedule(schedule: Schedule): string {
  const time = `${String(schedule.hour).padStart(2, "0")}:${String(schedule.minute).padStart(2, "0")}`;
  if (schedule.every === "day") return `daily at ${time}`;
  if (schedule.every === "weekday") return `weekdays at ${time}`;
  const day = WEEKDAYS[schedule.weekday ?? 1]!;
  return `${day[0]!.toUpperCase()}${day.slice(1)}s at ${time}`;
}

function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/**
 * The first run strictly after `after`, at the schedule's wall-clock time in
 * `timeZone`. Across DST: 09:00 stays 09:00 local (its UTC instant moves); a
 * time the clocks skip (02:30 on a spring-forward night) runs an hour later
 * that day; a time that happens twice (autumn) runs once.
 */
export function nextRunAt(schedule: Schedule, timeZone: string, after: number): number {
  let day = dayOf(after, timeZone);
  for (let i = 0; i < 9; i++, day = addDays(day, 1)) {
    const weekday = weekdayOf(day);
    if (schedule.every === "weekday" && (weekday === 0 || weekday === 6)) continue;
    if (schedule.every === "week" && weekday !== (schedule.weekday ?? 1)) continue;
    const at = localTimeMs(day, schedule.hour, schedule.minute, timeZone);
    if (at > after) return at;
  }
  throw new Error("no next run within nine days");
}
