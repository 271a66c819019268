import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyText, LoopbackApi } from "./loopback-api.ts";

/*
 * Shopify's Admin GraphQL API and Stripe's REST API on loopback, in their documented wire
 * formats, written for Lift's tests from the platforms' docs: Shopify's `orders` connection
 * (edges, pageInfo, a search query, sortKey UPDATED_AT) with its cost extension and THROTTLED
 * errors; Stripe's `GET /v1/charges` list (newest first, `created[gte]`, `starting_after`,
 * `has_more`) and its error bodies. Also how each platform signs webhooks, for the tests' posts.
 */

export interface FakeOrder {
  id: number;
  email: string | null;
  customerId: number | null;
  createdAt: string;
  updatedAt: string;
  total: string;
  current: string;
  currency: string;
  financialStatus: string;
  cancelledAt: string | null;
  landingSite: string | null;
}

/** A Shopify order webhook's body (REST shape). */
export function shopifyOrderJson(o: FakeOrder): Record<string, unknown> {
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: `#${o.id % 10_000}`,
    email: o.email,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    currency: o.currency,
    total_price: o.total,
    current_total_price: o.current,
    financial_status: o.financialStatus,
    cancelled_at: o.cancelledAt,
    landing_site: o.landingSite,
    test: false,
    customer: o.customerId ? { id: o.customerId, email: o.email } : null,
  };
}

export function shopifyHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function stripeSignature(body: string, secret: string, at: number): string {
  const t = Math.floor(at / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

export class FakeShops extends LoopbackApi {
  shopToken = "shpat_test";
  stripeKey = "sk_test_123";
  readonly orders: FakeOrder[] = [];
  readonly charges: Record<string, unknown>[] = [];
  readonly log: { method: string; path: string; status: number; body?: string }[] = [];
  /** Shopify's bucket: what is available now (restored at `restoreRate` a second). */
  bucket = { available: 2000, restoreRate: 100 };
  /** The next n GraphQL calls answer THROTTLED. */
  throttled = 0;
  /** After this many more Stripe list pages, the next answer 500 until set back to null. */
  breakAfterPages: number | null = null;

  protected async handle(req: IncomingMessage, res: ServerResponse) {
    const body = await bodyText(req);
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, payload: unknown) => {
      this.log.push({ method: req.method ?? "GET", path: url.pathname, status, body });
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(payload));
    };
    if (/^\/admin\/api\/[\d-]+\/graphql\.json$/.test(url.pathname)) {
      if (req.headers["x-shopify-access-token"] !== this.shopToken)
        return send(401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
      return send(200, this.graphql(JSON.parse(body)));
    }
    if (url.pathname === "/v1/charges") {
      if (req.headers.authorization !== `Bearer ${this.stripeKey}`)
        return send(401, {
          error: {
            message: `Invalid API Key provided: ${String(req.headers.authorization).slice(7, 15)}****`,
            type: "invalid_request_error",
          },
        });
      if (this.breakAfterPages !== null) {
        if (this.breakAfterPages <= 0)
          return send(500, { error: { message: "An unknown error occurred", type: "api_error" } });
        this.breakAfterPages--;
      }
      const gte = Number(url.searchParams.get("created[gte]") ?? 0);
      const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 10));
      const sorted = this.charges
        .filter((c) => Number(c["created"]) >= gte)
        .sort(
          (a, b) =>
            Number(b["created"]) - Number(a["created"]) || String(b["id"]).localeCompare(String(a["id"])),
        );
      const after = url.searchParams.get("starting_after");
      const from = after ? sorted.findIndex((c) => c["id"] === after) + 1 : 0;
      const data = sorted.slice(from, from + limit);
      return send(200, { object: "list", data, has_more: from + limit < sorted.length, url: "/v1/charges" });
    }
    send(404, { errors: "Not Found" });
  }

  private graphql(request: {
    query: string;
    variables: { first: number; after: string | null; query: string | null };
  }) {
    const cost = { requestedQueryCost: 202, actualQueryCost: 202 };
    const extensions = (available: number) => ({
      cost: {
        ...cost,
        throttleStatus: {
          maximumAvailable: 2000,
          currentlyAvailable: available,
          restoreRate: this.bucket.restoreRate,
        },
      },
    });
    if (this.throttled > 0) {
      this.throttled--;
      return {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: extensions(50),
      };
    }
    const { first, after, query } = request.variables;
    let list = [...this.orders].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id);
    const since = /updated_at:>='([^']+)'/.exec(query ?? "")?.[1];
    if (since) list = list.filter((o) => o.updatedAt >= since);
    const one = /^id:(\d+)$/.exec(query ?? "")?.[1];
    if (one) list = list.filter((o) => String(o.id) === one);
    const start = after ? Number(Buffer.from(after, "base64").toString()) : 0;
    const page = list.slice(start, start + first);
    this.bucket.available = Math.max(0, this.bucket.available - cost.actualQueryCost);
    return {
      data: {
        orders: {
          edges: page.map((o, i) => ({
            cursor: Buffer.from(String(start + i + 1)).toString("base64"),
            node: {
              legacyResourceId: String(o.id),
              email: o.email,
              createdAt: o.createdAt,
              updatedAt: o.updatedAt,
              cancelledAt: o.cancelledAt,
              test: false,
              displayFinancialStatus: o.financialStatus.toUpperCase(),
              customerJourneySummary: o.landingSite
                ? { firstVisit: { landingPage: `https://lift-test.myshopify.com${o.landingSite}` } }
                : null,
              currentTotalPriceSet: { shopMoney: { amount: o.current, currencyCode: o.currency } },
              customer: o.customerId ? { legacyResourceId: String(o.customerId), email: o.email } : null,
            },
          })),
          pageInfo: {
            hasNextPage: start + first < list.length,
            endCursor: page.length > 0 ? Buffer.from(String(start + page.length)).toString("base64") : null,
          },
        },
      },
      extensions: extensions(this.bucket.available),
    };
  }
}

/** `n` Shopify orders, one a minute from `from`. */
export function fakeOrders(
  n: number,
  from = Date.parse("2026-11-20T10:00:00Z"),
  firstId = 5_000_000_000,
): FakeOrder[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(from + i * 60_000).toISOString().replace(".000", "");
    return {
      id: firstId + i,
      email: `shopper${i}@example.com`,
      customerId: 7_000_000 + i,
      createdAt: at,
      updatedAt: at,
      total: (20 + (i % 10)).toFixed(2),
      current: (20 + (i % 10)).toFixed(2),
      currency: "USD",
      financialStatus: "paid",
      cancelledAt: null,
      landingSite: i % 2 ? "/?utm_source=google&utm_medium=cpc&utm_campaign=brand" : null,
    };
  });
}

/** A succeeded Stripe charge (the API's shape). */
export function fakeCharge(
  i: number,
  created: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: `ch_${String(i).padStart(6, "0")}`,
    object: "charge",
    amount: 2500 + i,
    amount_captured: 2500 + i,
    amount_refunded: 0,
    currency: "usd",
    created: Math.floor(created / 1000),
    paid: true,
    status: "succeeded",
    refunded: false,
    payment_intent: `pi_${String(i).padStart(6, "0")}`,
    customer: `cus_${i}`,
    billing_details: { email: `payer${i}@example.com`, name: null },
    receipt_email: null,
    livemode: false,
    ...extra,
  };
}
