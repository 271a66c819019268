/*
 * What a personal-data map is: each owner's declaration of its tables' personal data (the
 * contract re-exports these; db/ reads the maps to find, export, erase and retire rows).
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
  /**
   * Columns sealed at rest (AES-256-GCM, db/sealer.ts): a value sealed whole, or JSON whose
   * personal values are. Found, exported and redacted through `lift_open`.
   */
  sealed?: string[];
  /** Rows older than the setting of this kind are deleted (by this column, ms since the epoch). */
  retention?: { kind: RetentionKind; column: string };
  /** Columns whose names look personal but are not, each with why. */
  notPersonal?: Record<string, string>;
}
