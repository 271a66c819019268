import { afterEach, describe, expect, it } from "vitest";
import { pulledSources } from "../../../../analytics/capabilities/sources/index.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import { adDays, FakeAds } from "../../../support/fake-ads.ts";

/*
 * Google Ads and Meta Ads spend pulled from loopback servers speaking their wire formats
 * (test/support/fake-ads.ts) into campaigns' days: micros and the account's currency, the
 * account's days, a 90-day first pull, restated days read again without doubling, Meta's cursor
 * paging and report runs, rate limits in each platform's own words, credentials refused.
 */

let t: TestDb;
let ads: FakeAds;
let now = Date.parse("2026-11-24T15:00:00Z");

afterEach(async () => {
  await ads?.stop();
  t?.cleanup();
});

async function setUp() {
  ads = await new FakeAds().start();
  now = Date.parse("2026-11-24T15:00:00Z");
  t = emptyDb({
    now: () => now,
    timeZone: "UTC",
    currency: "USD",
    fxRates: { EUR: 1.1 },
    env: {
      LIFT_SOURCES_ALLOW_PRIVATE: "true",
      GOOGLE_ADS_BASE_URL: ads.url,
      GOOGLE_OAUTH_TOKEN_URL: `${ads.url}/token`,
      GOOGLE_ADS_DEVELOPER_TOKEN: ads.developerToken,
      GOOGLE_ADS_CLIENT_ID: "client",
      GOOGLE_ADS_CLIENT_SECRET: "secret",
      GOOGLE_ADS_REFRESH_TOKEN: ads.refreshToken,
      META_GRAPH_URL: `${ads.url}/meta`,
      META_ACCESS_TOKEN: ads.metaToken,
    },
  });
}

const run = (text: string): Promise<Report> =>
  t.platform.registries.commands.run(text, { userId: "U0ADMIN" });
const one = <T>(sql: string) => t.db.sqlite.prepare(sql).get() as T;
const pull = async (id: number) => (await pulledSources.of(t.platform).pullNow(id))[0]!;

describe("Google Ads", () => {
  it("pulls 90 days of every campaign's figures, cost in micros of the account's currency", async () => {
    await setUp();
    ads.google.push(...adDays("", 3, "2026-08-01", "2026-11-24"));
    const added = await run("sources add google-ads 123-456-7890");
    expect(`${added.title} ${added.summary}`).toContain("Google Ads 123-456-7890");
    const outcome = await pull(1);
    expect(outcome).toMatchObject({ ok: true, accepted: 270, rejected: 0 });
    expect(one("SELECT min(day) AS first, max(day) AS last, count(*) AS n FROM campaign_daily")).toEqual({
      first: "2026-08-27",
      last: "2026-11-24",
      n: 270,
    });
    // Campaign 1's first day: €12.34 → $13.57 at 1.1; €80 of conversion value → $88.
    expect(
      one(
        "SELECT spend_minor, revenue_minor, impressions, clicks, conversions FROM campaign_daily WHERE campaign_id = 'google-ads-1000' AND day = '2026-08-27'",
      ),
    ).toEqual({ spend_minor: 1386, revenue_minor: 8800, impressions: 1026, clicks: 55, conversions: 4 });
    expect(one("SELECT name, channel FROM campaigns WHERE id = 'google-ads-1001'")).toEqual({
      name: "Campaign 2",
      channel: "paid_search",
    });
    const sent = ads.log.find(
      (l) => l.path.endsWith("googleAds:searchStream") && l.body?.includes("FROM campaign "),
    );
    expect(sent!.body).toContain("segments.date BETWEEN '2026-08-27' AND '2026-11-24'");
  });

  it("reads the last days again each pull: a restated day replaces itself, nothing doubles", async () => {
    await setUp();
    ads.google.push(...adDays("", 2, "2026-11-01", "2026-11-24"));
    await run("sources add google-ads 1234567890");
    await pull(1);
    const before = one<{ n: number; spend: number }>(
      "SELECT count(*) AS n, sum(spend_minor) AS spend FROM campaign_daily",
    );
    // Google restates Nov 20 (invalid clicks refunded) and a day passes.
    const restated = ads.google.find((d) => d.campaignId === "1000" && d.day === "2026-11-20")!;
    restated.spend = 1;
    now += 86_400_000;
    ads.google.push(...adDays("", 2, "2026-11-25", "2026-11-25"));
    ads.log.length = 0;
    const outcome = await pull(1);
    expect(ads.log.find((l) => l.body?.includes("FROM campaign "))!.body).toContain(
      "BETWEEN '2026-11-18' AND '2026-11-25'",
    );
    expect(outcome.accepted).toBe(2);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM campaign_daily").n).toBe(before.n + 2);
    expect(
      one(
        "SELECT spend_minor FROM campaign_daily WHERE campaign_id = 'google-ads-1000' AND day = '2026-11-20'",
      ),
    ).toEqual({ spend_minor: 110 });
  });

  it("waits out Google's quota retryDelay, and says plainly when the refresh token is refused", async () => {
    await setUp();
    ads.google.push(...adDays("", 1, "2026-11-20", "2026-11-24"));
    await run("sources add google-ads 1234567890");
    ads.googleQuota = { times: 1, retrySeconds: 1 };
    expect(await pull(1)).toMatchObject({ ok: true, accepted: 5 });
    ads.googleQuota = { times: 5, retrySeconds: 120 };
    const limited = await pull(1);
    expect(limited.ok).toBe(false);
    expect(limited.error).toContain("Google Ads answered 429 (rate limited): Resource has been exhausted");
    expect(limited.source.nextRunAt).toBeGreaterThanOrEqual(now + 120_000);
    ads.googleQuota.times = 0;
    // The refresh token is revoked, and with it the access token Lift holds.
    ads.refreshToken = "rotated";
    ads.accessToken = "ya29.other";
    const refused = await pull(1);
    expect(refused.error).toBe(
      "Google refused the OAuth refresh token (400 invalid_grant: Token has been expired or revoked.); check GOOGLE_ADS_DEVELOPER_TOKEN, GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET and GOOGLE_ADS_REFRESH_TOKEN",
    );
    const listed = await run("sources");
    expect(JSON.stringify(listed)).toContain("Google refused the OAuth refresh token");
  });
});

