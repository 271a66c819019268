import { afterEach, describe, expect, it } from "vitest";
import { pulledSources } from "../../../../analytics/capabilities/sources/index.ts";
import { createApi } from "../../../../api/app.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import {
  FakeShops,
  fakeCharge,
  fakeOrders,
  shopifyHmac,
  shopifyOrderJson,
  stripeSignature,
} from "../../../support/fake-shops.ts";

/*
 * Shopify and Stripe orders by signed webhooks and by pulls from loopback servers speaking their
 * wire formats (test/support/fake-shops.ts): a body that fails verification is 401 and writes
 * nothing; a replayed delivery is written once; refunds and cancellations take orders out of
 * revenue (and a late older copy does not bring one back); a webhook and a pull of the same
 * order never double it; the pulls page to the end, wait for Shopify's query cost, and a Stripe
 * pull killed half-way writes nothing and is read whole on the next.
 */

const SHOP_SECRET = "shpss_webhook_secret";
const STRIPE_SECRET = "whsec_test_secret";
let t: TestDb;
let shops: FakeShops;
let now = Date.parse("2026-11-24T15:00:00Z");

afterEach(async () => {
  await shops?.stop();
  t?.cleanup();
});

async function setUp() {
  shops = await new FakeShops().start();
  now = Date.parse("2026-11-24T15:00:00Z");
  t = emptyDb({
    now: () => now,
    timeZone: "UTC",
    currency: "USD",
    env: {
      LIFT_SOURCES_ALLOW_PRIVATE: "true",
      SHOPIFY_SHOP_URL: shops.url,
      SHOPIFY_ACCESS_TOKEN: shops.shopToken,
      SHOPIFY_WEBHOOK_SECRET: SHOP_SECRET,
      STRIPE_API_BASE: shops.url,
      STRIPE_API_KEY: shops.stripeKey,
      STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    },
  });
  return createApi(t.core);
}

const count = (sql: string) => (t.db.sqlite.prepare(sql).get() as { n: number }).n;
const revenue = () => count("SELECT coalesce(sum(amount_minor), 0) AS n FROM orders");
const rolled = () => count("SELECT coalesce(sum(revenue_minor), 0) AS n FROM daily_orders");

function shopifyPost(
  api: ReturnType<typeof createApi>,
  topic: string,
  body: Record<string, unknown>,
  id: string,
  secret = SHOP_SECRET,
) {
  const text = JSON.stringify(body);
  return api.request("/v1/webhooks/shopify", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-hmac-sha256": shopifyHmac(text, secret),
      "x-shopify-webhook-id": id,
      "x-shopify-shop-domain": "lift-test.myshopify.com",
    },
    body: text,
  });
}

function stripePost(
  api: ReturnType<typeof createApi>,
  event: Record<string, unknown>,
  at = now,
  secret = STRIPE_SECRET,
) {
  const text = JSON.stringify(event);
  return api.request("/v1/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": stripeSignature(text, secret, at) },
    body: text,
  });
}

const event = (id: string, type: string, object: Record<string, unknown>, created = now) => ({
  id,
  object: "event",
  type,
  created: Math.floor(created / 1000),
  data: { object },
  livemode: false,
});

