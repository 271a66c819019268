import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";

/**
 * Recomputes every stored day in `dayOf`'s time zone and rebuilds all daily
 * rollups from the raw rows, in one transaction. Used when the reporting time
 * zone changes, and by tests to check that incremental rollups match a rebuild.
 */
export async function rebuildRollups(db: Db, dayOf: (ms: number) => string): Promise<void> {
  const { sqlite } = db;
  writeTransaction(db, () => {
    for (const table of ["events", "orders", "mentions"] as const) {
      const update = sqlite.prepare(`UPDATE ${table} SET day = ? WHERE rowid = ?`);
      const rows = sqlite.prepare(`SELECT rowid AS r, timestamp AS t, day AS d FROM ${table}`).all() as {
        r: number;
        t: number;
        d: string;
      }[];
      for (const row of rows) {
        const day = dayOf(row.t);
        if (day !== row.d) update.run(day, row.r);
      }
    }
    sqlite.exec(`
      DELETE FROM daily_events;
      INSERT INTO daily_events (day, event_key, channel, count)
        SELECT day, CASE type WHEN 'track' THEN event WHEN 'page' THEN '$page' ELSE '$identify' END, channel, count(*)
        FROM events GROUP BY 1, 2, 3;
      DELETE FROM daily_people;
      INSERT INTO daily_people (day, person_no, channel, first_at)
        SELECT e.day, p.no, e.channel, e.timestamp FROM (
          SELECT day, person_id, channel, timestamp,
                 row_number() OVER (PARTITION BY day, person_id ORDER BY timestamp, channel) AS n
          FROM events) e JOIN people p ON p.person_id = e.person_id WHERE e.n = 1;
      DELETE FROM day_people;
      DELETE FROM day_versions;
      INSERT INTO day_versions (day, version) SELECT DISTINCT day, 1 FROM daily_people;
      DELETE FROM daily_orders;
      INSERT INTO daily_orders (day, channel, campaign_id, orders, revenue_minor)
        SELECT day, channel, coalesce(campaign_id, ''), count(*), sum(amount_minor) FROM orders GROUP BY 1, 2, 3;
      DELETE FROM daily_mentions;
      INSERT INTO daily_mentions (day, platform, label, count, score_sum)
        SELECT day, platform, sentiment_label, count(*), sum(sentiment_score) FROM mentions GROUP BY 1, 2, 3;
    `);
  });
}

/** Snapshot of all rollup tables, sorted: lets tests compare incremental rollups to a rebuild. */
export async function rollupSnapshot(db: Db): Promise<Record<string, unknown[]>> {
  const all = (sql: string) => db.sqlite.prepare(sql).all();
  return {
    dailyEvents: all("SELECT * FROM daily_events WHERE count <> 0 ORDER BY day, event_key, channel"),
    dailyPeople: all(
      `SELECT d.day, p.person_id, d.channel, d.first_at FROM daily_people d JOIN people p ON p.no = d.person_no
       ORDER BY d.day, p.person_id`,
    ),
    dailyOrders: all("SELECT * FROM daily_orders WHERE orders <> 0 ORDER BY day, channel, campaign_id"),
    dailyMentions: all("SELECT * FROM daily_mentions ORDER BY day, platform, label"),
  };
}
