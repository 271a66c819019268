import { AppError } from "../base/errors.ts";
import { addDays, addMonths, endOfMonth, startOfMonth, weekday } from "../time/zone.ts";
import { type ComparisonSpec, type PeriodSpec, parsePeriod, quarterStart, WORD_NUMBERS } from "./periods.ts";

export const NUMBER = `(\\d{1,4}|${Object.keys(WORD_NUMBERS).join("|")})`;
export const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH_WORD = `(${MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join("|")})`;

function monthRange(monthIndex: number, year: number | null, today: string): PeriodSpec {
  const thisYear = Number(today.slice(0, 4));
  let y = year ?? thisYear;
  const first = `${y}-${String(monthIndex + 1).padStart(2, "0")}-01`;
  // "october" means the latest October that has begun.
  if (year === null && first > today) y -= 1;
  const start = `${y}-${String(monthIndex + 1).padStart(2, "0")}-01`;
  if (start === startOfMonth(today)) return { kind: "this_month" };
  return { kind: "range", from: start, to: endOfMonth(start) };
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const QUARTER_WORD = "(q[1-4]|first quarter|second quarter|third quarter|fourth quarter)";

/** "q3" or "third quarter" → 1..4. */
const quarterIndex = (word: string) =>
  word.startsWith("q")
    ? Number(word[1])
    : ["first", "second", "third", "fourth"].indexOf(word.split(" ")[0]!) + 1;

function quarterRange(quarter: number, year: number | null, today: string): PeriodSpec {
  let y = year ?? Number(today.slice(0, 4));
  const first = (yy: number) => `${yy}-${String((quarter - 1) * 3 + 1).padStart(2, "0")}-01`;
  // "q3" means the latest third quarter that has begun.
  if (year === null && first(y) > today) y -= 1;
  const start = first(y);
  const end = endOfMonth(addMonths(start, 2));
  if (start <= today && today <= end) return { kind: "this_quarter" };
  return { kind: "range", from: start, to: end };
}

/** A named month or quarter as a plain range of days, for a comparison ("vs october"). */
function namedRange(spec: PeriodSpec, today: string): { from: string; to: string } {
  if (spec.kind === "range") return { from: spec.from, to: spec.to };
  const start = spec.kind === "this_month" ? startOfMonth(today) : quarterStart(today);
  return { from: start, to: addDays(today, -1) < start ? start : addDays(today, -1) };
}

export const n = (word: string) => (/^\d+$/.test(word) ? Number(word) : (WORD_NUMBERS[word] ?? Number.NaN));

// Long on purpose: a table of period patterns, one entry per phrasing.
export function periodPatterns(today: string): [RegExp, (m: RegExpExecArray) => PeriodSpec | null][] {
  const b = "(?:^|\\s)";
  const e = "(?=\\s|$)";
  return [
    [
      new RegExp(
        `${b}(?:from |between )?(\\d{4}-\\d{2}-\\d{2}) ?(?:\\.\\.|to|and|until|through|–|-) ?(\\d{4}-\\d{2}-\\d{2})${e}`,
      ),
      (m) => ({ kind: "range", from: m[1]!, to: m[2]! }),
    ],
    [
      new RegExp(`${b}since (\\d{4}-\\d{2}-\\d{2})${e}`),
      (m) => ({ kind: "range", from: m[1]!, to: addDays(today, -1) }),
    ],
    [
      new RegExp(`${b}(?:on )?(\\d{4}-\\d{2}-\\d{2})${e}`),
      (m) => ({ kind: "range", from: m[1]!, to: m[1]! }),
    ],
    [
      new RegExp(
        `${b}(?:in |over |during |for |of )?(?:the )?(?:last|past|previous|trailing|prior) ${NUMBER} ?(calendar )?(days?|d|weeks?|wks?|w|months?|mos?|m)${e}`,
      ),
      (m) => {
        const count = n(m[1]!);
        if (!(count >= 1)) return null;
        const unit = m[3]!.startsWith("d") ? "days" : m[3]!.startsWith("w") ? "weeks" : "months";
        const period = parsePeriod(`last ${count} ${m[2] ?? ""}${unit}`);
        if (!period) {
          throw new AppError("invalid_input", `“last ${count} ${unit}” is longer than Lift answers for`, {
            hint: "up to 10 years: 3,660 days, 520 weeks or 120 months",
          });
        }
        return period;
      },
    ],
    [new RegExp(`${b}(\\d{1,4})(d|w|m)${e}`), (m) => parsePeriod(`${m[1]}${m[2]}`)],
    [
      new RegExp(`${b}(?:over |in |during |for )?(?:the )?past (week|month|year)${e}`),
      (m) =>
        m[1] === "week"
          ? { kind: "last_days", n: 7 }
          : m[1] === "month"
            ? { kind: "last_days", n: 30 }
            : { kind: "last_days", n: 365 },
    ],
    [
      // "on friday", "last tuesday": the latest such day before today.
      new RegExp(
        `${b}(?:on |for |last |this past |past )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)${e}`,
      ),
      (m) => {
        const wanted = WEEKDAYS.indexOf(m[1]!) + 1;
        const back = (weekday(today) - wanted + 7) % 7 || 7;
        const day = addDays(today, -back);
        return { kind: "range", from: day, to: day };
      },
    ],
    [
      // The latest whole weekend (Saturday and Sunday) before today.
      new RegExp(`${b}(?:over |on |for |during |at )?(?:the |this )?(?:last |past |previous )?weekend${e}`),
      () => {
        const sunday = addDays(today, -weekday(today)); // ISO weekday: Monday 1 … Sunday 7
        return { kind: "range", from: addDays(sunday, -1), to: sunday };
      },
    ],
    [new RegExp(`${b}(?:for |of |on )?(?:so far )?today(?:'s| so far)?${e}`), () => ({ kind: "today" })],
    [new RegExp(`${b}(?:for |of |on )?yesterday(?:'s)?${e}`), () => ({ kind: "yesterday" })],
    [
      new RegExp(
        `${b}(?:for |in |of )?(?:this|the current) (week|month|quarter|year)(?: so far| to date)?${e}`,
      ),
      (m) => ({ kind: `this_${m[1]}` as "this_week" | "this_month" | "this_quarter" | "this_year" }),
    ],
    [
      new RegExp(`${b}(wtd|mtd|qtd|ytd|week to date|month to date|quarter to date|year to date)${e}`),
      (m) => parsePeriod(m[1]!),
    ],
    [
      new RegExp(`${b}(?:for |in |of |during )?(?:the )?(?:last|previous|prior) (week|month|quarter)${e}`),
      (m) => ({ kind: `last_${m[1]}` as "last_week" | "last_month" | "last_quarter" }),
    ],
    [
      new RegExp(`${b}(?:for |in |of |during )?(?:the )?(?:last|previous|prior) year${e}`),
      () => {
        const year = Number(today.slice(0, 4)) - 1;
        return { kind: "range", from: `${year}-01-01`, to: `${year}-12-31` };
      },
    ],
    [
      new RegExp(`${b}(?:in |for |during |of )?(?:the )?${QUARTER_WORD}(?: of)?(?: (\\d{4}))?${e}`),
      (m) => quarterRange(quarterIndex(m[1]!), m[2] ? Number(m[2]) : null, today),
    ],
    [
      new RegExp(`${b}(?:in |for |during |of )?${MONTH_WORD}(?: (\\d{4}))?${e}`),
      (m) => {
        const word = m[1]!;
        const index = MONTHS.findIndex((month) => month === word || month.slice(0, 3) === word);
        // "may" alone is too common a word to be a month without a year or a preposition.
        if (word === "may" && !m[2] && !/^\s*(in|for|during|of)\s/.test(m[0])) return null;
        return index < 0 ? null : monthRange(index, m[2] ? Number(m[2]) : null, today);
      },
    ],
  ];
}

const VERSUS = "(?:vs\\.?|versus|compared (?:to|with)|against)";

export const comparisons = (today: string): [RegExp, (m: RegExpExecArray) => ComparisonSpec | null][] => [
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against|than) (?:the )?same (?:day|weekday|days|time|hours) (?:of |on )?(?:last week|a week (?:before|earlier|ago)|the week before)(?=\s|$)/,
    () => "week_before",
  ],
  [
    new RegExp(
      `(?:^|\\s)${VERSUS} (\\d{4}-\\d{2}-\\d{2}) ?(?:\\.\\.|to|–|-) ?(\\d{4}-\\d{2}-\\d{2})(?=\\s|$)`,
    ),
    (m) => ({ from: m[1]!, to: m[2]! }),
  ],
  [
    new RegExp(`(?:^|\\s)${VERSUS} (?:the )?(?:in )?${QUARTER_WORD}(?: of)?(?: (\\d{4}))?(?=\\s|$)`),
    (m) => namedRange(quarterRange(quarterIndex(m[1]!), m[2] ? Number(m[2]) : null, today), today),
  ],
  [
    new RegExp(`(?:^|\\s)${VERSUS} (?:in )?${MONTH_WORD}(?: (\\d{4}))?(?=\\s|$)`),
    (m) => {
      const index = MONTHS.findIndex((month) => month === m[1] || month.slice(0, 3) === m[1]);
      return index < 0 ? null : namedRange(monthRange(index, m[2] ? Number(m[2]) : null, today), today);
    },
  ],
  [
    /(?:^|\s)(?:no comparison|without comparison|don't compare|do not compare|uncompared)(?=\s|$)/,
    () => "none",
  ],
  [/(?:^|\s)(?:yoy|year over year|year-over-year)(?=\s|$)/, () => "last_year"],
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against|over) (?:the )?(?:same (?:period|days|time|day|week|month|quarter) )?(?:last|previous|prior) year(?=\s|$)/,
    () => "last_year",
  ],
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against) (?:the )?(?:previous|prior|last|preceding) (?:period|days|weeks|months|week|month|quarter|day)(?=\s|$)/,
    () => "previous",
  ],
  [
    /(?:^|\s)(?:vs\.?|versus|compared (?:to|with)|against) (?:the )?(?:period|days|day|week|weeks|month|months|quarter) before(?=\s|$)/,
    () => "previous",
  ],
  [/(?:^|\s)(?:vs\.?|versus|compared (?:to|with)) (?:yesterday|the day before)(?=\s|$)/, () => "previous"],
  [/(?:^|\s)(?:wow|week over week|mom|month over month|dod|day over day)(?=\s|$)/, () => "previous"],
];

/** The first period named in a text ("last 7 days", "in October"), and the text without it. */
export function findPeriod(text: string, today: string): { period: PeriodSpec; text: string } | null {
  const found = extract(` ${text.toLowerCase()} `, periodPatterns(today));
  return found ? { period: found.value, text: found.text.replace(/\s+/g, " ").trim() } : null;
}

export interface Extraction<T> {
  value: T;
  text: string;
}

/** Finds the first match of any pattern, returns its value and the text without it. */
export function extract<T>(
  text: string,
  patterns: [RegExp, (m: RegExpExecArray) => T | null][],
): Extraction<T> | null {
  for (const [pattern, read] of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const value = read(match);
    if (value === null) continue;
    return { value, text: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}` };
  }
  return null;
}
