import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's replay window: a request signed more than five minutes ago is refused. */
export const MAX_AGE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/**
 * Verifies `X-Slack-Signature` = v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")
 * (docs.slack.dev/authentication/verifying-requests-from-slack), in constant time.
 */
export function verifySlackRequest(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string | null,
  nowSeconds: number,
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp)
    return { ok: false, reason: "missing X-Slack-Signature or X-Slack-Request-Timestamp" };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: "X-Slack-Request-Timestamp is not a number" };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_AGE_SECONDS) {
    return { ok: false, reason: "the request is more than five minutes old (or the clocks differ)" };
  }
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: "X-Slack-Signature is not v0=<hex>" };
  // Without the body (headers checked before it is read), this is as far as it goes.
  if (rawBody === null) return { ok: true };
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "the signature does not match the signing secret" };
  }
  return { ok: true };
}
