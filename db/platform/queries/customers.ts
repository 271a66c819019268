import type { Db } from "../../client.ts";
import { stableJson } from "../../sealer.ts";
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

/**
 * Merges a customer's traits (identify semantics: new keys added, changed keys replaced).
 * Must run inside a transaction.
 */
export function upsertCustomerInTransaction(db: Db, customer: CustomerWrite): RowOutcome {
  const q = prepared(db);
  const { sealer } = db;
  const stored = q.find.get(customer.id);
  // The email and the personal traits are sealed as one value; the blind index finds it by email.
  const sealed = (email: string | null, traits: Record<string, unknown>) => ({
    ...sealer.sealCustomer(email, traits),
    emailIndex: email ? sealer.blind("email", email) : null,
  });
  if (!stored) {
    const firstSeen = customer.firstSeen ?? customer.updatedAt;
    q.insert.run({
      id: customer.id,
      ...sealed(customer.email, customer.traits),
      firstSeen,
      lastSeen: firstSeen,
      updatedAt: customer.updatedAt,
    });
    return "accepted";
  }
  if (customer.updatedAt < stored.updated_at) return "stale";
  // Compared in plain text: sealing the same value twice gives two texts (a random IV each).
  const opened = sealer.openCustomer(stored.email, stored.traits);
  const merged = { ...(JSON.parse(opened.traits) as Record<string, unknown>), ...customer.traits };
  const traits = stableJson(merged);
  const email = customer.email ?? opened.email;
  const firstSeen =
    customer.firstSeen === null ? stored.first_seen : Math.min(stored.first_seen, customer.firstSeen);
  if (traits === opened.traits && email === opened.email && firstSeen === stored.first_seen)
    return "duplicate";
  q.update.run({
    id: customer.id,
    ...sealed(email, JSON.parse(traits) as Record<string, unknown>),
    firstSeen,
    updatedAt: customer.updatedAt,
  });
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
