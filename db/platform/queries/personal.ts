import type Database from "better-sqlite3";
import type { Db } from "../../client.ts";
import type { PersonalTable, PersonKey } from "../../personal.ts";
import { writeAudit } from "./audit.ts";

/*
 * A person's rows in every table the personal-data maps declare: found, exported, erased in one
 * transaction, and old rows deleted by retention. The maps are data (each owner's own); the SQL
 * is built here from names checked against the database's own schema, so a stale map fails
 * loudly instead of missing a table.
 */

/** The identifiers a person is known by, each kind a set (filled in as their rows are found). */
export type PersonIds = Partial<Record<PersonKey, Set<string>>>;

/** What a handle in a trait may be called (Segment's and the shops' trait names). */
const HANDLE_TRAITS =
  /^(twitter|x|instagram|tiktok|mastodon|bluesky|threads|handle|social_handle|twitter_handle)$/i;

/** Values a statement takes at once (SQLite allows 32,766 parameters). */
export const CHUNK = 500;

export function add(ids: PersonIds, key: PersonKey, value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number") return false;
  const text = String(value);
  if (text === "") return false;
  let set = ids[key];
  if (!set) {
    set = new Set();
    ids[key] = set;
  }
  if (set.has(text)) return false;
  set.add(text);
  return true;
}

/** Checks the map's names against the schema: a table or column that is not there is an error. */
export function checkNames(sqlite: Database.Database, table: PersonalTable): void {
  const columns = new Set(
    (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table.table) as { name: string }[]).map(
      (c) => c.name,
    ),
  );
  if (columns.size === 0)
    throw new Error(`the personal-data map names a table that is not there: ${table.table}`);
  const named = [
    ...Object.keys(table.columns),
    ...Object.keys(table.findBy),
    ...Object.keys(table.yields ?? {}),
    ...(table.retention ? [table.retention.column] : []),
  ];
  for (const column of named)
    if (!columns.has(column))
      throw new Error(`the personal-data map names a column that is not there: ${table.table}.${column}`);
}

/**
 * Who `person` (an email, a customer id or an anonymous id) is: their customer ids, emails,
 * anonymous ids, handles in their traits, and names (for the caller's checks); null when Lift
 * holds nothing under it.
 */
export async function resolvePerson(
  db: Db,
  person: string,
): Promise<{ ids: PersonIds; names: string[] } | null> {
  const { sqlite } = db;
  const ids: PersonIds = {};
  const names = new Set<string>();
  type CustomerRow = { id: string; email: string | null; traits: string };
  const byCustomer = sqlite.prepare<[string, string], CustomerRow>(
    "SELECT id, email, traits FROM customers WHERE id = ? OR email_index = ?",
  );
  const take = (sealed: CustomerRow): void => {
    const row = { id: sealed.id, ...db.sealer.openCustomer(sealed.email, sealed.traits) };
    add(ids, "customer", row.id);
    if (row.email) add(ids, "email", row.email);
    let traits: Record<string, unknown> = {};
    try {
      traits = JSON.parse(row.traits) as Record<string, unknown>;
    } catch {}
    for (const [key, value] of Object.entries(traits)) {
      if (typeof value !== "string" || value.trim() === "") continue;
      if (HANDLE_TRAITS.test(key)) {
        const handle = value.trim().replace(/^@/, "");
        add(ids, "handle", handle);
        add(ids, "handle", `@${handle}`);
      }
      if (/^(name|first_?name|last_?name|full_?name)$/i.test(key)) names.add(value.trim());
      if (/^e_?mail$/i.test(key)) add(ids, "email", value.trim());
    }
  };
  const blind = (value: string) => db.sealer.blind("email", value);
  for (const row of byCustomer.all(person, blind(person))) take(row);
  // An anonymous id that was identified leads to its customer.
  for (const { user_id } of sqlite
    .prepare<[string], { user_id: string }>("SELECT user_id FROM identities WHERE anonymous_id = ?")
    .all(person)) {
    add(ids, "anonymous", person);
    add(ids, "customer", user_id);
    for (const row of byCustomer.all(user_id, blind(user_id))) take(row);
  }
  const anonymousOf = sqlite.prepare<[string], { anonymous_id: string }>(
    "SELECT anonymous_id FROM identities WHERE user_id = ?",
  );
  for (const customer of ids.customer ?? [])
    for (const { anonymous_id } of anonymousOf.all(customer)) add(ids, "anonymous", anonymous_id);
  // Someone only seen in events: a visitor never identified, or a user id with no customer row.
  if (!ids.customer && !ids.anonymous) {
    const seen = sqlite.prepare("SELECT 1 FROM people WHERE person_id = ?").get(person);
    const evented = seen ?? sqlite.prepare("SELECT 1 FROM events WHERE person_id = ? LIMIT 1").get(person);
    if (!evented) {
      if (!person.includes("@")) return null;
      add(ids, "email", person);
    } else {
      const identified = sqlite.prepare("SELECT 1 FROM events WHERE user_id = ? LIMIT 1").get(person);
      add(ids, identified ? "customer" : "anonymous", person);
    }
  }
  if (person.includes("@")) add(ids, "email", person);
  for (const key of ["customer", "anonymous"] as const)
    for (const id of ids[key] ?? []) add(ids, "person", id);
  return { ids, names: [...names] };
}

