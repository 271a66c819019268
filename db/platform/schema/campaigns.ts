import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const campaigns = sqliteTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    channel: text("channel").notNull(),
    startDay: text("start_day"),
    endDay: text("end_day"),
    budgetMinor: integer("budget_minor"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("campaigns_channel").on(t.channel)],
);

/** Daily delivery figures per campaign as the ad platform reports them; upserted by campaign + day. */
export const campaignDaily = sqliteTable(
  "campaign_daily",
  {
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    day: text("day").notNull(),
    impressions: integer("impressions").notNull(),
    clicks: integer("clicks").notNull(),
    spendMinor: integer("spend_minor").notNull(),
    conversions: integer("conversions").notNull(),
    /** Platform-reported revenue; Lift's revenue KPIs use orders, never this. */
    revenueMinor: integer("revenue_minor").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.day] }), index("campaign_daily_day").on(t.day)],
);

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignDailyRow = typeof campaignDaily.$inferSelect;
