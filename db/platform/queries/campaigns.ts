import { asc } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { type CampaignRow, campaigns } from "../schema/campaigns.ts";
import { transact, type WriteOptions } from "./imports.ts";
import {
  countOutcome,
  emptyCounts,
  noteReceivedInTransaction,
  preparedFor,
  type RowOutcome,
  type WriteCounts,
} from "./statements.ts";

export interface CampaignWrite {
  id: string;
  /** Only what the row states; missing attributes keep their stored values. */
  name: string | null;
  channel: string | null;
  startDay: string | null;
  endDay: string | null;
  budgetMinor: number | null;
  updatedAt: number;
  daily: {
    day: string;
    impressions: number;
    clicks: number;
    spendMinor: number;
    conversions: number;
    revenueMinor: number;
  } | null;
}

interface StoredCampaign {
  name: string;
  channel: string;
  start_day: string | null;
  end_day: string | null;
  budget_minor: number | null;
  updated_at: number;
}

interface StoredDaily {
  impressions: number;
  clicks: number;
  spend_minor: number;
  conversions: number;
  revenue_minor: number;
  updated_at: number;
}

const prepared = preparedFor((sqlite) => ({
  find: sqlite.prepare<[string], StoredCampaign>(
    "SELECT name, channel, start_day, end_day, budget_minor, updated_at FROM campaigns WHERE id = ?",
  ),
  upsert: sqlite.prepare(
    `INSERT INTO campaigns (id, name, channel, start_day, end_day, budget_minor, updated_at)
     VALUES (@id, @name, @channel, @startDay, @endDay, @budgetMinor, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, channel = excluded.channel, start_day = excluded.start_day,
       end_day = excluded.end_day, budget_minor = excluded.budget_minor, updated_at = excluded.updated_at`,
  ),
  findDaily: sqlite.prepare<[string, string], StoredDaily>(
    `SELECT impressions, clicks, spend_minor, conversions, revenue_minor, updated_at FROM campaign_daily
     WHERE campaign_id = ? AND day = ?`,
  ),
  upsertDaily: sqlite.prepare(
    `INSERT INTO campaign_daily (campaign_id, day, impressions, clicks, spend_minor, conversions, revenue_minor, updated_at)
     VALUES (@campaignId, @day, @impressions, @clicks, @spendMinor, @conversions, @revenueMinor, @updatedAt)
     ON CONFLICT (campaign_id, day) DO UPDATE SET impressions = excluded.impressions, clicks = excluded.clicks,
       spend_minor = excluded.spend_minor, conversions = excluded.conversions, revenue_minor = excluded.revenue_minor,
       updated_at = excluded.updated_at`,
  ),
}));

export class UnknownCampaignChannel extends Error {}

function upsertCampaignInTransaction(db: Db, row: CampaignWrite): RowOutcome {
  const q = prepared(db);
  const stored = q.find.get(row.id);
  if (!stored && row.channel === null) throw new UnknownCampaignChannel(row.id);
  const merged = {
    id: row.id,
    name: row.name ?? stored?.name ?? row.id,
    channel: row.channel ?? stored!.channel,
    startDay: row.startDay ?? stored?.start_day ?? null,
    endDay: row.endDay ?? stored?.end_day ?? null,
    budgetMinor: row.budgetMinor ?? stored?.budget_minor ?? null,
    updatedAt: Math.max(row.updatedAt, stored?.updated_at ?? 0),
  };
  if (!stored) {
    q.upsert.run(merged);
    return "accepted";
  }
  const same =
    merged.name === stored.name &&
    merged.channel === stored.channel &&
    merged.startDay === stored.start_day &&
    merged.endDay === stored.end_day &&
    merged.budgetMinor === stored.budget_minor;
  if (same) return "duplicate";
  if (row.updatedAt < stored.updated_at) return "stale";
  q.upsert.run(merged);
  return "updated";
}

/**
 * Upserts campaign rows: the campaign's attributes, and its figures for a day
 * when the row has one. The outcome of a row with a day is that of its figures.
 */
export async function writeCampaigns(
  db: Db,
  rows: CampaignWrite[],
  options?: WriteOptions,
): Promise<{ counts: WriteCounts; outcomes: (RowOutcome | { error: string })[] }> {
  const q = prepared(db);
  return transact(db, options, () => {
    const counts = emptyCounts();
    const outcomes = rows.map((row): RowOutcome | { error: string } => {
      let outcome: RowOutcome;
      try {
        outcome = upsertCampaignInTransaction(db, row);
      } catch (error) {
        if (error instanceof UnknownCampaignChannel) {
          return { error: `campaign "${row.id}" is new, so it needs a channel` };
        }
        throw error;
      }
      if (row.daily) {
        const daily = { campaignId: row.id, ...row.daily, updatedAt: row.updatedAt };
        const stored = q.findDaily.get(row.id, row.daily.day);
        if (!stored) {
          q.upsertDaily.run(daily);
          outcome = "accepted";
        } else if (row.updatedAt < stored.updated_at) {
          outcome = "stale";
        } else if (
          stored.impressions === daily.impressions &&
          stored.clicks === daily.clicks &&
          stored.spend_minor === daily.spendMinor &&
          stored.conversions === daily.conversions &&
          stored.revenue_minor === daily.revenueMinor
        ) {
          outcome = outcome === "updated" ? "updated" : "duplicate";
        } else {
          q.upsertDaily.run(daily);
          outcome = "updated";
        }
      }
      countOutcome(counts, outcome);
      return outcome;
    });
    if (rows.length > 0) noteReceivedInTransaction(db, "campaigns", options?.receivedAt ?? Date.now());
    return { counts, outcomes };
  });
}

export async function listCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.orm.select().from(campaigns).orderBy(asc(campaigns.channel), asc(campaigns.name)).all();
}
