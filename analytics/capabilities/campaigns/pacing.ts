import { formatDay, formatMoney, formatPercent, toMajorUnits } from "../../platform/base/format.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import { CHANNEL_LABELS } from "../../platform/metrics/kpis.ts";
import type { Report } from "../../platform/reports/report.ts";
import { addDays } from "../../platform/time/zone.ts";
import { type Pacing, pace } from "./pacing-math.ts";
import type { SpendProjector } from "./projection.ts";

const STATUS_WORDS: Record<Pacing["status"], string> = {
  not_started: "not started",
  on_track: "on track",
  over: "overpacing",
  under: "underpacing",
  ended: "ended",
  overspent: "over budget",
};

export interface CampaignPacing {
  id: string;
  name: string;
  channel: string;
  budgetMinor: number;
  spendMinor: number;
  startDay: string;
  endDay: string;
  pacing: Pacing;
}

/**
 * Budget pacing for every campaign that has a budget, start and end, through yesterday. The
 * projection to the campaign's last day comes from a projector (a forecast of its daily spend)
 * where one is given and the campaign has two weeks of spend; otherwise from its average day so far.
 */
export async function computePacing(
  platform: PlatformApi,
  projectors: readonly SpendProjector[] = [],
): Promise<{ through: string; campaigns: CampaignPacing[]; skipped: string[]; projectedBy: string[] }> {
  const through = addDays(platform.today(), -1);
  const [campaigns, spend] = await Promise.all([platform.campaigns(), platform.spendToDate(through)]);
  const spendById = new Map(spend.map((row) => [row.id, row.spendMinor]));
  const result: CampaignPacing[] = [];
  const skipped: string[] = [];
  const projectedBy: string[] = [];
  for (const campaign of campaigns) {
    if (campaign.budgetMinor === null || !campaign.start || !campaign.end) {
      skipped.push(campaign.name);
      continue;
    }
    const spendMinor = spendById.get(campaign.id) ?? 0;
    const pacing = pace({
      budgetMinor: campaign.budgetMinor,
      startDay: campaign.start,
      endDay: campaign.end,
      spendMinor,
      through,
    });
    const projector = projectors[0];
    if (projector && pacing.daysLeft > 0 && pacing.daysElapsed >= 14 && pacing.status !== "not_started") {
      const byDay = await platform.dailyValues(
        "spend",
        { from: campaign.start, to: through },
        { campaignId: campaign.id },
      );
      const projected = projector.project({ daily: [...byDay.values()], daysLeft: pacing.daysLeft });
      if (projected) {
        pacing.projectedMinor = spendMinor + Math.round(projected.comingMinor);
        projectedBy.push(`${campaign.name}: ${projected.model}`);
      }
    }
    result.push({
      id: campaign.id,
      name: campaign.name,
      channel: campaign.channel,
      budgetMinor: campaign.budgetMinor,
      spendMinor,
      startDay: campaign.start,
      endDay: campaign.end,
      pacing,
    });
  }
  const order = { overspent: 0, over: 1, under: 2, on_track: 3, not_started: 4, ended: 5 };
  result.sort((a, b) => order[a.pacing.status] - order[b.pacing.status] || b.spendMinor - a.spendMinor);
  return { through, campaigns: result, skipped, projectedBy };
}

export async function pacingReport(
  platform: PlatformApi,
  projectors: readonly SpendProjector[] = [],
): Promise<Report> {
  const { currency } = platform.settings;
  const { through, campaigns, skipped, projectedBy } = await computePacing(platform, projectors);
  const freshness = await platform.freshness();
  const live = campaigns.filter((c) => c.pacing.status !== "ended" && c.pacing.status !== "not_started");
  const off = live.filter((c) => c.pacing.status !== "on_track");
  const money = (minor: number | null) => (minor === null ? "—" : formatMoney(minor, currency));
  const summary =
    live.length === 0
      ? "No campaign with a budget is running."
      : off.length === 0
        ? `All ${live.length} running campaigns are on track to spend their budgets.`
        : `${off.length} of ${live.length} running campaigns are off pace: ` +
          off
            .slice(0, 3)
            .map(
              (c) =>
                `${c.name} is ${STATUS_WORDS[c.pacing.status]} (${c.pacing.pace === null ? "—" : formatPercent(c.pacing.pace, 0)} of even spend; needs ${money(c.pacing.neededPerDayMinor)}/day)`,
            )
            .join("; ") +
          ".";
  const report: Report = {
    kind: "pacing",
    title: `Budget pacing · through ${formatDay(through)}`,
    summary,
    period: {
      label: `through ${formatDay(through)}`,
      from: through,
      to: through,
      timeZone: platform.settings.timeZone,
      partial: false,
    },
    freshness: answerFreshness(freshness),
    facts: [
      { label: "Budget (running)", value: money(live.reduce((s, c) => s + c.budgetMinor, 0)) },
      { label: "Spent so far", value: money(live.reduce((s, c) => s + c.spendMinor, 0)) },
      { label: "Off pace", value: `${off.length} of ${live.length}` },
    ],
    table: {
      columns: [
        { key: "campaign", label: "Campaign", format: "text" },
        { key: "channel", label: "Channel", format: "text" },
        { key: "budget", label: "Budget", format: "money" },
        { key: "spent", label: "Spent", format: "money" },
        { key: "pace", label: "Pace", format: "percent" },
        { key: "projected", label: "Projected", format: "money" },
        { key: "needed", label: "Needed/day", format: "money" },
        { key: "days_left", label: "Days left", format: "count" },
        { key: "status", label: "Status", format: "text" },
      ],
      rows: campaigns.map((c) => [
        c.name,
        CHANNEL_LABELS[c.channel] ?? c.channel,
        c.budgetMinor,
        c.spendMinor,
        c.pacing.pace,
        c.pacing.projectedMinor,
        c.pacing.neededPerDayMinor,
        c.pacing.daysLeft,
        STATUS_WORDS[c.pacing.status],
      ]),
      currency,
    },
    charts: [
      {
        kind: "bar",
        title: `Spend vs even pace · through ${formatDay(through, { short: true })}`,
        labels: live.map((c) => c.name),
        series: [
          { name: "Spent", values: live.map((c) => toMajorUnits(c.spendMinor, currency)) },
          { name: "Even pace", values: live.map((c) => toMajorUnits(c.pacing.expectedMinor, currency)) },
        ],
        format: "money",
        currency,
      },
    ],
    actions: [],
    warnings: skipped.length > 0 ? [`No budget or dates for ${skipped.join(", ")}: not paced.`] : [],
    details: [
      projectedBy.length > 0
        ? `Projected: each campaign's spend so far plus a forecast of its daily spend to its last day (${projectedBy.join("; ")}); campaigns with under two weeks of spend at their average day so far.`
        : "Projected: each campaign's average daily spend so far, carried to its last day.",
    ],
  };
  if (freshness.lastDays.spend && freshness.lastDays.spend < through) {
    report.warnings.push(
      `Spend data stops on ${formatDay(freshness.lastDays.spend)}: pacing after that day is understated.`,
    );
  }
  return report;
}
