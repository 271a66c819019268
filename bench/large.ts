import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { Random } from "../analytics/platform/demo/random.ts";
import { addDays, dayCutter, startOfDayMs } from "../analytics/platform/time/zone.ts";
import { writeCampaigns } from "../db/platform/queries/campaigns.ts";
import { type EventWrite, writeEvents } from "../db/platform/queries/events.ts";
import { CACHE, fmt, freshDb, TIME_ZONE } from "./common.ts";

const END = "2026-11-22";
/** The large workspace is read as of this morning (its last day is the day before). */
export const LARGE_NOW = Date.parse("2026-11-23T08:00:00Z");
const CHANNELS = ["organic", "paid_search", "paid_social", "email", "referral", "affiliate", null];

/**
 * Builds (once, cached in bench/.cache) a database of `events` events over 365
 * days and `people` people. It writes through db/'s writeEvents, the same
 * transaction the ingest core uses, with rows already normalised: zod
 * validation is measured by the import benchmark, not here.
 */
export async function buildLarge(events: number, people: number): Promise<string> {
  const final = join(CACHE, `kpi-${events}.db`);
  if (existsSync(final)) return final;
  const { db, path } = freshDb(`kpi-${events}.building.db`);
  const random = new Random(2026);
  const cut = dayCutter(TIME_ZONE);
  const start = startOfDayMs(addDays(END, -364), TIME_ZONE);
  const span = startOfDayMs(addDays(END, 1), TIME_ZONE) - start;
  await writeCampaigns(
    db,
    Array.from({ length: 12 }, (_, c) => ({
      id: `campaign-${c}`,
      name: `Campaign ${c}`,
      channel: CHANNELS[c % 6]!,
      startDay: addDays(END, -364),
      endDay: addDays(END, 30),
      budgetMinor: 5_000_000,
      updatedAt: 0,
      daily: null,
    })),
  );
  const daily = [];
  for (let d = 0; d < 365; d++) {
    for (let c = 0; c < 12; c++) {
      daily.push({
        id: `campaign-${c}`,
        name: null,
        channel: null,
        startDay: null,
        endDay: null,
        budgetMinor: null,
        updatedAt: 1,
        daily: {
          day: addDays(END, -d),
          impressions: 20_000,
          clicks: 400 + random.int(0, 200),
          spendMinor: 30_000 + random.int(0, 20_000),
          conversions: 20,
          revenueMinor: 150_000,
        },
      });
    }
  }
  await writeCampaigns(db, daily);
  const batchSize = 20_000;
  const t = performance.now();
  for (let written = 0; written < events; written += batchSize) {
    const batch: EventWrite[] = [];
    for (let i = written; i < Math.min(events, written + batchSize); i++) {
      const timestamp = start + Math.floor((i / events) * span);
      const r = random.next();
      const person = Math.floor(people * r * r);
      const kind = random.next();
      const channel = CHANNELS[random.int(0, CHANNELS.length - 1)] ?? null;
      const order = kind < 0.02;
      const eventKey =
        kind < 0.7 ? "$page" : order ? "Order Completed" : kind < 0.05 ? "Signed Up" : "Product Added";
      const day = cut(timestamp);
      batch.push({
        messageId: `m${i}`,
        type: eventKey === "$page" ? "page" : "track",
        event: eventKey === "$page" ? null : eventKey,
        eventKey,
        userId: person % 4 === 0 ? `u${person}` : null,
        anonymousId: person % 4 === 0 ? null : `a${person}`,
        channel,
        campaignId: channel ? `campaign-${random.int(0, 11)}` : null,
        properties: "{}",
        context: "{}",
        timestamp,
        day,
        receivedAt: timestamp,
        ...(order
          ? {
              order: {
                id: `o${i}`,
                amountMinor: 2000 + random.int(0, 15000),
                originalAmountMinor: 0,
                originalCurrency: "USD",
                timestamp,
                day,
                origin: "event" as const,
                updatedAt: timestamp,
                campaignId: null,
              },
            }
          : {}),
      });
    }
    await writeEvents(db, batch);
    if (written % 1_000_000 === 0)
      process.stderr.write(
        `\r  building ${fmt(events)}-event database: ${fmt(written)} (${fmt(written / ((performance.now() - t) / 1000))}/s)   `,
      );
  }
  process.stderr.write("\n");
  db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  db.sqlite.exec("ANALYZE");
  db.close();
  renameSync(path, final);
  return final;
}
