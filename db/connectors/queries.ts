import { dbOf, type Tables } from "../client.ts";
import { writeTransaction } from "../write.ts";

/**
 * Claims a webhook delivery by its id: true the first time, false when it was taken before.
 * Deliveries older than 30 days are forgotten (Shopify and Stripe retry for at most 3 days).
 */
export async function claimWebhook(
  tables: Tables,
  delivery: { provider: string; eventId: string; topic: string },
  now: number,
): Promise<boolean> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    db.sqlite.prepare("DELETE FROM webhook_events WHERE received_at < ?").run(now - 30 * 86_400_000);
    return (
      db.sqlite
        .prepare(
          "INSERT OR IGNORE INTO webhook_events (provider, event_id, topic, received_at) VALUES (?, ?, ?, ?)",
        )
        .run(delivery.provider, delivery.eventId, delivery.topic, now).changes > 0
    );
  });
}

/** Gives a claim back when writing the delivery failed, so the platform's retry is taken. */
export async function releaseWebhook(tables: Tables, provider: string, eventId: string): Promise<void> {
  dbOf(tables)
    .sqlite.prepare("DELETE FROM webhook_events WHERE provider = ? AND event_id = ?")
    .run(provider, eventId);
}

/** Customer ids by lower-case email, for the emails given (orders are merged with customers by email). */
export async function customerIdsByEmail(
  tables: Tables,
  emails: readonly string[],
): Promise<Map<string, string>> {
  const statement = dbOf(tables).sqlite.prepare<[string], { id: string }>(
    "SELECT id FROM customers WHERE lower(email) = ? ORDER BY updated_at DESC LIMIT 1",
  );
  const found = new Map<string, string>();
  for (const email of new Set(emails.map((e) => e.toLowerCase()))) {
    const row = statement.get(email);
    if (row) found.set(email, row.id);
  }
  return found;
}
