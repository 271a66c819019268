/*
 * Personal data, as each owner declares it: which of its tables and columns hold something
 * about a person, how a person's rows are found, and what erasing them means. The platform reads
 * these maps to export and erase a person everywhere in one transaction, to delete old rows
 * by retention, and a test fails when a column that looks personal is declared nowhere.
 */

/**
 * What a person is known by. `customer`: a customer (user) id; `anonymous`: a visitor's
 * anonymous id; `person`: either (events and members are keyed by the one the person has);
 * `email`; `handle`: a social handle (`@grace`); the rest are rows found through a person's
 * (their orders, person numbers, mentions, sends, stored answers), so derived rows follow.
 */
export type PersonKey =
  | "customer"
  | "anonymous"
  | "person"
  | "email"
  | "handle"
  | "personNo"
  | "order"
  | "mention"
  | "send"
  | "answer";

/** What a personal column holds (for the export's and the scan's sake). */
export type PersonalKind = "id" | "email" | "name" | "handle" | "phone" | "address" | "ip" | "text" | "json";

/** The kinds of data a retention setting covers (days, one setting each). */
export type RetentionKind = "events" | "mentions" | "sends" | "answers";

export interface PersonalTable {
  table: string;
  /** The columns about a person and what each holds. */
  columns: Record<string, PersonalKind>;
  /**
   * How a person's rows are found: column → the identifier it holds. A `text` finder matches
   * free text (a stored answer, an error) that names the person's email or ids.
   */
  findBy: Record<string, PersonKey | "text">;
  /** Found rows give these identifiers to the tables after (an order's id finds its tombstone). */
  yields?: Record<string, PersonKey>;
  /**
   * Erasing a person's rows: deleted; kept with these columns replaced (`null`, or `token`: a
   * random stand-in, for keys that must stay unique); or (`redact`) the text naming the person
   * replaced by "[erased]", the rest kept (an audit entry).
   */
  erase: "delete" | "redact" | { anonymise: Record<string, "null" | "token"> };
  /** Rows older than the setting of this kind are deleted (by this column, ms since the epoch). */
  retention?: { kind: RetentionKind; column: string };
  /** Columns whose names look personal but are not, each with why. */
  notPersonal?: Record<string, string>;
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
