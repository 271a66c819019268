import type { DemoScale } from "../../platform/demo/index.ts";
import {
  ADD_TO_CART,
  CAMPAIGNS,
  type CampaignDayStats,
  CHANNEL_MIX,
  campaignStatsKey,
  DEMO_DAYS,
  type DemoCampaign,
  type DemoPart,
  ORDER_AFTER_ADD,
  SCALES,
} from "../../platform/demo/index.ts";
import { addDays } from "../../platform/time/zone.ts";

/** What a campaign spends on an average day, from the same model that generates its figures. */
function expectedDailySpend(campaign: DemoCampaign, scale: DemoScale): number {
  const share = CHANNEL_MIX.find(([channel]) => channel === campaign.channel)![1];
  // Campaigns share their channel's visits by weight, and only on the days they run.
  const live = (c: DemoCampaign) => (Math.min(c.startsAgo, DEMO_DAYS - 1) - (c.endsAgo ?? 0) + 1) / DEMO_DAYS;
  const siblings = CAMPAIGNS.filter((c) => c.channel === campaign.channel).reduce(
    (sum, c) => sum + c.weight * live(c),
    0,
  );
  const visits = SCALES[scale].visitsPerDay * 1.07 * share * (campaign.weight / siblings);
  if (campaign.channel === "email") return campaign.id === "email-newsletter" ? 25 : 12;
  if (campaign.channel === "referral") return 15;
  if (campaign.channel === "affiliate") return visits * ADD_TO_CART * ORDER_AFTER_ADD * 85 * 0.08 + 10;
  return visits * 1.2 * campaign.cpc;
}

/**
 * The demo's campaigns: their definitions (budgets sized to the expected
 * spend of their flight, some set to over- or underpace) and each day's
 * figures as an ad platform reports them, from the visits they brought.
 */
export const campaignsDemo: DemoPart = {
  id: "campaigns",
  order: 30,
  setup({ options }) {
    const rows = CAMPAIGNS.map((c) => {
      const start = addDays(options.end, -c.startsAgo);
      const end = c.endsAgo === null ? addDays(options.end, 30) : addDays(options.end, -c.endsAgo);
      const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
      return {
        id: c.id,
        name: c.name,
        channel: c.channel,
        budget: Math.round(expectedDailySpend(c, options.scale) * days * c.pace),
        start,
        end,
      };
    });
    return [{ kind: "campaigns", rows }];
  },
  day({ random: r, shared }, _index, day) {
    const perCampaign = (shared.get(campaignStatsKey(day)) as CampaignDayStats | undefined) ?? new Map();
    const rows: Record<string, unknown>[] = [];
    for (const campaign of CAMPAIGNS) {
      const stats = perCampaign.get(campaign.id);
      if (!stats) continue;
      // Not every ad click becomes a tracked visit (blockers, bounces before the tag loads).
      const clicks = Math.round(stats.visits * (1.1 + 0.2 * r.next()));
      const impressions = Math.round(clicks / (campaign.ctr * (0.9 + 0.2 * r.next())));
      let spend: number;
      if (campaign.channel === "email") spend = campaign.id === "email-newsletter" ? 25 : 12;
      else if (campaign.channel === "affiliate") spend = stats.revenue * 0.08 + 10;
      else if (campaign.channel === "referral") spend = 15;
      else spend = clicks * campaign.cpc * (0.9 + 0.2 * r.next());
      rows.push({
        id: campaign.id,
        day,
        impressions,
        clicks,
        spend: spend.toFixed(2),
        // Ad platforms over-claim conversions a little (view-through, cross-device).
        conversions: Math.round(stats.orders * 1.1),
        revenue: (stats.revenue * 1.1).toFixed(2),
      });
    }
    return [{ kind: "campaigns", rows }];
  },
};
