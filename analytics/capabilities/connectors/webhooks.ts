import { claimWebhooks, customerIdsByEmail, releaseWebhooks } from "../../../db/connectors/queries.ts";
import { readAtMost } from "../../platform/base/bounded.ts";
import type { CapabilityContext, HttpRoute } from "../../platform/contract/capability.ts";
import { safeFetch, USER_AGENT } from "../sources/index.ts";
import type { ConnectorSettings } from "./settings.ts";
import { fromWebhook, orderRow, pullShopifyOrders, type ShopOrder, shopifySignatureOk } from "./shopify.ts";
import { fromCharge, fromSession, type Payment, paymentRow, stripeSignatureProblem } from "./stripe.ts";

/*
 * The shops' webhooks. Each is verified against its secret before a byte of it is read as JSON
 * (a body that fails is 401 and nothing is written), claimed by its delivery id (a replay or a
 * retry of the same delivery is 200 and written once), then written through the orders data
 * kind with refunds and cancellations applied. A delivery Lift could not write gives its claim
 * back and answers 500, so the platform's retry is taken.
 */

const LIMIT = 1024 * 1024;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Customer ids for orders: the Lift customer with the email, else the email, else the shop's id. */
export async function customersFor(
  context: CapabilityContext,
  people: readonly { email: string | null; shopId: string | null }[],
  prefix: string,
): Promise<(string | null)[]> {
  const known = await customerIdsByEmail(
    context.tables,
    people.flatMap((p) => (p.email ? [p.email] : [])),
  );
  return people.map((p) =>
    p.email
      ? (known.get(p.email.toLowerCase()) ?? p.email.toLowerCase())
      : p.shopId
        ? `${prefix}${p.shopId}`
        : null,
  );
}

export async function shopRows(context: CapabilityContext, orders: ShopOrder[]) {
  const ids = await customersFor(
    context,
    orders.map((o) => ({ email: o.email, shopId: o.customerId })),
    "shopify-customer-",
  );
  return orders.flatMap((o, i) => {
    const row = orderRow(o, ids[i]!);
    return row ? [row] : [];
  });
}

export async function paymentRows(context: CapabilityContext, payments: Payment[], updatedAt: number) {
  const ids = await customersFor(
    context,
    payments.map((p) => ({ email: p.email, shopId: p.customer })),
    "stripe-",
  );
  return payments.map((p, i) => paymentRow(p, ids[i]!, updatedAt));
}

interface Pending {
  delivery: { provider: string; eventId: string; topic: string };
  rows: Record<string, unknown>[];
  done: (outcome: { duplicate: true } | { rejected: string[] } | { error: Error }) => void;
}

/**
 * Deliveries arriving together are claimed in one transaction and written in another (as the
 * event writer groups concurrent batches): while one group is written, the next gathers.
 */
class WebhookWriter {
  #queue: Pending[] = [];
  #writing = false;

  constructor(private readonly context: CapabilityContext) {}

