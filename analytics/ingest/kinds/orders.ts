import { type OrderWrite, writeOrders } from "../../../db/queries/orders.ts";
import { channelName } from "../fields.ts";
import type { DataKind } from "../kinds.ts";
import { toReportingMoney } from "../money.ts";
import { describeIssues, orderRowSchema } from "../schemas.ts";

/** Orders (a shop export): the source of orders, revenue and AOV. */
export const ordersKind: DataKind<OrderWrite> = {
  name: "orders",
  source: "orders",
  aliases: {
    id: ["id", "order_id", "orderid", "order_number", "order_no", "transaction_id"],
    customer_id: ["customer_id", "user_id", "userid", "customer", "customerid"],
    amount: ["amount", "revenue", "total", "order_total", "value", "gross"],
    currency: ["currency", "currency_code"],
    timestamp: ["timestamp", "date", "created_at", "order_date", "ordered_at", "time", "datetime"],
    channel: ["channel", "marketing_channel", "source_channel"],
    campaign_id: ["campaign_id", "campaign", "utm_campaign"],
    updated_at: ["updated_at", "modified", "last_modified", "modified_at"],
  },
  otherColumns: "ignore",
  fields: "`id`, `customer_id`, `amount`, `currency`, `timestamp`, `channel`, `campaign_id`, `updated_at`",
  normalize(input, context) {
    const parsed = orderRowSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const row = parsed.data;
    const money = toReportingMoney(row.amount, row.currency, context.money);
    if (!money.ok) return { error: `amount ${money.error}` };
    const timestamp = context.time(row.timestamp, "timestamp");
    if ("error" in timestamp) return timestamp;
    const updatedAt = context.optionalTime(row.updated_at, "updated_at");
    if ("error" in updatedAt) return updatedAt;
    const channel = channelName(row.channel);
    if ("error" in channel) return channel;
    return {
      value: {
        id: row.id,
        customerId: row.customer_id ?? null,
        amountMinor: money.value.minor,
        originalAmountMinor: money.value.originalMinor,
        originalCurrency: money.value.originalCurrency,
        timestamp: timestamp.value,
        day: context.cutDay(timestamp.value),
        channel: channel.value ?? "direct",
        campaignId: row.campaign_id ?? null,
        origin: "import",
        updatedAt: updatedAt.value ?? timestamp.value,
      },
    };
  },
  write: (db, rows, options) => writeOrders(db, rows, options),
};
