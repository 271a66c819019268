import { createHmac, timingSafeEqual } from "node:crypto";
import { classifyChannel } from "../../platform/ingest/channel.ts";
import { type ConnectorKind, type PullContext, PullError } from "../sources/index.ts";
import { daysBefore, requestJson, scalarText, sleep } from "./http.ts";
import type { ConnectorSettings } from "./settings.ts";

/*
 * Shopify: orders pushed by webhooks (orders/create, orders/updated, refunds/create), verified
 * by X-Shopify-Hmac-Sha256 before anything is read, and a scheduled pull of the orders updated
 * since the last one through the Admin GraphQL API (paged to the end; its query cost read from
 * every answer and waited for when the bucket runs low) to take what webhooks missed. An order
 * is `shopify-<id>` both ways, so a webhook and a pull of it never double it; refunded, voided
 * and cancelled orders leave orders and revenue, partly refunded ones count what is left.
 */

/** An order as webhooks send it (REST shape) or as the pull reads it, reduced to what Lift keeps. */
export interface ShopOrder {
  id: string;
  email: string | null;
  customerId: string | null;
  createdAt: string;
  updatedAt: string;
  /** What is left after refunds and edits (current_total_price). */
  amount: string;
  currency: string;
  status: string;
  landingSite: string | null;
  test: boolean;
}