/** The strings free text is searched for: emails (any case), ids and handles. */
function needles(ids: PersonIds): string[] {
  const out = new Set<string>();
  for (const key of ["email", "customer", "anonymous", "handle"] as const)
    for (const value of ids[key] ?? []) {
      if (value.length < 4) continue;
      out.add(value);
      if (key === "email") out.add(value.toLowerCase());
    }
  return [...out];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Text that names one of `values` as a whole word (an id inside a longer id is another person). */
function namer(values: readonly string[]): { names(text: unknown): boolean; redact(text: string): string } {
  if (values.length === 0) return { names: () => false, redact: (t) => t };
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_.+@-])(?:${[...values]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|")})(?![A-Za-z0-9_@-]|\\.[A-Za-z0-9])`,
    "gi",
  );
  return {
    names: (text) => {
      if (typeof text !== "string") return false;
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    redact: (text) => text.replace(pattern, "[erased]"),
  };
}

/** A column as SQL reads it: a sealed one opened first (no index then: only small or rare lookups). */
function columnOf(table: PersonalTable, column: string): string {
  return table.sealed?.includes(column) ? `lift_open("${column}")` : `"${column}"`;
}

/** The WHERE clause of a table's rows about the person, with its parameters (null: none can be). */
function whereOf(table: PersonalTable, ids: PersonIds, values: readonly string[]) {
  const parts: string[] = [];
  const params: string[] = [];
  for (const [column, key] of Object.entries(table.findBy)) {
    const sql = columnOf(table, column);
    if (key === "text") {
      if (values.length > 0) parts.push(`lift_names_person(${sql})`);
      continue;
    }
    const set = ids[key];
    if (!set || set.size === 0) continue;
    const list = [...set];
    const lower = key === "email";
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      parts.push(`${lower ? `lower(${sql})` : sql} IN (${chunk.map(() => "?").join(", ")})`);
      params.push(...(lower ? chunk.map((v) => v.toLowerCase()) : chunk));
    }
  }
  return parts.length === 0 ? null : { sql: parts.join(" OR "), params };
}

/** Registers the person's text matchers on the connection (replaced by the next person's). */
function registerNamer(sqlite: Database.Database, values: readonly string[]): void {
  const { names, redact } = namer(values);
  sqlite.function("lift_names_person", { deterministic: true }, (text: unknown) => (names(text) ? 1 : 0));
  sqlite.function("lift_redact_person", { deterministic: true }, (text: unknown) =>
    typeof text === "string" ? redact(text) : text,
  );
}

/**
 * Follows a person's rows to the rows derived from them: an order's id finds its tombstone, a
 * person number their day sets, a send its clicks, until nothing new is found.
 */
function followYields(
  sqlite: Database.Database,
  tables: readonly PersonalTable[],
  ids: PersonIds,
  values: string[],
) {
  for (let round = 0; round < 6; round++) {
    let grew = false;
    for (const table of tables) {
      if (!table.yields) continue;
      const where = whereOf(table, ids, values);
      if (!where) continue;
      const columns = Object.keys(table.yields);
      const rows = sqlite
        .prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${table.table}" WHERE ${where.sql}`)
        .all(...where.params) as Record<string, unknown>[];
      for (const row of rows)
        for (const column of columns) if (add(ids, table.yields[column]!, row[column])) grew = true;
    }
    if (!grew) return;
  }
}

