import type { Logger } from "../../platform/base/log.ts";
import type { FetchedResponse, SafeFetchOptions } from "./http.ts";

/** What a pull may use: the checked fetch, the clock, a logger (credentials are the connector's own settings). */
export interface PullContext {
  /** Fetches under Lift's limits (private addresses, size, redirects, time); adds the User-Agent. */
  fetch(
    url: string,
    options?: Partial<Omit<SafeFetchOptions, "allowPrivate" | "userAgent">>,
  ): Promise<FetchedResponse>;
  now: number;
  logger: Logger;
}

export interface PullResult {
  /** Rows of the connector's data kind, as its normaliser reads them. */
  rows: unknown[];
  /** Where the next pull resumes (an id, a date, an ETag); null to start over. */
  cursor: string | null;
}

/** A source as a person configured it. */
export interface SourceConfig {
  name: string;
  config: Record<string, unknown>;
}

/**
 * A kind of pulled source (RSS, Mastodon, Hacker News, …): how a person names
 * one, and how one pull reads new rows from where the last one stopped.
 */
export interface ConnectorKind {
  kind: string;
  label: string;
  /** The data kind its rows are ("mentions"). */
  dataKind: string;
  /** `sources add <kind> …`: what follows the kind. */
  usage: string;
  example: string;
  defaultEveryMinutes: number;
  /** Its refunded or cancelled orders take stored ones out of revenue (BatchOptions.voids). */
  voids?: boolean;
  /** The words after the kind → the source's name and config; throws an AppError saying what is wrong. */
  configure(target: string): SourceConfig;
  pull(config: Record<string, unknown>, cursor: string | null, context: PullContext): Promise<PullResult>;
}

/**
 * A pull that failed in a way the platform should hear about: rate limited
 * (wait `retryAfterMs`), or refused for good (bad credentials: wait long).
 */
export class PullError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "PullError";
  }
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`, never negative; undefined without one. */
export function retryAfterMs(header: string | undefined | null, now = Date.now()): number | undefined {
  if (header === undefined || header === null || header === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Turns a fetched response that is not a success into the error a source shows. */
export function checkResponse(response: FetchedResponse, what: string): FetchedResponse {
  if (response.status >= 200 && response.status < 300) return response;
  if (response.status === 429 || response.status === 503) {
    throw new PullError(
      `${what} answered ${response.status} (${response.status === 429 ? "rate limited" : "unavailable"})`,
      retryAfterMs(response.headers["retry-after"]),
    );
  }
  throw new PullError(`${what} answered ${response.status}`);
}
