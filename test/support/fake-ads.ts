import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyText, LoopbackApi } from "./loopback-api.ts";

/*
 * Google Ads and Meta Ads on loopback, in their documented wire formats, written for Lift's
 * tests from the platforms' docs: Google's OAuth token endpoint (refresh_token grant) and the
 * Google Ads API REST `customers/{id}/googleAds:searchStream` (a JSON array of result batches,
 * int64 metrics as strings, errors as {error: {code, status, details}} with a quota retryDelay);
 * Meta's Graph API ad account, insights edge (level=campaign, time_increment=1, cursor paging by
 * `paging.next`), asynchronous report runs, x-business-use-case-usage, and OAuthException errors.
 */

export interface AdDay {
  campaignId: string;
  name: string;
  day: string;
  impressions: number;
  clicks: number;
  /** In the account's currency, major units. */
  spend: number;
  conversions: number;
  value: number;
}

export class FakeAds extends LoopbackApi {
  refreshToken = "refresh-1";
  accessToken = "ya29.access";
  developerToken = "dev-token";
  metaToken = "meta-token";
  googleCurrency = "EUR";
  googleTimeZone = "Europe/Berlin";
  metaCurrency = "USD";
  readonly google: AdDay[] = [];
  readonly meta: AdDay[] = [];
  readonly log: { method: string; path: string; status: number; body?: string }[] = [];
  /** The next n Google Ads calls answer 429 RESOURCE_EXHAUSTED with this retryDelay (seconds). */
  googleQuota = { times: 0, retrySeconds: 2 };
  /** Meta's usage header asks accounts to wait this many minutes (0: none). */
  metaRegainMinutes = 0;
  /** Meta insights rows a page. */
  metaPageSize = 25;
  /** Polls before a report run says it is complete. */
  metaRunPolls = 1;
  private runs = new Map<string, { rows: AdDay[]; polls: number }>();

