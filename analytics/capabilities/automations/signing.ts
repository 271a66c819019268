import { createHmac, timingSafeEqual } from "node:crypto";
import { keyedHash } from "../../platform/contract/personal.ts";

/*
 * Keyed hashes and signed tokens. Suppressions are HMAC-SHA256 of the normalised address under
 * the workspace's hash key (a list that proves an address is suppressed without holding it);
 * unsubscribe and click links carry the send's id and a MAC, so no one can unsubscribe or
 * count clicks for someone else by guessing ids; webhook bodies are signed as Stripe signs its
 * own (`t=…,v1=…`, HMAC-SHA256 of "t.body").
 */

/** The suppression list's hash of an address: the platform's keyed hash, as blind indexes and erasures keep it. */
export function emailHash(key: Buffer, email: string): string {
  return keyedHash(key, "email", email);
}

function mac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("base64url").slice(0, 22);
}

/**
 * A link token: what it is for, the send, an index (the link's), and a MAC over them and `bound`
 * (a click link's target, so the redirect goes only where the message pointed).
 */
export function signToken(
  key: Buffer,
  purpose: "u" | "c" | "o",
  sendId: number,
  index = 0,
  bound = "",
): string {
  const body = `${purpose}${sendId.toString(36)}.${index.toString(36)}`;
  return `${body}.${mac(key, `${body}|${bound}`)}`;
}

/** The send and index a token names, or null when it is not one Lift signed for this purpose. */
export function readToken(
  key: Buffer,
  purpose: "u" | "c" | "o",
  token: string,
  bound = "",
): { sendId: number; index: number } | null {
  const m = /^([uco])([0-9a-z]{1,12})\.([0-9a-z]{1,4})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m || m[1] !== purpose) return null;
  const expected = Buffer.from(mac(key, `${m[1]}${m[2]}.${m[3]}|${bound}`));
  const given = Buffer.from(m[4]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { sendId: Number.parseInt(m[2]!, 36), index: Number.parseInt(m[3]!, 36) };
}

/** The `X-Lift-Signature` header of a webhook body. */
export function signWebhook(secret: string | Buffer, timestampSeconds: number, body: string): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${v1}`;
}

/** The webhook secret: the setting, or one derived from the hash key (`lift automations webhook-secret` shows it). */
export function webhookSecret(setting: string | undefined, hashKey: Buffer): string {
  return setting ?? createHmac("sha256", hashKey).update("lift-webhook-secret").digest("base64url");
}
