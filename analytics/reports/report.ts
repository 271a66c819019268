import type { ChartSpec, ValueFormat } from "../charts/spec.ts";

/**
 * What every capability answers with. A Report knows nothing of Slack:
 * bot/ renders it to Block Kit, to HTML for the console and to text for the CLI.
 */
export interface Report {
  /** Which capability built it ("kpi", "funnel", "pacing", …). */
  kind: string;
  title: string;
  /** One or two sentences a marketer can act on. */
  summary: string;
  /** The period the figures cover, in the reporting time zone. */
  period?: ReportPeriod;
  /** How fresh the data behind it is. */
  freshness?: Freshness;
  facts: Fact[];
  table?: Table;
  charts: ChartSpec[];
  actions: Action[];
  /** Things the reader must know: missing days, stale sources, partial periods. */
  warnings: string[];
  /** More for whoever wants it (a digest's details): a thread reply in Slack, folded in the console. */
  details?: string[];
}

export interface ReportPeriod {
  label: string;
  from: string;
  to: string;
  timeZone: string;
  /** True when the period includes today, which is not over yet. */
  partial: boolean;
  comparison?: { label: string; from: string; to: string };
}

export interface Freshness {
  /** "Data as of 14:05 Europe/Berlin · events 3 min ago · spend through Nov 23". */
  text: string;
  stale: boolean;
  asOf: number;
}

export interface Fact {
  label: string;
  value: string;
  change?: Change;
  note?: string;
}

export interface Change {
  /** "+12.3%" */
  text: string;
  direction: "up" | "down" | "flat";
  /** Whether the move is good news for this metric (revenue up is, CPA up is not). */
  tone: "good" | "bad" | "neutral";
}

export type CellFormat = ValueFormat | "text" | "change";

export interface Column {
  key: string;
  label: string;
  format: CellFormat;
}

/** Raw values, formatted by the renderer per column, so a CSV keeps the exact numbers. */
export interface Table {
  columns: Column[];
  rows: (string | number | null)[][];
  /** A totals row, when adding up makes sense. */
  totals?: (string | number | null)[];
  currency?: string;
}

export interface Action {
  id: string;
  label: string;
  /** The command the action runs, in Lift's command language. */
  command: string;
}