describe("Meta Ads", () => {
  it("pages the insights edge to the end, and reads a long range as a report run", async () => {
    await setUp();
    ads.meta.push(...adDays("", 4, "2026-08-01", "2026-11-24"));
    await run("sources add meta-ads act_1234567");
    const first = await pull(1);
    // 90 days > 30: started, polled, read in pages of 25.
    expect(first).toMatchObject({ ok: true, accepted: 360 });
    expect(ads.log.filter((l) => l.method === "POST" && l.path.endsWith("/insights"))).toHaveLength(1);
    expect(ads.log.filter((l) => l.path === "/meta/run1/insights")).toHaveLength(Math.ceil(360 / 25));
    expect(
      one(
        "SELECT spend_minor, conversions, revenue_minor FROM campaign_daily WHERE campaign_id = 'meta-1003' AND day = '2026-11-24'",
      ),
    ).toEqual({
      spend_minor: 1649,
      conversions: 3,
      revenue_minor: 8300,
    });
    // Next: the last 7 days by the insights edge itself, paged.
    ads.log.length = 0;
    now += 3_600_000;
    const second = await pull(1);
    expect(second.ok).toBe(true);
    expect(ads.log.filter((l) => l.method === "GET" && l.path === "/meta/act_1234567/insights")).toHaveLength(
      Math.ceil(28 / 25),
    );
    expect(one<{ n: number }>("SELECT count(*) AS n FROM campaign_daily").n).toBe(360);
  });

  it("stops when Meta asks the account to wait, for as long as it says; a refused token says what to check", async () => {
    await setUp();
    ads.meta.push(...adDays("", 1, "2026-11-20", "2026-11-24"));
    await run("sources add meta-ads 1234567");
    ads.metaRegainMinutes = 7;
    const limited = await pull(1);
    expect(limited.ok).toBe(false);
    expect(limited.error).toContain(
      "Meta answered 400 (rate limited): (#80004) There have been too many calls",
    );
    expect(limited.source.nextRunAt).toBeGreaterThanOrEqual(now + 7 * 60_000);
    ads.metaRegainMinutes = 0;
    ads.metaToken = "new";
    const refused = await pull(1);
    expect(refused.error).toBe(
      "Meta refused the credentials (400: Error validating access token: Session has expired.); check META_ACCESS_TOKEN (a system user's token with ads_read)",
    );
  });
});
