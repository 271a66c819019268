import type { ChartSpec } from "../charts/spec.ts";
import type { Action, Fact, Quote } from "../reports/report.ts";
import { addDays, startOfDayMs } from "../time/zone.ts";

/** An alert rule as stored: its kind, and whatever that kind reads from the phrase. */
export interface AlertRule {
  kind: string;
  [field: string]: unknown;
}

/**
 * What an alert watches, as the capability that owns it names it: a metric
 * (`{kind: "metric", id: "revenue", channel: "email"}`), a topic of mentions,
 * an experiment. Context providers say what else moved around it, and leave out
 * what is the alert's own subject.
 */
export interface AlertSubject {
  kind: string;
  id: string;
  /** A channel the subject is limited to. */
  channel?: string;
}

/** The stretch of time an evaluation judged: reporting days, and the instants they span. */
export interface AlertWindow {
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

export interface Evaluation {
  /**
   * firing: the rule is breached; ok: it is not; stale: the data the rule needs
   * stopped arriving, so it cannot be judged (never a fake drop); unknown: not
   * enough data to tell, which changes nothing.
   */
  state: "firing" | "ok" | "stale" | "unknown";
  /** Which period was judged ("2026-11-23", "2026-11-17..2026-11-23"): part of the incident key. */
  period: string;
  /**
   * Which incident a firing state is, when a kind has several ("winner",
   * "srm"): a change of label resolves the old incident and opens the new one.
   */
  label?: string;
  headline: string;
  facts: Fact[];
  charts?: ChartSpec[];
  quotes?: Quote[];
  /** Buttons the kind adds to its message ("Ship B", "Show posts"), before mute and delete. */
  actions?: Action[];
  window?: AlertWindow;
  subject?: AlertSubject;
}

/** Every `everyMs`, `offsetMs` past the multiple (hourly at :05 is everyMs 1 h, offset 5 min). */
export function every(everyMs: number, offsetMs = 0): (after: number) => number {
  return (after) => Math.floor((after - offsetMs) / everyMs) * everyMs + everyMs + offsetMs;
}

/** An alert phrase as the alert kinds read it: lower case, single spaces, a space at each end. */
export function phrase(text: string): string {
  return ` ${text.toLowerCase().replace(/\s+/g, " ").trim()} `;
}

/** The window an alert judged, as days and instants, for the context providers. */
export function dayWindow(from: string, to: string, timeZone: string): AlertWindow {
  return { from, to, fromMs: startOfDayMs(from, timeZone), toMs: startOfDayMs(addDays(to, 1), timeZone) };
}
