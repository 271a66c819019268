import { z } from "zod";
import { dbOf } from "../../../../db/client.ts";
import { type CampaignWrite, writeCampaigns } from "../../../../db/platform/queries/campaigns.ts";
import {
  cell,
  channelName,
  type DataKind,
  type Normalized,
  optionalText,
  parseCount,
  readRow,
  requiredText,
  toReportingMoney,
} from "../index.ts";

/** A campaign row: its definition (name, channel, flight, budget) and/or one day's figures. */
export const campaignRowSchema = z.object({
  id: requiredText(256),
  name: optionalText(256),
  channel: optionalText(64),
  day: cell,
  impressions: cell,
  clicks: cell,
  spend: cell,
  conversions: cell,
  revenue: cell,
  budget: cell,
  currency: optionalText(3),
  start: cell,
  end: cell,
  updated_at: cell,
});

/** Campaigns and their daily figures (ad platform exports): spend, impressions, clicks, budgets. */
export const campaignsKind: DataKind<CampaignWrite> = {
  name: "campaigns",
  source: "campaigns",
  aliases: {
    id: ["id", "campaign_id", "campaignid"],
    name: ["name", "campaign_name", "campaign"],
    channel: ["channel", "marketing_channel"],
    day: ["day", "date", "report_date", "reporting_date"],
    impressions: ["impressions", "impr", "imps"],
    clicks: ["clicks", "link_clicks"],
    spend: ["spend", "cost", "amount_spent", "spent"],
    conversions: ["conversions", "conv", "results", "purchases"],
    revenue: ["revenue", "conversion_value", "conv_value", "purchase_value"],
    budget: ["budget", "total_budget", "lifetime_budget"],
    currency: ["currency", "currency_code"],
    start: ["start", "start_date", "starts", "starts_at"],
    end: ["end", "end_date", "ends", "ends_at"],
    updated_at: ["updated_at", "modified", "last_modified"],
  },
  otherColumns: "ignore",
  fields:
    "`id`, `name`, `channel`, `day`, `impressions`, `clicks`, `spend`, `conversions`, `revenue`, `budget`, `currency`, `start`, `end`",
  normalize(input, context) {
    const parsed = readRow(campaignRowSchema, input);
    if ("error" in parsed) return parsed;
    const row = parsed.value;
    const channel = channelName(row.channel);
    if ("error" in channel) return channel;
    const currency = row.currency?.toUpperCase();
    const { money: policy } = context;
    if (currency && currency !== policy.currency && policy.rates[currency] === undefined) {
      return {
        error: `currency ${currency} differs from the reporting currency ${policy.currency} and no rate is set (add ${currency}=<rate> to LIFT_FX_RATES)`,
      };
    }
    const money = (value: unknown, field: string): Normalized<number> => {
      if (value === undefined || value === null || value === "") return { value: 0 };
      const parsedMoney = toReportingMoney(value, currency, policy);
      return parsedMoney.ok ? { value: parsedMoney.value.minor } : { error: `${field} ${parsedMoney.error}` };
    };
    const count = (value: unknown, field: string): Normalized<number> => {
      if (value === undefined || value === null || value === "") return { value: 0 };
      const n = parseCount(value);
      return n.ok ? { value: n.value } : { error: `${field} ${n.error}` };
    };
    // A campaign's planned start and end may lie ahead; its figures may not.
    const day = (value: unknown, field: string, allowFuture = false): Normalized<string | null> => {
      const time = context.optionalTime(value, field, allowFuture);
      if ("error" in time) return time;
      return { value: time.value === null ? null : context.cutDay(time.value) };
    };
    const fields = {
      day: day(row.day, "day"),
      start: day(row.start, "start", true),
      end: day(row.end, "end", true),
      impressions: count(row.impressions, "impressions"),
      clicks: count(row.clicks, "clicks"),
      conversions: count(row.conversions, "conversions"),
      spend: money(row.spend, "spend"),
      revenue: money(row.revenue, "revenue"),
      updatedAt: context.optionalTime(row.updated_at, "updated_at"),
    };
    for (const field of Object.values(fields)) if ("error" in field) return field;
    const v = <T>(field: Normalized<T>) => (field as { value: T }).value;
    let budgetMinor: number | null = null;
    if (row.budget !== undefined && row.budget !== null && row.budget !== "") {
      const budget = money(row.budget, "budget");
      if ("error" in budget) return budget;
      budgetMinor = budget.value;
    }
    const dayValue = v(fields.day);
    if (v(fields.clicks) > v(fields.impressions) && v(fields.impressions) > 0) {
      return { error: `clicks ${v(fields.clicks)} exceed impressions ${v(fields.impressions)}` };
    }
    return {
      value: {
        id: row.id,
        name: row.name ?? null,
        channel: channel.value,
        startDay: v(fields.start),
        endDay: v(fields.end),
        budgetMinor,
        updatedAt: v(fields.updatedAt) ?? (dayValue ? Date.parse(`${dayValue}T00:00:00Z`) : 0),
        daily:
          dayValue === null
            ? null
            : {
                day: dayValue,
                impressions: v(fields.impressions),
                clicks: v(fields.clicks),
                spendMinor: v(fields.spend),
                conversions: v(fields.conversions),
                revenueMinor: v(fields.revenue),
              },
      },
    };
  },
  write: (tables, rows, options) => writeCampaigns(dbOf(tables), rows, options),
};
