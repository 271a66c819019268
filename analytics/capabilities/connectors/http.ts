import type { PullContext } from "../sources/index.ts";
import { PullError, retryAfterMs } from "../sources/index.ts";

/*
 * How the connectors call their platforms: JSON over the sources capability's checked fetch,
 * a rate limit (429, or a platform's own signal) or a failing server waited out a few times
 * when the wait is short, then a PullError the source shows with when it tries again; refused
 * credentials said plainly, with what to check.
 */

const HOUR = 3_600_000;

export interface JsonResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One JSON call. `refused` names what to check when the platform refuses the credentials;
 * `throttle` reads a platform's own rate-limit signal from a response (ok or not) as a wait in ms.
 */
export async function requestJson<T>(
  context: PullContext,
  url: string,
  options: {
    what: string;
    refused: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    maxBytes?: number;
    timeoutMs?: number;
    throttle?: (response: JsonResponse<unknown>) => number | undefined;
    /** A 400 that is a refusal or a rate limit in this platform's words (Meta's OAuthException …). */
    classify?: (response: JsonResponse<unknown>) => "refused" | "rate_limited" | null;
  },
): Promise<JsonResponse<T>> {
  for (let attempt = 1; ; attempt++) {
    const fetched = await context.fetch(url, {
      method: options.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(options.body ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
      maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    let body: unknown = null;
    try {
      body = fetched.body.length > 0 ? JSON.parse(fetched.body.toString("utf8")) : null;
    } catch {
      body = null;
    }
    const response = { status: fetched.status, headers: fetched.headers, body };
    const kind = options.classify?.(response) ?? null;
    const throttled = options.throttle?.(response);
    if (fetched.status >= 200 && fetched.status < 300 && kind === null && throttled === undefined)
      return response as JsonResponse<T>;
    if (kind === "refused" || fetched.status === 401 || fetched.status === 403)
      throw new PullError(
        `${options.what} refused the credentials (${fetched.status}${said(body)}); ${options.refused}`,
        6 * HOUR,
      );
    const limited = kind === "rate_limited" || throttled !== undefined || fetched.status === 429;
    if (limited || fetched.status >= 500) {
      const wait =
        throttled ?? retryAfterMs(fetched.headers["retry-after"]) ?? (limited ? 60_000 : 1000 * attempt);
      // Short waits are waited out here; a long one ends the pull, and the source tries again then.
      if (attempt < 4 && wait <= 10_000) {
        await sleep(wait);
        continue;
      }
      throw new PullError(
        `${options.what} answered ${fetched.status}${limited ? " (rate limited)" : ""}${said(body)}`,
        Math.max(wait, 60_000),
      );
    }
    throw new PullError(`${options.what} answered ${fetched.status}${said(body)}`);
  }
}

/** The platform's own words from an error body, short. */
function said(body: unknown): string {
  const b = body as Record<string, unknown> | null;
  const error = (Array.isArray(b) ? (b[0] as Record<string, unknown>)?.["error"] : b?.["error"]) as
    | Record<string, unknown>
    | string
    | undefined;
  const message =
    typeof error === "string"
      ? `${error}${typeof b?.["error_description"] === "string" ? `: ${b["error_description"]}` : ""}`
      : typeof error?.["message"] === "string"
        ? error["message"]
        : Array.isArray(b?.["errors"]) &&
            typeof (b["errors"][0] as Record<string, unknown>)?.["message"] === "string"
          ? ((b["errors"][0] as Record<string, unknown>)["message"] as string)
          : "";
  return message ? `: ${message.slice(0, 200)}` : "";
}

/** Minor units as the major-unit text data kinds read ("2000", USD → "20.00"). */
export function majorText(minor: number, decimals: number): string {
  return (minor / 10 ** decimals).toFixed(decimals);
}

/** A day N days before another (YYYY-MM-DD). */
export function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** Today in a time zone (YYYY-MM-DD). */
export function todayIn(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/**
 * A field of a platform's JSON as text: strings as they are, numbers and booleans written out,
 * anything else (an object, an array, null) as `fallback` — never String() of an object, which
 * throws for one without a usable toString.
 */
export function scalarText(value: unknown, fallback = ""): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return fallback;
}

/** A field of a platform's JSON as a number: numbers as they are, numeric text read, anything else NaN. */
export function scalarNumber(value: unknown, fallback = Number.NaN): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  return Number.NaN;
}