  take(
    delivery: Pending["delivery"],
    rows: Record<string, unknown>[],
  ): Promise<Parameters<Pending["done"]>[0]> {
    return new Promise((done) => {
      this.#queue.push({ delivery, rows, done });
      // A moment for the deliveries arriving beside this one to join its group.
      if (!this.#writing) {
        this.#writing = true;
        setTimeout(() => void this.#drain(), 2);
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0, 500);
      try {
        const claimed = await claimWebhooks(
          this.context.tables,
          group.map((p) => p.delivery),
          this.context.now(),
        );
        const taken = group.filter((_, i) => claimed[i]);
        for (const [i, p] of group.entries()) if (!claimed[i]) p.done({ duplicate: true });
        const rows = taken.flatMap((p) => p.rows);
        try {
          const result =
            rows.length > 0
              ? await this.context.platform.ingest.write("orders", rows, { voids: true })
              : null;
          let at = 0;
          for (const p of taken) {
            const from = at;
            at += p.rows.length;
            p.done({
              rejected: (result?.rejected ?? [])
                .filter((r) => r.index >= from && r.index < at)
                .map((r) => r.reason),
            });
          }
        } catch (error) {
          // Nothing of the group was written: the claims go back, so the platforms' retries are taken.
          await releaseWebhooks(
            this.context.tables,
            taken.map((p) => p.delivery),
          );
          throw error;
        }
      } catch (error) {
        this.context.logger.error(
          { deliveries: group.length, error: (error as Error).message },
          "webhooks could not be written",
        );
        for (const p of group) p.done({ error: error as Error });
      }
    }
    this.#writing = false;
  }
}

const writers = new WeakMap<object, WebhookWriter>();

/** Works out a delivery's rows, then claims and writes it with the deliveries arriving beside it. */
async function take(
  context: CapabilityContext,
  delivery: { provider: string; eventId: string; topic: string },
  rows: () => Promise<Record<string, unknown>[]>,
): Promise<Response> {
  let writer = writers.get(context.tables);
  if (!writer) {
    writer = new WebhookWriter(context);
    writers.set(context.tables, writer);
  }
  const outcome = await writer.take(delivery, await rows());
  if ("duplicate" in outcome) return json(200, { ok: true, duplicate: true });
  if ("error" in outcome) return json(500, { ok: false, error: "could not be written; retry" });
  return json(200, { ok: true, rejected: outcome.rejected });
}

/**
 * A webhook's JSON once its signature holds over the raw body (read to 1 MB at most), or the
 * answer to give instead: 404 without the secret, 413, 401 (logged, nothing read), 400.
 */
async function verifiedJson<T>(
  request: Request,
  context: CapabilityContext,
  check: {
    provider: string;
    label: string;
    secret: string | undefined;
    setting: string;
    problem: (raw: Buffer, secret: string) => string | null;
  },
): Promise<T | Response> {
  if (!check.secret)
    return json(404, { ok: false, error: `${check.label} webhooks are not set up (${check.setting})` });
  const raw = await readAtMost(request.body, LIMIT);
  if (raw === null) return json(413, { ok: false, error: "a webhook is 1 MB at most" });
  const problem = check.problem(raw, check.secret);
  if (problem) {
    context.logger.warn({ provider: check.provider, problem }, "a webhook failed verification");
    return json(401, { ok: false, error: problem });
  }
  try {
    return JSON.parse(raw.toString("utf8")) as T;
  } catch {
    return json(400, { ok: false, error: "the body is not JSON" });
  }
}

export function webhookRoutes(settings: () => ConnectorSettings): HttpRoute[] {
  const shopify: HttpRoute = {
    method: "POST",
    path: "/v1/webhooks/shopify",
    surface: "public",
    async handle(request, _params, context) {
      const s = settings();
      const body = await verifiedJson<Record<string, unknown>>(request, context, {
        provider: "shopify",
        label: "Shopify",
        secret: s.SHOPIFY_WEBHOOK_SECRET,
        setting: "SHOPIFY_WEBHOOK_SECRET",
        problem: (raw, secret) =>
          shopifySignatureOk(raw, request.headers.get("x-shopify-hmac-sha256") ?? undefined, secret)
            ? null
            : "the X-Shopify-Hmac-Sha256 signature does not match",
      });
      if (body instanceof Response) return body;
      const topic = request.headers.get("x-shopify-topic") ?? "";
      const eventId =
        request.headers.get("x-shopify-webhook-id") ?? request.headers.get("x-shopify-event-id") ?? "";
      if (
        !["orders/create", "orders/updated", "orders/cancelled", "orders/paid", "refunds/create"].includes(
          topic,
        )
      )
        return json(200, { ok: true, ignored: topic });
      return take(
        context,
        { provider: "shopify", eventId: eventId || `${topic}:${body["id"]}:${body["updated_at"]}`, topic },
        async () => {
          if (topic !== "refunds/create") return shopRows(context, [fromWebhook(body)]);
          // A refund names its order: read the order as it is now (what is left), when Lift can.
          if (!(s.SHOPIFY_SHOP_URL && s.SHOPIFY_ACCESS_TOKEN)) return [];
          const orders = await pullShopifyOrders(
            {
              now: context.now(),
              logger: context.logger,
              // The sources' checked fetch (size, time, redirects); the shop is an admin's setting.
              fetch: (url, options) =>
                safeFetch(url, { ...options, allowPrivate: true, userAgent: USER_AGENT }),
            },
            s,
            null,
            `id:${body["order_id"]}`,
          );
          return shopRows(context, orders);
        },
      );
    },
  };
  const stripe: HttpRoute = {
    method: "POST",
    path: "/v1/webhooks/stripe",
    surface: "public",
    async handle(request, _params, context) {
      const s = settings();
      const event = await verifiedJson<{
        id?: string;
        type?: string;
        created?: number;
        data?: { object?: Record<string, unknown> };
      }>(request, context, {
        provider: "stripe",
        label: "Stripe",
        secret: s.STRIPE_WEBHOOK_SECRET,
        setting: "STRIPE_WEBHOOK_SECRET",
        problem: (raw, secret) => {
          const problem = stripeSignatureProblem(
            raw,
            request.headers.get("stripe-signature") ?? undefined,
            secret,
            context.now(),
          );
          return problem ? `Stripe-Signature: ${problem}` : null;
        },
      });
      if (event instanceof Response) return event;
      const type = event.type ?? "";
      const object = event.data?.object;
      if (
        !event.id ||
        !object ||
        !["charge.succeeded", "charge.refunded", "checkout.session.completed"].includes(type)
      )
        return json(200, { ok: true, ignored: type });
      const at = Number(event.created ?? 0) * 1000 || context.now();
      return take(context, { provider: "stripe", eventId: event.id, topic: type }, async () => {
        const payment = type === "checkout.session.completed" ? fromSession(object) : fromCharge(object);
        return payment ? paymentRows(context, [payment], at) : [];
      });
    },
  };
  return [shopify, stripe];
}
