import { dbOf } from "../../../../db/client.ts";
import { type OrderWrite, writeOrders } from "../../../../db/platform/queries/orders.ts";
import { channelName } from "../fields.ts";
import type { DataKind, ExportProfile } from "../kinds.ts";
import { toReportingMoney } from "../money.ts";
import { orderRowSchema, readRow } from "../schemas.ts";

/**
 * Statuses of rows that are not completed orders (a failed or cancelled
 * payment, a draft): refused with their status, so they never count as sales.
 * Shopify's financial status, WooCommerce's order status and Stripe's payment
 * status share these words.
 */
const NOT_AN_ORDER =
  /^(failed|canceled|cancelled|voided|void|refunded|pending|pending_payment|on_hold|draft|checkout_draft|abandoned|trash|expired|declined|incomplete|uncaptured|requires_payment_method|requires_confirmation|blocked)$/;

const has = (headers: string[], ...names: string[]) => names.every((name) => headers.includes(name));

/**
 * Shopify's orders export (Admin › Orders › Export): one row per line item,
 * the order's own fields on its first row only; `Name` is the order number
 * people know (#1001), `Id` Shopify's internal id; no customer id, the email.
 */
const shopify: ExportProfile = {
  name: "Shopify orders export",
  matches: (headers) => has(headers, "name", "financial_status", "lineitem_name", "total", "created_at"),
  map: {
    Name: "id",
    Email: "customer_id",
    Total: "amount",
    Currency: "currency",
    "Created at": "timestamp",
    "Financial Status": "status",
  },
  continues: (row, previous) =>
    previous !== null &&
    row["id"] === previous["id"] &&
    (row["amount"] === undefined || row["amount"] === ""),
};

/**
 * WooCommerce › Analytics › Orders › Download: one row per order with
 * `Date`, `Order #`, `Status`, `Customer` (a name), `Customer type`,
 * `Product(s)`, `Items sold`, `Coupon(s)`, `Net Sales`; no currency column
 * (the shop's currency, which Lift takes to be the reporting currency).
 */
const wooAnalytics: ExportProfile = {
  name: "WooCommerce Analytics orders export",
  matches: (headers) => has(headers, "date", "order_#", "status", "net_sales"),
  map: {
    Date: "timestamp",
    "Order #": "id",
    Status: "status",
    Customer: "customer_id",
    "Net Sales": "amount",
  },
};

/**
 * The order exports of WooCommerce's export plugins (WooCommerce's own
 * Customer/Order CSV Export, WebToffee's Order Export): `order_id` and
 * `order_number` both present (the number is the one on the customer's
 * email), `order_date`, `status`, `order_total`, `order_currency`,
 * `billing_email` beside `customer_email`.
 */
const wooPlugin: ExportProfile = {
  name: "WooCommerce order export",
  matches: (headers) => has(headers, "order_id", "order_number", "order_total") && headers.includes("status"),
  map: {
    order_number: "id",
    order_date: "timestamp",
    status: "status",
    order_total: "amount",
    order_currency: "currency",
    billing_email: "customer_id",
  },
};

/** Stripe's payments export (Dashboard › Payments › Export): one row per payment, amounts in major units. */
const stripe: ExportProfile = {
  name: "Stripe payments export",
  matches: (headers) =>
    has(headers, "id", "amount", "currency", "status") &&
    headers.some((h) => /^created(_date)?_\(utc\)$/.test(h)),
  map: {
    id: "id",
    Amount: "amount",
    Currency: "currency",
    "Created date (UTC)": "timestamp",
    "Created (UTC)": "timestamp",
    Status: "status",
    "Customer ID": "customer_id",
  },
};

/** Orders (a shop export): the source of orders, revenue and AOV. */
export const ordersKind: DataKind<OrderWrite> = {
  name: "orders",
  source: "orders",
  aliases: {
    id: ["id", "order_id", "orderid", "order_number", "order_no", "order_#", "order_nr", "transaction_id"],
    customer_id: [
      "customer_id",
      "user_id",
      "userid",
      "customer",
      "customerid",
      "customer_user",
      "customer_email",
      "billing_email",
    ],
    amount: [
      "amount",
      "revenue",
      "total",
      "order_total",
      "order_total_amount",
      "total_amount",
      "grand_total",
      "net_sales",
      "value",
      "gross",
    ],
    currency: ["currency", "currency_code", "order_currency"],
    timestamp: [
      "timestamp",
      "date",
      "created_at",
      "order_date",
      "date_created",
      "ordered_at",
      "created_date_(utc)",
      "created_(utc)",
      "time",
      "datetime",
    ],
    status: ["status", "order_status", "financial_status", "payment_status"],
    channel: ["channel", "marketing_channel", "source_channel"],
    campaign_id: ["campaign_id", "campaign", "utm_campaign"],
    updated_at: ["updated_at", "modified", "last_modified", "modified_at", "date_modified"],
  },
  otherColumns: "ignore",
  fields:
    "`id`, `customer_id`, `amount`, `currency`, `timestamp`, `status` (failed, cancelled, refunded, pending… rows are not orders), `channel`, `campaign_id`, `updated_at`",
  profiles: [shopify, wooAnalytics, wooPlugin, stripe],
  identifiers: (row) => [
    { key: "order", value: row.id },
    ...(row.customerId ? [{ key: "customer" as const, value: row.customerId }] : []),
  ],
  normalize(input, context) {
    const parsed = readRow(orderRowSchema, input);
    if ("error" in parsed) return parsed;
    const row = parsed.value;
    const status = row.status
      ?.toLowerCase()
      .replace(/^wc-/, "")
      .replace(/[\s-]+/g, "_");
    if (status && NOT_AN_ORDER.test(status)) {
      if (!context.voids)
        return { error: `status ${row.status}: not a completed order (left out of orders and revenue)` };
      const updatedAt = context.optionalTime(row.updated_at, "updated_at");
      if ("error" in updatedAt) return updatedAt;
      const at = updatedAt.value ?? context.receivedAt;
      return {
        value: {
          id: row.id,
          customerId: null,
          amountMinor: 0,
          originalAmountMinor: 0,
          originalCurrency: context.money.currency,
          timestamp: at,
          day: context.cutDay(at),
          channel: "direct",
          campaignId: null,
          origin: "import",
          updatedAt: at,
          voided: true,
        },
      };
    }
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
  write: (tables, rows, options) => writeOrders(dbOf(tables), rows, options),
};