describe("Shopify", () => {
  it("writes nothing from a webhook that fails verification, and a replayed one once", async () => {
    const api = await setUp();
    expect(
      (await t.platform.ingest.write("customers", [{ id: "c-42", email: "Shopper0@Example.com" }])).rejected,
    ).toEqual([]);
    const [order] = fakeOrders(1);
    const forged = await shopifyPost(api, "orders/create", shopifyOrderJson(order!), "w1", "not-the-secret");
    expect(forged.status).toBe(401);
    expect(
      count("SELECT count(*) AS n FROM orders") + count("SELECT count(*) AS n FROM webhook_events"),
    ).toBe(0);

    expect((await shopifyPost(api, "orders/create", shopifyOrderJson(order!), "w1")).status).toBe(200);
    const again = await shopifyPost(api, "orders/create", shopifyOrderJson(order!), "w1");
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    // Merged with the customer Lift has by email.
    expect(t.db.sqlite.prepare("SELECT id, customer_id, amount_minor FROM orders").all()).toEqual([
      { id: "shopify-5000000000", customer_id: "c-42", amount_minor: 2000 },
    ]);
  });

  it("applies refunds and cancellations: what is left counts, a full refund leaves revenue, a late older copy stays out", async () => {
    const api = await setUp();
    const [a, b] = fakeOrders(2);
    await shopifyPost(api, "orders/create", shopifyOrderJson(a!), "c-a");
    await shopifyPost(api, "orders/create", shopifyOrderJson(b!), "c-b");
    expect(revenue()).toBe(2000 + 2100);
    // b partly refunded: $8 of $21 back.
    const partly = {
      ...b!,
      current: "13.00",
      financialStatus: "partially_refunded",
      updatedAt: "2026-11-21T09:00:00Z",
    };
    await shopifyPost(api, "orders/updated", shopifyOrderJson(partly), "u-b");
    expect(revenue()).toBe(2000 + 1300);
    // a refunded in full: it leaves orders and revenue, and its rollup with it.
    const refunded = {
      ...a!,
      current: "0.00",
      financialStatus: "refunded",
      updatedAt: "2026-11-21T10:00:00Z",
    };
    await shopifyPost(api, "orders/updated", shopifyOrderJson(refunded), "u-a");
    expect(count("SELECT count(*) AS n FROM orders")).toBe(1);
    expect(revenue()).toBe(1300);
    expect(rolled()).toBe(1300);
    // Shopify retries the first orders/create late, under another delivery id: it stays out.
    await shopifyPost(api, "orders/create", shopifyOrderJson(a!), "c-a-late");
    expect(revenue()).toBe(1300);
  });

  it("reads the order again from the Admin API when a refund comes", async () => {
    const api = await setUp();
    const [a] = fakeOrders(1);
    await shopifyPost(api, "orders/create", shopifyOrderJson(a!), "c-a");
    shops.orders.push({
      ...a!,
      current: "5.00",
      financialStatus: "partially_refunded",
      updatedAt: "2026-11-22T08:00:00Z",
    });
    const refund = {
      id: 900,
      order_id: a!.id,
      created_at: "2026-11-22T08:00:00Z",
      transactions: [{ amount: "15.00", kind: "refund", status: "success" }],
    };
    expect((await shopifyPost(api, "refunds/create", refund, "r-1")).status).toBe(200);
    expect(revenue()).toBe(500);
  });

  it("pulls orders updated since the last pull, paged to the end, waiting for the query cost; nothing doubles with webhooks", async () => {
    const api = await setUp();
    const orders = fakeOrders(250);
    shops.orders.push(...orders);
    await shopifyPost(api, "orders/create", shopifyOrderJson(orders[0]!), "c-0");
    await t.platform.registries.commands.run("sources add shopify", { userId: "U0ADMIN" });
    shops.bucket = { available: 450, restoreRate: 1000 };
    shops.throttled = 1;
    const [outcome] = await pulledSources.of(t.platform).pullNow(1);
    expect(outcome).toMatchObject({ ok: true, accepted: 249, duplicates: 1 });
    expect(shops.log.filter((l) => l.path.endsWith("graphql.json"))).toHaveLength(1 + 3);
    expect(count("SELECT count(*) AS n FROM orders")).toBe(250);
    // Half of them came from a cpc link: paid search, campaign brand.
    expect(
      count("SELECT count(*) AS n FROM orders WHERE channel = 'paid_search' AND campaign_id = 'brand'"),
    ).toBe(125);
    // Next pull: what changed since, with a few days read again.
    shops.log.length = 0;
    const [again] = await pulledSources.of(t.platform).pullNow(1);
    expect(again!.ok).toBe(true);
    expect(JSON.parse(shops.log[0]!.body!).variables.query).toBe("updated_at:>='2026-11-13T00:00:00Z'");
    expect(count("SELECT count(*) AS n FROM orders")).toBe(250);
  });
});

