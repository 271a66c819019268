import type { ChartSpec, ValueFormat } from "../charts/spec.ts";

/**
 * What every capability answers with. A Report knows nothing of Slack:
 * bot/ renders it to Block Kit, to HTML for the console and to text for the CLI.
 */
export interface Report {
  /** Which capability built it ("kpi", "funnel", "pacing", …). */
  kind: string;
  /** The stored answer's id, once a transport has shown it (buttons act on it). */
  id?: string;
  /**
   * The command the answer stands for, when it differs from what was typed (a
   * question in plain words read as `kpi revenue yesterday`): stored with the
   * answer, so buttons and thread follow-ups resolve against it.
   */
  command?: string;
  title: string;
  /** What the figures are limited to ("Paid social", "campaign Brand search"): shown wherever a reader looks. */
  scope?: string;
  /** One or two sentences a marketer can act on. */
  summary: string;
  /**
   * A language model's checked sentences, when they open the summary: Slack's assistant panel
   * has streamed them already, and shows the rest of the summary after them.
   */
  lead?: string[];
  /**
   * The question was not answered: Lift can't do it, does not measure it, was unsure how to
   * read it, or asks to confirm a change first. The summary says why and what it can do;
   * a Workflow Builder step fails with it instead of passing it on as an answer.
   */
  unanswered?: boolean;
  /** The period the figures cover, in the reporting time zone. */
  period?: ReportPeriod;
  /** How fresh the data behind it is. */
  freshness?: Freshness;
  facts: Fact[];
  table?: Table;
  charts: ChartSpec[];
  /** Posts, mentions or documents the answer rests on, each with its link. */
  quotes?: Quote[];
  actions: Action[];
  /** Things the reader must know: missing days, stale sources, partial periods. */
  warnings: string[];
  /** More for whoever wants it (a digest's details): a thread reply in Slack, folded in the console. */
  details?: string[];
  /**
   * The machine-readable result behind the answer, versioned by `schema`
   * ("kpi/1", "experiment/1"); each kind's zod schema is exported beside it.
   */
  data?: ReportData;
  /**
   * The full data behind the answer, too large for its table (a segment's
   * members): "Download CSV" streams it from its source.
   */
  download?: { source: string; key: string; filename: string };
  /**
   * What was asked names someone who is gone (an erasure): the answer is stored and remembered
   * as its `command` only, never with the words asked.
   */
  forgetAsked?: boolean;
}

export interface ReportData {
  schema: string;
  [field: string]: unknown;
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
  /** Computed on too few units to mean anything: shown without an arrow or a colour, marked "few data". */
  few?: boolean;
}

export type CellFormat = ValueFormat | "text" | "change";

export interface Column {
  key: string;
  label: string;
  format: CellFormat;
  /** For a change column: which way is good news (revenue up is, CPA up is not), so it can be coloured. */
  better?: "up" | "down" | "neither";
}

/** Raw values, formatted by the renderer per column, so a CSV keeps the exact numbers. */
export interface Table {
  columns: Column[];
  rows: (string | number | null)[][];
  /** A totals row, when adding up makes sense. */
  totals?: (string | number | null)[];
  currency?: string;
}

/** A post, mention or document an answer quotes: a link, its text, and the excerpt that matters. */
export interface Quote {
  /** Where it is (the post's link); none for a pushed post without one. */
  url?: string;
  /** What the link reads ("@ana on Mastodon", a headline). */
  text: string;
  /** The quoted words. */
  excerpt?: string;
  /** When it was written (epoch ms). */
  at?: number;
}

export interface Action {
  id: string;
  label: string;
  /** The command the action runs, in Lift's command language. */
  command: string;
  /** How the button looks: the main action, or one that destroys or cannot be undone. */
  style?: "primary" | "danger";
  /** Asked before the command runs (Slack's confirm dialog; a confirm step in the console). */
  confirm?: Confirm;
  /** The stored answer the action was shown under (set when the answer is stored). */
  answerId?: string;
}

export interface Confirm {
  title: string;
  text: string;
  /** The button that goes ahead ("Ship B"). */
  confirm: string;
  /** The button that backs out ("Cancel"). */
  deny: string;
}

/** A report with nothing in it but words: confirmations, lists. */
export function simpleReport(
  kind: string,
  title: string,
  summary: string,
  extra: Partial<Report> = {},
): Report {
  return { kind, title, summary, facts: [], charts: [], actions: [], warnings: [], ...extra };
}
