import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";
import { writeTransaction } from "../write.ts";

const prepared = preparedFor((sqlite) => ({
  purge: sqlite.prepare("DELETE FROM webhook_events WHERE received_at < ?"),
  claim: sqlite.prepare(
    "INSERT OR IGNORE INTO webhook_events (provider, event_id, topic, received_at) VALUES (?, ?, ?, ?)",
  ),
  release: sqlite.prepare("DELETE FROM webhook_events WHERE provider = ? AND event_id = ?"),
  byEmail: sqlite.prepare<[string], { id: string }>(
    "SELECT id FROM customers WHERE email_index = ? ORDER BY updated_at DESC LIMIT 1",
  ),
}));

let lastPurge = 0;

/**
 * Claims webhook deliveries by their ids, in one transaction: for each, true the first time,
 * false when it was taken before. Deliveries older than 30 days are forgotten, at most once an
 * hour (Shopify and Stripe retry for at most 3 days).
 */
export async function claimWebhooks(
  tables: Tables,
  deliveries: readonly { provider: string; eventId: string; topic: string }[],
  now: number,
): Promise<boolean[]> {
  const db = dbOf(tables);
  const q = prepared(db);
  return writeTransaction(db, () => {
    if (now - lastPurge > 3_600_000) {
      lastPurge = now;
      q.purge.run(now - 30 * 86_400_000);
    }
    return deliveries.map((d) => q.claim.run(d.provider, d.eventId, d.topic, now).changes > 0);
  });
}

/** Gives claims back when writing the deliveries failed, so the platforms' retries are taken. */
export async function releaseWebhooks(
  tables: Tables,
  deliveries: readonly { provider: string; eventId: string }[],
): Promise<void> {
  const db = dbOf(tables);
  const q = prepared(db);
  writeTransaction(db, () => {
    for (const d of deliveries) q.release.run(d.provider, d.eventId);
  });
}

/** Customer ids by lower-case email, for the emails given (orders are merged with customers by email). */
export async function customerIdsByEmail(
  tables: Tables,
  emails: readonly string[],
): Promise<Map<string, string>> {
  const db = dbOf(tables);
  const statement = prepared(db).byEmail;
  const found = new Map<string, string>();
  for (const email of new Set(emails.map((e) => e.toLowerCase()))) {
    const row = statement.get(db.sealer.blind("email", email));
    if (row) found.set(email, row.id);
  }
  return found;
}