describe("Stripe", () => {
  it("verifies Stripe-Signature (secret and 5-minute tolerance) before reading, and writes a replayed event once", async () => {
    const api = await setUp();
    const charge = fakeCharge(1, now - 60_000);
    const succeeded = event("evt_1", "charge.succeeded", charge);
    expect((await stripePost(api, succeeded, now, "whsec_wrong")).status).toBe(401);
    const stale = await stripePost(api, succeeded, now - 6 * 60_000);
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({
      ok: false,
      error: "Stripe-Signature: a signature older than 5 minutes (a replay?)",
    });
    expect(
      count("SELECT count(*) AS n FROM orders") + count("SELECT count(*) AS n FROM webhook_events"),
    ).toBe(0);
    expect((await stripePost(api, succeeded)).status).toBe(200);
    expect(await (await stripePost(api, succeeded)).json()).toEqual({ ok: true, duplicate: true });
    expect(t.db.sqlite.prepare("SELECT id, customer_id, amount_minor FROM orders").all()).toEqual([
      { id: "stripe-pi_000001", customer_id: "payer1@example.com", amount_minor: 2501 },
    ]);
  });

  it("counts a checkout and its charge as one order, and applies partial and full refunds", async () => {
    const api = await setUp();
    const charge = fakeCharge(2, now - 60_000);
    const session = {
      id: "cs_test_1",
      object: "checkout.session",
      mode: "payment",
      payment_status: "paid",
      payment_intent: "pi_000002",
      amount_total: 2502,
      currency: "usd",
      customer: "cus_2",
      customer_details: { email: "payer2@example.com" },
      created: Math.floor((now - 90_000) / 1000),
    };
    await stripePost(api, event("evt_s", "checkout.session.completed", session, now - 60_000));
    await stripePost(api, event("evt_c", "charge.succeeded", charge, now - 50_000));
    expect(count("SELECT count(*) AS n FROM orders")).toBe(1);
    expect(revenue()).toBe(2502);
    await stripePost(
      api,
      event("evt_r1", "charge.refunded", { ...charge, amount_refunded: 1000, refunded: false }, now - 40_000),
    );
    expect(revenue()).toBe(1502);
    await stripePost(
      api,
      event("evt_r2", "charge.refunded", { ...charge, amount_refunded: 2502, refunded: true }, now - 30_000),
    );
    expect(count("SELECT count(*) AS n FROM orders")).toBe(0);
    expect(rolled()).toBe(0);
  });

  it("pulls charges with starting_after to the end; one killed half-way writes nothing and the next reads them all", async () => {
    const api = await setUp();
    for (let i = 0; i < 250; i++) shops.charges.push(fakeCharge(i, now - (250 - i) * 60_000));
    await stripePost(api, event("evt_0", "charge.succeeded", shops.charges[0]!, now - 1000));
    await t.platform.registries.commands.run("sources add stripe", { userId: "U0ADMIN" });
    shops.breakAfterPages = 1;
    const [broken] = await pulledSources.of(t.platform).pullNow(1);
    expect(broken!.ok).toBe(false);
    expect(broken!.error).toContain("Stripe answered 500");
    expect(count("SELECT count(*) AS n FROM orders")).toBe(1);
    shops.breakAfterPages = null;
    shops.log.length = 0;
    const [whole] = await pulledSources.of(t.platform).pullNow(1);
    expect(whole).toMatchObject({ ok: true, accepted: 249, duplicates: 1 });
    expect(shops.log.map((l) => new URL(`http://x${l.path}`).pathname)).toHaveLength(3);
    expect(count("SELECT count(*) AS n FROM orders")).toBe(250);
    shops.stripeKey = "sk_test_rotated";
    const [refused] = await pulledSources.of(t.platform).pullNow(1);
    expect(refused!.error).toMatch(
      /^Stripe refused the credentials \(401: Invalid API Key provided: sk_test_\*\*\*\*\); check STRIPE_API_KEY/,
    );
  });
});
