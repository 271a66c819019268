/**
 * Numbers for people, formatted once and reused by Block Kit, HTML and text.
 * Locale en-US throughout, so a figure reads the same in every transport.
 */

const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compactCounts = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatCount(value: number, options: { compact?: boolean } = {}): string {
  return options.compact && Math.abs(value) >= 10_000 ? compactCounts.format(value) : counts.format(value);
}

/** A count and its noun: "1 row", "1,204 rows" (nouns that add an s). */
export function formatCountOf(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? "" : "s"}`;
}

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}:${compact}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : {}),
    });
    moneyFormats.set(key, format);
  }
  return format;
}

const decimalsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3), from the platform's ICU data. */
export function currencyDecimals(currency: string): number {
  let decimals = decimalsCache.get(currency);
  if (decimals === undefined) {
    decimals = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits as number;
    decimalsCache.set(currency, decimals);
  }
  return decimals;
}

/** Minor units → major units of the currency: 123456 cents → 1234.56 dollars, ¥1500 → 1500. */
export function toMajorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyDecimals(currency);
}

/** Minor units (cents) → "$1,234.56"; compact → "$1.2K" for large amounts. */
export function formatMoney(minor: number, currency: string, options: { compact?: boolean } = {}): string {
  const major = toMajorUnits(minor, currency);
  return moneyFormat(currency, Boolean(options.compact) && Math.abs(major) >= 10_000).format(major);
}

/** A ratio (0.034) → "3.4%". */
export function formatPercent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A relative change (0.123) → "+12.3%", (−0.05) → "−5.0%". */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  const text = `${Math.abs(ratio * 100).toFixed(Math.abs(ratio) >= 10 ? 0 : 1)}%`;
  if (ratio > 0) return `+${text}`;
  if (ratio < 0) return `−${text}`;
  return "±0%";
}

/** A multiple (3.24) → "3.24×". */
export function formatMultiple(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** "2026-11-01" → "Nov 1, 2026"; with `short`, "Nov 1". */
export function formatDay(day: string, options: { short?: boolean } = {}): string {
  const date = new Date(`${day}T12:00:00Z`);
  return date.toLocaleDateString("en-US", {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    ...(options.short ? {} : { year: "numeric" }),
  });
}

/** A day range for people: "Oct 25 – Nov 23, 2026", or one day. */
export function formatDayRange(from: string, to: string): string {
  if (from === to) return formatDay(from);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${formatDay(from, { short: sameYear })} – ${formatDay(to)}`;
}

/** How long ago, roughly: "3 min ago", "5 h ago", "2 days ago". */
export function formatAgo(ms: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - ms) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
