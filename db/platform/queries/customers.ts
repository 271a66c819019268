import type { Db } from "../../client.ts";
import type { WriteOptions } from "./imports.ts";
import { preparedFor, type RowOutcome, type WriteCounts, writeEach } from "./statements.ts";

export interface CustomerWrite {
  id: string;
  email: string | null;
  traits: Record<string, unknown>;
  /** When the customer was first seen, if the source knows (a signup date). */
  firstSeen: number | null;
  updatedAt: number;
}

interface StoredCustomer {
  email: string | null;
  traits: string;
  first_seen: number;
  last_seen: number;
  updated_at: number;
}

const prepared = preparedFor((sqlite) => ({
  find: sqlite.prepare<[string], StoredCustomer>(
    "SELECT email, traits, first_seen, last_seen, updated_at FROM customers WHERE id = ?",
  ),
  insert: sqlite.prepare(
    `INSERT INTO customers (id, email, email_index, traits, first_seen, last_seen, updated_at)
     VALUES (@id, @email, @emailIndex, @traits, @firstSeen, @lastSeen, @updatedAt)`,
  ),
  update: sqlite.prepare(
    `UPDATE customers SET email = @email, email_index = @emailIndex, traits = @traits, first_seen = @firstSeen,
       updated_at = @updatedAt
     WHERE id = @id`,
  ),
  seen: sqlite.prepare(
    `INSERT INTO customers (id, email, traits, first_seen, last_seen, updated_at) VALUES (?, NULL, '{}', ?, ?, 0)
     ON CONFLICT (id) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen)`,
  ),
}));

function stableJson(value: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key];
  return JSON.stringify(sorted);
}

/**
 * Merges a customer's traits (identify semantics: new keys added, changed keys replaced).
 * Must run inside a transaction.
 */
export function upsertCustomerInTransaction(db: Db, customer: CustomerWrite): RowOutcome {
  const q = prepared(db);
  const { sealer } = db;
  const stored = q.find.get(customer.id);
  const sealed = (email: string | null, traits: string) => ({
    email: sealer.sealNullable(email),
    emailIndex: email ? sealer.blind("email", email) : null,
    traits: sealer.sealJsonText(traits, true),
  });
  if (!stored) {
    const firstSeen = customer.firstSeen ?? customer.updatedAt;
    q.insert.run({
      id: customer.id,
      ...sealed(customer.email, stableJson(customer.traits)),
      firstSeen,
      lastSeen: firstSeen,
      updatedAt: customer.updatedAt,
    });
    return "accepted";
  }
  if (customer.updatedAt < stored.updated_at) return "stale";
  // Compared in plain text: sealing the same value twice gives two texts (a random IV each).
  const storedTraits = sealer.openJsonText(stored.traits);
  const storedEmail = sealer.openNullable(stored.email);
  const traits = stableJson({
    ...(JSON.parse(storedTraits) as Record<string, unknown>),
    ...customer.traits,
  });
  const email = customer.email ?? storedEmail;
  const firstSeen =
    customer.firstSeen === null ? stored.first_seen : Math.min(stored.first_seen, customer.firstSeen);
  if (traits === storedTraits && email === storedEmail && firstSeen === stored.first_seen) return "duplicate";
  q.update.run({ id: customer.id, ...sealed(email, traits), firstSeen, updatedAt: customer.updatedAt });
  return "updated";
}

/** Records that a known user was active at `timestamp` (creates the customer on first sight). */
export function markCustomerSeenInTransaction(db: Db, id: string, first: number, last: number): void {
  prepared(db).seen.run(id, first, last);
}

export async function writeCustomers(
  db: Db,
  rows: CustomerWrite[],
  options?: WriteOptions,
): Promise<{ counts: WriteCounts; outcomes: RowOutcome[] }> {
  return writeEach(db, rows, options, "customers", upsertCustomerInTransaction);
}