/** Every identifier of the person, derived rows followed (so export and erase see the same rows). */
export async function gatherPerson(
  db: Db,
  tables: readonly PersonalTable[],
  ids: PersonIds,
): Promise<PersonIds> {
  for (const table of tables) checkNames(db.sqlite, table);
  const values = needles(ids);
  registerNamer(db.sqlite, values);
  followYields(db.sqlite, tables, ids, values);
  return ids;
}

/** Every row about the person, table by table (JSON columns parsed). */
export async function exportPerson(
  db: Db,
  tables: readonly PersonalTable[],
  ids: PersonIds,
): Promise<{ table: string; rows: Record<string, unknown>[] }[]> {
  const values = needles(ids);
  registerNamer(db.sqlite, values);
  const out: { table: string; rows: Record<string, unknown>[] }[] = [];
  db.sqlite.transaction(() => {
    for (const table of tables) {
      const where = whereOf(table, ids, values);
      if (!where) continue;
      const rows = db.sqlite
        .prepare(`SELECT * FROM "${table.table}" WHERE ${where.sql}`)
        .all(...where.params) as Record<string, unknown>[];
      if (rows.length === 0) continue;
      // A customer's email and personal traits are sealed as one value: shown as they were given.
      if (table.table === "customers")
        for (const row of rows) {
          const opened = db.sealer.openCustomer(row["email"] as string | null, row["traits"] as string);
          row["email"] = opened.email;
          row["traits"] = opened.traits;
        }
      for (const row of rows)
        for (const [column, value] of Object.entries(row)) {
          if (typeof value !== "string") continue;
          const opened = db.sealer.open(value);
          if (table.columns[column] !== "json") {
            row[column] = opened;
            continue;
          }
          try {
            row[column] = db.sealer.openDeep(JSON.parse(opened));
          } catch {
            row[column] = opened;
          }
        }
      out.push({ table: table.table, rows });
    }
  })();
  return out;
}

export interface ErasedCounts {
  table: string;
  how: "deleted" | "anonymised" | "redacted";
  rows: number;
}

/**
 * Erases the person from every table in one transaction: rows deleted, anonymised or redacted
 * as each table's map says, then `also` (the suppression list, the audit entry) in the same
 * transaction. Secure delete is on, so freed bytes are zeroed.
 */
export async function erasePerson(
  db: Db,
  tables: readonly PersonalTable[],
  ids: PersonIds,
  audit: { at: number; actor: string; action: string; detail: (counts: ErasedCounts[]) => string },
  also: (counts: ErasedCounts[]) => void,
): Promise<ErasedCounts[]> {
  const values = needles(ids);
  registerNamer(db.sqlite, values);
  const counts: ErasedCounts[] = [];
  db.sqlite.transaction(() => {
    for (const table of tables) {
      const where = whereOf(table, ids, values);
      if (!where) continue;
      const name = `"${table.table}"`;
      let changes = 0;
      let how: ErasedCounts["how"] = "deleted";
      if (table.erase === "delete") {
        changes = db.sqlite.prepare(`DELETE FROM ${name} WHERE ${where.sql}`).run(...where.params).changes;
      } else if (table.erase === "redact") {
        how = "redacted";
        const texts = Object.entries(table.findBy).filter(([, key]) => key === "text");
        for (const [column] of texts)
          changes += db.sqlite
            .prepare(
              `UPDATE ${name} SET "${column}" = lift_redact_person("${column}") WHERE lift_names_person("${column}")`,
            )
            .run().changes;
      } else {
        how = "anonymised";
        const sets = Object.entries(table.erase.anonymise).map(([column, as]) =>
          as === "null" ? `"${column}" = NULL` : `"${column}" = 'erased-' || lower(hex(randomblob(8)))`,
        );
        changes = db.sqlite
          .prepare(`UPDATE ${name} SET ${sets.join(", ")} WHERE ${where.sql}`)
          .run(...where.params).changes;
      }
      if (changes > 0) counts.push({ table: table.table, how, rows: changes });
    }
    also(counts);
    writeAudit(db, { at: audit.at, actor: audit.actor, action: audit.action, detail: audit.detail(counts) });
  })();
  return counts;
}

/**
 * Moves what the erase freed out of the write-ahead log into the file (where secure delete
 * zeroed it) and truncates the log. `busy` when another connection still reads an older snapshot.
 */
export async function checkpointTruncate(db: Db): Promise<{ busy: boolean }> {
  const [row] = db.sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
  return { busy: (row?.busy ?? 0) !== 0 };
}
