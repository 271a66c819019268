import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { Random } from "../analytics/demo/random.ts";
import { addDays, dayCutter, startOfDayMs } from "../analytics/time/zone.ts";
import { openDatabase } from "../db/client.ts";
import { writeCampaigns } from "../db/queries/campaigns.ts";
import { type EventWrite, writeEvents } from "../db/queries/events.ts";
import { figuresFromRaw } from "../db/queries/metrics.ts";
import { CACHE, coreOn, fmt, freshDb, medianMs, TIME_ZONE } from "./common.ts";

const END = "2026-11-22";
const NOW = Date.parse("2026-11-23T08:00:00Z");
const CHANNELS = ["organic", "paid_search", "paid_social", "email", "referral", "affiliate", null];

/**
 * Builds (once, cached in bench/.cache) a database of `events` events over 365
 * days and `people` people. It writes through db/'s writeEvents, the same
 * transaction the ingest core uses, with rows already normalised: zod
 * validation is measured by the import benchmark, not here.
 */
async function buildLarge(events: number, people: number): Promise<string> {
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

/** KPI answers on a large database: from rollups, against the same figures from a raw scan. */
export async function benchKpi(events: number, people: number) {
  const path = await buildLarge(events, people);
  const db = openDatabase(path);
  const core = coreOn(db, () => NOW);
  const period = { kind: "last_days" as const, n: 30 };
  const sums = await medianMs(5, () =>
    core.kpiReport({
      metrics: ["pageviews", "signups", "orders", "revenue", "aov", "spend", "roas"],
      period,
      compare: "previous",
      by: "none",
      filter: {},
    }),
  );
  const byChannel = await medianMs(5, () =>
    core.kpiReport({
      metrics: ["orders", "revenue", "spend", "roas"],
      period,
      compare: "previous",
      by: "channel",
      filter: {},
    }),
  );
  const visitors = await medianMs(3, () =>
    core.kpiReport({
      metrics: ["visitors", "conversion_rate"],
      period,
      compare: "none",
      by: "none",
      filter: {},
    }),
  );
  // The whole daily and weekly digest: KPIs, channels, campaigns, the anomaly scan (visitors and
  // orders, total and 8 channels, 57 days each) and open alerts.
  const daily = await medianMs(3, () => core.schedules.digestNow("daily"));
  const weekly = await medianMs(3, () => core.schedules.digestNow("weekly"));
  const from = addDays(END, -29);
  const window = { fromMs: startOfDayMs(from, TIME_ZONE), toMs: startOfDayMs(addDays(END, 1), TIME_ZONE) };
  const raw = await medianMs(1, () => figuresFromRaw(db, window, { from, to: END }, "none"));
  const total = (db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  const distinct = (db.sqlite.prepare("SELECT count(*) AS n FROM people").get() as { n: number }).n;
  db.close();
  const scale = `${fmt(total)} events, ${fmt(distinct)} people, 365 days`;
  return [
    {
      name: "KPI counts & sums, last 30 days vs previous",
      ratio: sums / raw,
      goal: "< 50 ms",
      detail: `${fmt(sums, 1)} ms from rollups ÷ ${fmt(raw)} ms raw scan (${scale})`,
      ms: sums,
    },
    {
      name: "KPI by channel, last 30 days vs previous",
      ratio: byChannel / raw,
      goal: "< 50 ms",
      detail: `${fmt(byChannel, 1)} ms ÷ ${fmt(raw)} ms raw scan`,
      ms: byChannel,
    },
    {
      name: "exact distinct visitors, last 30 days",
      ratio: visitors / raw,
      goal: "< 500 ms",
      detail: `${fmt(visitors, 1)} ms ÷ ${fmt(raw)} ms raw scan`,
      ms: visitors,
    },
    {
      name: "daily digest, every section (anomaly scan included)",
      ratio: daily / raw,
      goal: "< 2 s",
      detail: `${fmt(daily)} ms ÷ ${fmt(raw)} ms raw scan; weekly digest ${fmt(weekly)} ms`,
      ms: daily,
    },
  ];
}