/** Verifies a webhook: base64 HMAC-SHA256 of the raw body under the app's secret, compared in constant time. */
export function shopifySignatureOk(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A webhook's order (REST JSON). */
export function fromWebhook(order: Record<string, unknown>): ShopOrder {
  const given = order["customer"];
  const customer = (given && typeof given === "object" ? given : null) as {
    id?: unknown;
    email?: unknown;
  } | null;
  return {
    id: scalarText(order["id"]),
    email:
      (typeof order["email"] === "string" && order["email"]) ||
      (typeof customer?.email === "string" ? customer.email : null) ||
      null,
    customerId: customer?.id === undefined ? null : scalarText(customer.id) || null,
    createdAt: scalarText(order["created_at"]),
    updatedAt: scalarText(order["updated_at"] ?? order["created_at"]),
    amount: scalarText(order["current_total_price"] ?? order["total_price"], "0"),
    currency: scalarText(order["currency"] ?? order["presentment_currency"], ""),
    status: order["cancelled_at"] ? "cancelled" : scalarText(order["financial_status"], "paid"),
    landingSite: typeof order["landing_site"] === "string" ? order["landing_site"] : null,
    test: order["test"] === true,
  };
}

/** An order row of the orders data kind (the customer's id is worked out by the caller: merged by email). */
export function orderRow(order: ShopOrder, customerId: string | null): Record<string, unknown> | null {
  if (order.test) return null;
  let channel: string | undefined;
  let campaign: string | undefined;
  if (order.landingSite && URL.canParse(order.landingSite, "https://shop.invalid")) {
    const url = new URL(order.landingSite, "https://shop.invalid");
    const tags = {
      medium: url.searchParams.get("utm_medium") ?? undefined,
      source: url.searchParams.get("utm_source") ?? undefined,
    };
    channel = tags.medium ? (classifyChannel(tags) ?? undefined) : undefined;
    campaign = url.searchParams.get("utm_campaign") ?? undefined;
  }
  return {
    id: `shopify-${order.id}`,
    customer_id: customerId,
    amount: order.amount,
    currency: order.currency || undefined,
    timestamp: order.createdAt,
    status: order.status,
    updated_at: order.updatedAt,
    ...(channel ? { channel } : {}),
    ...(campaign ? { campaign_id: campaign } : {}),
  };
}

const ORDERS = `query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    edges { node {
      legacyResourceId email createdAt updatedAt cancelledAt test displayFinancialStatus
      customerJourneySummary { firstVisit { landingPage } }
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      customer { legacyResourceId email }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface OrdersPage {
  data?: {
    orders: {
      edges: {
        node: {
          legacyResourceId: string;
          email: string | null;
          createdAt: string;
          updatedAt: string;
          cancelledAt: string | null;
          test: boolean;
          displayFinancialStatus: string | null;
          customerJourneySummary: { firstVisit: { landingPage: string | null } | null } | null;
          currentTotalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
          customer: { legacyResourceId: string; email: string | null } | null;
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: {
    cost?: {
      requestedQueryCost: number;
      throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
    };
  };
}

/** How long until the bucket holds a query's cost again (Shopify's cost-based throttling). */
function costWait(page: OrdersPage): number {
  const cost = page.extensions?.cost;
  if (!cost) return 0;
  const short = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
  return short > 0 ? Math.ceil((short / Math.max(1, cost.throttleStatus.restoreRate)) * 1000) : 0;
}

/** Reads every order updated since `since` (ISO), paged to the end. */
export async function pullShopifyOrders(
  context: PullContext,
  settings: ConnectorSettings,
  since: string | null,
  /** Another search instead (`id:123` for one order). */
  search?: string,
): Promise<ShopOrder[]> {
  if (!(settings.SHOPIFY_SHOP_URL && settings.SHOPIFY_ACCESS_TOKEN))
    throw new PullError(
      "Shopify is not configured: set SHOPIFY_SHOP_URL and SHOPIFY_ACCESS_TOKEN",
      6 * 3_600_000,
    );
  const url = `${settings.SHOPIFY_SHOP_URL.replace(/\/+$/, "")}/admin/api/${settings.SHOPIFY_API_VERSION}/graphql.json`;
  const orders: ShopOrder[] = [];
  let after: string | null = null;
  for (let throttled = 0; ; ) {
    const response: { body: OrdersPage } = await requestJson<OrdersPage>(context, url, {
      what: "Shopify",
      refused: "check SHOPIFY_ACCESS_TOKEN (an Admin API token with read_orders)",
      method: "POST",
      headers: { "x-shopify-access-token": settings.SHOPIFY_ACCESS_TOKEN },
      body: JSON.stringify({
        query: ORDERS,
        variables: { first: 100, after, query: search ?? (since ? `updated_at:>='${since}'` : null) },
      }),
    });
    const page: OrdersPage = response.body;
    if (page.errors?.some((e) => e.extensions?.code === "THROTTLED")) {
      if (++throttled > 5) throw new PullError("Shopify kept throttling the orders query", 60_000);
      await sleep(Math.max(costWait(page), 1000));
      continue;
    }
    if (page.errors?.length || !page.data)
      throw new PullError(`Shopify: ${page.errors?.[0]?.message ?? "no data in the answer"}`);
    throttled = 0;
    for (const { node } of page.data.orders.edges)
      orders.push({
        id: node.legacyResourceId,
        email: node.email ?? node.customer?.email ?? null,
        customerId: node.customer?.legacyResourceId ?? null,
        createdAt: node.createdAt,
        updatedAt: node.updatedAt,
        amount: node.currentTotalPriceSet.shopMoney.amount,
        currency: node.currentTotalPriceSet.shopMoney.currencyCode,
        status: node.cancelledAt ? "cancelled" : (node.displayFinancialStatus ?? "paid").toLowerCase(),
        landingSite: node.customerJourneySummary?.firstVisit?.landingPage ?? null,
        test: node.test,
      });
    if (!page.data.orders.pageInfo.hasNextPage) break;
    after = page.data.orders.pageInfo.endCursor;
    const wait = costWait(page);
    if (wait > 0) await sleep(wait);
  }
  return orders;
}

export function shopifyConnector(
  settings: () => ConnectorSettings,
  rows: (orders: ShopOrder[]) => Promise<Record<string, unknown>[]>,
): ConnectorKind {
  return {
    kind: "shopify",
    label: "Shopify orders",
    dataKind: "orders",
    usage: "(the shop is SHOPIFY_SHOP_URL)",
    example: "sources add shopify",
    defaultEveryMinutes: 60,
    voids: true,
    configure() {
      const shop = settings().SHOPIFY_SHOP_URL;
      return { name: `Shopify ${shop ? new URL(shop).host : "(set SHOPIFY_SHOP_URL)"}`, config: {} };
    },
    async pull(_config, cursor, context) {
      const s = settings();
      // Orders updated since the last pull, less a few days: what a missed webhook changed is read again.
      const since = cursor
        ? `${daysBefore(cursor.slice(0, 10), s.LIFT_CONNECTORS_REREAD_DAYS)}T00:00:00Z`
        : null;
      const orders = await pullShopifyOrders(context, s, since);
      // ISO instants sort as text: the latest one seen is the next mark.
      const latest = [cursor ?? "", ...orders.map((o) => o.updatedAt)].sort().at(-1);
      return { rows: await rows(orders), cursor: latest || cursor };
    },
  };
}
