import { createHmac, timingSafeEqual } from "node:crypto";
import { currencyDecimals } from "../../platform/base/format.ts";
import { type ConnectorKind, type PullContext, PullError } from "../sources/index.ts";
import { majorText, requestJson, scalarNumber, scalarText } from "./http.ts";
import type { ConnectorSettings } from "./settings.ts";

/*
 * Stripe: payments pushed by webhooks (charge.succeeded, charge.refunded,
 * checkout.session.completed), verified by the Stripe-Signature header before anything is read,
 * and a pull of charges created since the last one (`starting_after` paging to the end) to take
 * what webhooks missed. A payment is one order, `stripe-<payment intent>` (or the charge's id
 * without one), whichever event or pull brings it; a full refund takes it out of revenue, a
 * partial one leaves what was kept.
 */

/** What Lift reads of a payment. */
export interface Payment {
  id: string;
  email: string | null;
  customer: string | null;
  created: number;
  /** Minor units kept: paid less refunded. */
  kept: number;
  currency: string;
  status: "paid" | "refunded" | "failed";
}

/**
 * Verifies Stripe-Signature (`t=…,v1=…[,v1=…]`): HMAC-SHA256 of "t.body" under the endpoint's
 * secret, any v1 matching, and t within `toleranceMs` of now. Says why not, or null when good.
 */
export function stripeSignatureProblem(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  now: number,
  toleranceMs = 300_000,
): string | null {
  if (!header) return "no Stripe-Signature header";
  const parts = header.split(",").map((p) => p.split("=", 2) as [string, string]);
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const signatures = parts.filter(([k]) => k === "v1").map(([, v]) => Buffer.from(v ?? "", "hex"));
  if (!Number.isFinite(t) || signatures.length === 0) return "a malformed Stripe-Signature header";
  const expected = createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest();
  if (!signatures.some((s) => s.length === expected.length && timingSafeEqual(s, expected)))
    return "a signature that does not match";
  if (Math.abs(now - t * 1000) > toleranceMs) return "a signature older than 5 minutes (a replay?)";
  return null;
}

const email = (...values: unknown[]) => {
  for (const v of values) if (typeof v === "string" && v.includes("@")) return v.toLowerCase();
  return null;
};

/** A charge (webhook or pull) → a payment. */
export function fromCharge(charge: Record<string, unknown>): Payment {
  const billing = (charge["billing_details"] ?? {}) as Record<string, unknown>;
  const amount = scalarNumber(charge["amount"], 0);
  const refunded = scalarNumber(charge["amount_refunded"], 0);
  const succeeded = charge["status"] === "succeeded" || charge["paid"] === true;
  return {
    id: scalarText(charge["payment_intent"] ?? charge["id"]),
    email: email(billing["email"], charge["receipt_email"]),
    customer: typeof charge["customer"] === "string" ? charge["customer"] : null,
    created: scalarNumber(charge["created"]) * 1000,
    kept: amount - refunded,
    currency: scalarText(charge["currency"], "").toUpperCase(),
    status: !succeeded ? "failed" : refunded >= amount && amount > 0 ? "refunded" : "paid",
  };
}

/** A paid Checkout Session in payment mode → its payment; other modes are their charges' (null). */
export function fromSession(session: Record<string, unknown>): Payment | null {
  if (session["mode"] !== "payment" || session["payment_status"] !== "paid" || !session["payment_intent"])
    return null;
  const details = (session["customer_details"] ?? {}) as Record<string, unknown>;
  return {
    id: scalarText(session["payment_intent"]),
    email: email(details["email"], session["customer_email"]),
    customer: typeof session["customer"] === "string" ? session["customer"] : null,
    created: scalarNumber(session["created"]) * 1000,
    kept: scalarNumber(session["amount_total"], 0),
    currency: scalarText(session["currency"], "").toUpperCase(),
    status: "paid",
  };
}

/** An order row of the orders data kind. */
export function paymentRow(
  payment: Payment,
  customerId: string | null,
  updatedAt: number,
): Record<string, unknown> {
  // A code that is no currency is refused by the orders kind with its reason; its decimals are a dollar's here.
  const decimals = currencyDecimals(/^[A-Z]{3}$/.test(payment.currency) ? payment.currency : "USD");
  return {
    id: `stripe-${payment.id}`,
    customer_id: customerId,
    amount: majorText(payment.kept, decimals),
    currency: payment.currency || undefined,
    // A payment without a time is refused by the orders kind, not a RangeError here.
    timestamp: Number.isNaN(new Date(payment.created).getTime())
      ? undefined
      : new Date(payment.created).toISOString(),
    status: payment.status,
    updated_at: new Date(updatedAt).toISOString(),
  };
}

/** Every charge created since `since` (ms), newest first, `starting_after` to the end. */
export async function pullCharges(context: PullContext, settings: ConnectorSettings, since: number | null) {
  if (!settings.STRIPE_API_KEY)
    throw new PullError("Stripe is not configured: set STRIPE_API_KEY", 6 * 3_600_000);
  const base = settings.STRIPE_API_BASE.replace(/\/+$/, "");
  const charges: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (;;) {
    const query = new URLSearchParams({ limit: "100" });
    if (since !== null) query.set("created[gte]", String(Math.floor(since / 1000)));
    if (after) query.set("starting_after", after);
    const page: { data: Record<string, unknown>[]; has_more: boolean } = (
      await requestJson<{ data: Record<string, unknown>[]; has_more: boolean }>(
        context,
        `${base}/v1/charges?${query}`,
        {
          what: "Stripe",
          refused: "check STRIPE_API_KEY (a restricted key with read access to charges)",
          headers: { authorization: `Bearer ${settings.STRIPE_API_KEY}`, "stripe-version": "2024-06-20" },
        },
      )
    ).body;
    charges.push(...page.data);
    if (!page.has_more || page.data.length === 0) break;
    after = String(page.data.at(-1)!["id"]);
  }
  return charges;
}

export function stripeConnector(
  settings: () => ConnectorSettings,
  rows: (payments: Payment[], now: number) => Promise<Record<string, unknown>[]>,
): ConnectorKind {
  return {
    kind: "stripe",
    label: "Stripe payments",
    dataKind: "orders",
    usage: "(the account of STRIPE_API_KEY)",
    example: "sources add stripe",
    defaultEveryMinutes: 60,
    voids: true,
    configure() {
      return { name: "Stripe", config: {} };
    },
    async pull(_config, cursor, context) {
      const s = settings();
      // Charges created since the last pull, less a few days: refunds of recent ones are read again.
      const since = cursor ? Number(cursor) - s.LIFT_CONNECTORS_REREAD_DAYS * 86_400_000 : null;
      const charges = await pullCharges(context, s, since);
      const latest = charges.reduce(
        (max, c) => Math.max(max, Number(c["created"]) * 1000),
        cursor ? Number(cursor) : 0,
      );
      return {
        rows: await rows(charges.map(fromCharge), context.now),
        cursor: latest > 0 ? String(latest) : cursor,
      };
    },
  };
}
