import type { Tables } from "../../../db/client.ts";
import type { WriteOptions } from "../../../db/platform/queries/imports.ts";
import type { DataSource } from "../../../db/platform/queries/statements.ts";
import { Registry } from "../base/registry.ts";
import type { Written } from "./group-commit.ts";
import type { MoneyPolicy } from "./money.ts";
import type { EventObserver } from "./observers.ts";
import type { DateFormat } from "./values.ts";

/** A row read into the shape a kind writes, or the sentence saying what is wrong with it. */
export type Normalized<T> = { value: T } | { error: string };

/** What normalising a row may use: the reporting zone and currency, the clock, the batch's date format. */
export interface NormalizeContext {
  timeZone: string;
  money: MoneyPolicy;
  /** When the batch arrived (HTTP) or was read. */
  receivedAt: number;
  dateFormat?: DateFormat | undefined;
  /** The pulled source the rows came from, when they did. */
  sourceId?: number | undefined;
  /** A refunded or cancelled order replaces the stored one (BatchOptions.voids). */
  voids?: boolean;
  /** What capabilities read from events as they are validated (events only). */
  observers?: readonly EventObserver[];
  /** The reporting day of an instant. */
  cutDay(ms: number): string;
  /** A required point in time; refused when more than a day in the future unless `allowFuture`. */
  time(value: unknown, field: string, allowFuture?: boolean): Normalized<number>;
  /** The same, where an empty value is allowed (null). */
  optionalTime(value: unknown, field: string, allowFuture?: boolean): Normalized<number | null>;
}

/**
 * One kind of data Lift takes in (events, orders, campaign figures, social
 * posts, …): its header aliases, how a row is validated and normalised, and how
 * a batch is written in one transaction. The ingest service, `lift import`, the
 * HTTP API and pulled sources all go through it.
 */
export interface DataKind<W = unknown> {
  /** The word in `lift import <name> FILE`. */
  name: string;
  /** Which freshness line the kind feeds. */
  source: DataSource;
  /** Header names people use for each field (lower case, spaces as underscores); the first is Lift's own. */
  aliases: Record<string, string[]>;
  /**
   * What a column no alias names becomes: a nested property (events:
   * `properties.<column>`), a trait kept under its own name (customers), or
   * nothing (listed as ignored).
   */
  otherColumns: "properties" | "traits" | "ignore";
  /** The fields, for help and README: "`id`, `customer_id`, `amount` …". */
  fields: string;
  /** The exports of known platforms (Shopify, Stripe, …), recognised by their headers. */
  profiles?: ExportProfile[];
  normalize(input: unknown, context: NormalizeContext): Normalized<W>;
  /** Who a normalised row is about (ids, email): a row about an erased person is refused. */
  identifiers?(row: W): PersonRef[];
  /** Writes a batch in one transaction: `tables` is the database, as the kind's own db/ functions take it. */
  write(tables: Tables, rows: W[], options: WriteOptions): Promise<Written>;
}

/**
 * A platform's export, recognised by its headers: which column fills which
 * field (where the alias table alone would guess wrong, as with Shopify's
 * `Name` holding the order number beside an internal `Id`), and which rows
 * carry no record of their own (a line item under its order).
 */
export interface ExportProfile {
  name: string;
  /** Recognises the export from its headers (lower case, spaces as underscores). */
  matches(headers: string[]): boolean;
  /** Header (as written in the export) → field; wins over the alias table. */
  map: Record<string, string>;
  /** A row that belongs to the previous one (same record, no figures of its own): folded, not rejected. */
  continues?(row: Record<string, unknown>, previous: Record<string, unknown> | null): boolean;
}

/** The kinds of data Lift takes in, contributed by capabilities (and the platform's own). */
export class DataKinds extends Registry<DataKind> {
  constructor() {
    super("data kind", (k) => k.name);
  }

  names(): string[] {
    return this.list().map((k) => k.name);
  }
}

/** An identifier of a person in a row a kind of data takes in (refused once the person was erased). */
export interface PersonRef {
  key: "customer" | "anonymous" | "email" | "order" | "handle";
  value: string;
}

/** One check of a batch's rows: the reason a row is refused, or null. */
export type RowGuard = (refs: readonly PersonRef[]) => string | null;

/** A check every batch of data goes through before it is written (erased people are refused). */
export interface IngestGuard {
  id: string;
  /** Made once a batch (may read the database); null when it has nothing to refuse. */
  prepare(): Promise<RowGuard | null>;
}