  protected async handle(req: IncomingMessage, res: ServerResponse) {
    const body = await bodyText(req);
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.log.push({ method: req.method ?? "GET", path: url.pathname, status, body });
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
      res.end(JSON.stringify(payload));
    };
    if (url.pathname === "/token") {
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "refresh_token" || form.get("refresh_token") !== this.refreshToken)
        return send(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
      return send(200, {
        access_token: this.accessToken,
        expires_in: 3599,
        scope: "https://www.googleapis.com/auth/adwords",
        token_type: "Bearer",
      });
    }
    const google = /^\/v\d+\/customers\/(\d+)\/googleAds:searchStream$/.exec(url.pathname);
    if (google) return this.searchStream(req, body, send);
    if (url.pathname.startsWith("/meta/")) return this.graph(req, url, send);
    send(404, { error: { code: 404, message: "Not Found", status: "NOT_FOUND" } });
  }

  private searchStream(
    req: IncomingMessage,
    body: string,
    send: (s: number, p: unknown, h?: Record<string, string>) => void,
  ) {
    if (
      req.headers.authorization !== `Bearer ${this.accessToken}` ||
      req.headers["developer-token"] !== this.developerToken
    )
      return send(401, {
        error: {
          code: 401,
          message: "Request is missing required authentication credential. Expected OAuth 2 access token.",
          status: "UNAUTHENTICATED",
        },
      });
    if (this.googleQuota.times > 0) {
      this.googleQuota.times--;
      return send(429, {
        error: {
          code: 429,
          message: "Resource has been exhausted (e.g. check quota).",
          status: "RESOURCE_EXHAUSTED",
          details: [
            {
              "@type": "type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure",
              errors: [
                {
                  errorCode: { quotaError: "RESOURCE_EXHAUSTED" },
                  message: "Too many requests. Retry in 2 seconds.",
                  details: {
                    quotaErrorDetails: {
                      rateScope: "ACCOUNT",
                      rateName: "Number of operations for basic access",
                      retryDelay: `${this.googleQuota.retrySeconds}s`,
                    },
                  },
                },
              ],
            },
          ],
        },
      });
    }
    const { query } = JSON.parse(body) as { query: string };
    if (/FROM customer\b/.test(query))
      return send(200, [
        {
          results: [
            {
              customer: {
                resourceName: "customers/1234567890",
                currencyCode: this.googleCurrency,
                timeZone: this.googleTimeZone,
              },
            },
          ],
          fieldMask: "customer.currencyCode,customer.timeZone",
          requestId: "req-1",
        },
      ]);
    const m = /segments\.date BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/.exec(query);
    const rows = this.google.filter((d) => !m || (d.day >= m[1]! && d.day <= m[2]!));
    // searchStream: every result in batches of up to 10,000 rows, in one answer.
    const batches = [];
    for (let i = 0; i < rows.length || i === 0; i += 10_000)
      batches.push({
        results: rows.slice(i, i + 10_000).map((d) => ({
          campaign: {
            resourceName: `customers/1234567890/campaigns/${d.campaignId}`,
            id: d.campaignId,
            name: d.name,
            advertisingChannelType: "SEARCH",
          },
          segments: { date: d.day },
          metrics: {
            impressions: String(d.impressions),
            clicks: String(d.clicks),
            costMicros: String(Math.round(d.spend * 1_000_000)),
            conversions: d.conversions,
            conversionsValue: d.value,
          },
        })),
        fieldMask:
          "campaign.id,campaign.name,segments.date,metrics.impressions,metrics.clicks,metrics.costMicros,metrics.conversions,metrics.conversionsValue",
        requestId: `req-${i}`,
      });
    send(200, batches);
  }

  private graph(
    req: IncomingMessage,
    url: URL,
    send: (s: number, p: unknown, h?: Record<string, string>) => void,
  ) {
    const usage = {
      "x-business-use-case-usage": JSON.stringify({
        "1234567": [
          {
            type: "ads_insights",
            call_count: this.metaRegainMinutes > 0 ? 100 : 12,
            total_cputime: 8,
            total_time: 9,
            estimated_time_to_regain_access: this.metaRegainMinutes,
          },
        ],
      }),
    };
    if (req.headers.authorization !== `Bearer ${this.metaToken}`)
      return send(400, {
        error: {
          message: "Error validating access token: Session has expired.",
          type: "OAuthException",
          code: 190,
          error_subcode: 463,
          fbtrace_id: "A1",
        },
      });
    if (this.metaRegainMinutes > 0)
      return send(
        400,
        {
          error: {
            message: "(#80004) There have been too many calls to this ad-account.",
            type: "OAuthException",
            code: 80004,
            error_subcode: 2446079,
            fbtrace_id: "A2",
          },
        },
        usage,
      );
    const path = url.pathname.slice("/meta".length);
    if (/^\/act_\d+$/.test(path))
      return send(
        200,
        { currency: this.metaCurrency, timezone_name: "America/Los_Angeles", id: path.slice(1) },
        usage,
      );
    const insights = /^\/act_\d+\/insights$/.exec(path);
    if (insights) {
      const range = JSON.parse(url.searchParams.get("time_range") ?? "{}") as {
        since?: string;
        until?: string;
      };
      const rows = this.meta.filter(
        (d) => (!range.since || d.day >= range.since) && (!range.until || d.day <= range.until),
      );
      if (req.method === "POST") {
        const id = `run${this.runs.size + 1}`;
        this.runs.set(id, { rows, polls: 0 });
        return send(200, { report_run_id: id }, usage);
      }
      return this.page(rows, url, `${this.url}/meta${path}`, send, usage);
    }
    const run = /^\/(run\d+)(\/insights)?$/.exec(path);
    if (run) {
      const job = this.runs.get(run[1]!)!;
      if (!run[2]) {
        job.polls++;
        const done = job.polls >= this.metaRunPolls;
        return send(
          200,
          {
            id: run[1],
            async_status: done ? "Job Completed" : "Job Running",
            async_percent_completion: done ? 100 : 50,
          },
          usage,
        );
      }
      return this.page(job.rows, url, `${this.url}/meta${path}`, send, usage);
    }
    send(400, { error: { message: `Unknown path ${path}`, type: "GraphMethodException", code: 100 } });
  }

  private page(
    rows: AdDay[],
    url: URL,
    base: string,
    send: (s: number, p: unknown, h?: Record<string, string>) => void,
    headers: Record<string, string>,
  ) {
    const at = Number(Buffer.from(url.searchParams.get("after") ?? "MA==", "base64").toString() || 0);
    const page = rows.slice(at, at + this.metaPageSize);
    const nextAt = at + this.metaPageSize;
    const cursor = (n: number) => Buffer.from(String(n)).toString("base64");
    const next = new URL(base);
    for (const [k, v] of url.searchParams) if (k !== "after") next.searchParams.set(k, v);
    next.searchParams.set("after", cursor(nextAt));
    send(
      200,
      {
        data: page.map((d) => ({
          campaign_id: d.campaignId,
          campaign_name: d.name,
          impressions: String(d.impressions),
          clicks: String(d.clicks),
          spend: d.spend.toFixed(2),
          actions: [
            { action_type: "link_click", value: String(d.clicks) },
            { action_type: "omni_purchase", value: String(d.conversions) },
          ],
          action_values: [{ action_type: "omni_purchase", value: d.value.toFixed(2) }],
          date_start: d.day,
          date_stop: d.day,
        })),
        paging: {
          cursors: { before: cursor(at), after: cursor(nextAt) },
          ...(nextAt < rows.length ? { next: next.toString() } : {}),
        },
      },
      headers,
    );
  }
}

/** `n` campaigns × the days from `from` to `to`, with figures that differ by campaign and day. */
export function adDays(prefix: string, n: number, from: string, to: string): AdDay[] {
  const days: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    days.push(d.toISOString().slice(0, 10));
  return Array.from({ length: n }, (_, c) =>
    days.map((day, i) => ({
      campaignId: `${prefix}${1000 + c}`,
      name: `Campaign ${c + 1}`,
      day,
      impressions: 1000 + c * 10 + i,
      clicks: 50 + (i % 7),
      spend: 12.34 + c + i / 100,
      conversions: 2 + (i % 3),
      value: 80 + c,
    })),
  ).flat();
}
