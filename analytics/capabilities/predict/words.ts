import { AppError } from "../../platform/base/errors.ts";
import { quarterStart } from "../../platform/metrics/periods.ts";
import { addDays, addMonths, endOfMonth, startOfMonth } from "../../platform/time/zone.ts";

/** How far a forecast looks: a number of days from today, or a calendar period to total. */
export type Horizon =
  | { kind: "days"; days: number; text: string }
  | { kind: "period"; label: string; from: string; to: string; text: string };

const MONTH_NAMES = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

function monthLabel(day: string): string {
  return MONTH_NAMES.format(new Date(`${day}T00:00:00Z`));
}

/** The most a forecast looks ahead: a year of days (the history it learns from is at most a year). */
export const MAX_HORIZON_DAYS = 366;

/** The horizon phrases ("next 30 days", "next month", "this quarter", "by the end of the year"), each with what it means on a day. */
const HORIZONS: [RegExp, (m: RegExpExecArray, today: string) => Horizon][] = [
  [
    /\s(?:for |over )?(?:the )?next (\d{1,3}) (days?|weeks?|months?)\s/,
    (m) => {
      const n = Number(m[1]);
      const days = m[2]!.startsWith("day") ? n : m[2]!.startsWith("week") ? 7 * n : 30 * n;
      return { kind: "days", days, text: `next ${n} ${m[2]}` };
    },
  ],
  [/\s(?:for |over )?(?:the )?next week\s/, () => ({ kind: "days", days: 7, text: "next week" })],
  [
    /\s(?:for |in )?next month\s/,
    (_, today) => {
      const from = addMonths(startOfMonth(today), 1);
      return { kind: "period", label: monthLabel(from), from, to: endOfMonth(from), text: "next month" };
    },
  ],
  [
    /\s(?:(?:for |by |at )?(?:the )?(?:end of (?:the |this )?month|month end|rest of (?:the |this )?month)|this month)\s/,
    (_, today) => ({
      kind: "period",
      label: monthLabel(today),
      from: startOfMonth(today),
      to: endOfMonth(today),
      text: "this month",
    }),
  ],
  [
    /\s(?:(?:for |by |at )?(?:the )?(?:end of (?:the |this )?quarter|quarter end|rest of (?:the |this )?quarter)|this quarter|(?:in )?q([1-4]))\s/,
    (m, today) => {
      const start = quarterStart(today);
      const q = Math.floor(Number(start.slice(5, 7)) / 3) + 1;
      if (m[1] && Number(m[1]) !== q)
        throw new AppError("invalid_input", `Lift forecasts the quarter it is in (Q${q})`, {
          hint: "ask about `this quarter`, `next month` or `next 90 days`",
        });
      const to = addDays(addMonths(start, 3), -1);
      return { kind: "period", label: `Q${q} ${start.slice(0, 4)}`, from: start, to, text: "this quarter" };
    },
  ],
  [
    /\s(?:(?:for |by |at )?(?:the )?(?:end of (?:the |this )?year|year end|rest of (?:the |this )?year)|this year)\s/,
    (_, today) => ({
      kind: "period",
      label: today.slice(0, 4),
      from: `${today.slice(0, 4)}-01-01`,
      to: `${today.slice(0, 4)}-12-31`,
      text: "this year",
    }),
  ],
];

function padded(words: string): string {
  return ` ${words.toLowerCase().replace(/\s+/g, " ").trim()} `;
}

/** The horizon phrase in the words, as written, and the words without it (nothing read yet: ask hands the phrase on). */
export function splitHorizon(words: string): { phrase: string | null; rest: string } {
  const text = padded(words);
  for (const [pattern] of HORIZONS) {
    const m = pattern.exec(text);
    if (m) return { phrase: m[0].trim(), rest: text.replace(m[0], " ").trim() };
  }
  return { phrase: null, rest: text.trim() };
}

/** The horizon the words name, and the words without it; next 30 days when none is named. */
export function readHorizon(words: string, today: string): { horizon: Horizon; rest: string } {
  const text = padded(words);
  for (const [pattern, make] of HORIZONS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const horizon = make(m, today);
    if (horizon.kind === "days" && (horizon.days < 1 || horizon.days > MAX_HORIZON_DAYS))
      throw new AppError("invalid_input", `Lift forecasts 1 to ${MAX_HORIZON_DAYS} days ahead`, {
        hint: "e.g. `forecast revenue next 30 days`",
      });
    return { horizon, rest: text.replace(m[0], " ").trim() };
  }
  return { horizon: { kind: "days", days: 30, text: "next 30 days" }, rest: text.trim() };
}

/** The days a horizon forecasts, from today: the first is today. */
export function horizonDays(horizon: Horizon, today: string): { from: string; to: string; days: number } {
  if (horizon.kind === "days")
    return { from: today, to: addDays(today, horizon.days - 1), days: horizon.days };
  const from = horizon.from > today ? horizon.from : today;
  const days = Math.round((Date.parse(horizon.to) - Date.parse(today)) / 86_400_000) + 1;
  return { from, to: horizon.to, days };
}

const SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};

/** "$1M", "1.2 million", "250k", "€50,000", "5000": the amount, and the words without it. */
export function readAmount(words: string): { amount: number; rest: string } | null {
  const m =
    /(?:^|\s)[$€£¥]?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(k|m|mm|mn|million|thousand|bn|b|billion)?(?=\s|$|[?!.,])/i.exec(
      words,
    );
  if (!m) return null;
  const amount = Number(m[1]!.replace(/,/g, "")) * (m[2] ? SCALES[m[2].toLowerCase()]! : 1);
  if (!Number.isFinite(amount) || amount <= 0) return null;
  return { amount, rest: words.replace(m[0], " ").replace(/\s+/g, " ").trim() };
}

/** "for paid search", "for campaign brand-search": a filter in the words the commands read back. */
export function scopeWords(filter: {
  channel?: string | undefined;
  campaignId?: string | undefined;
}): string {
  return [
    filter.channel ? `for ${filter.channel.replace(/_/g, " ")}` : "",
    filter.campaignId ? `for campaign ${filter.campaignId}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}
