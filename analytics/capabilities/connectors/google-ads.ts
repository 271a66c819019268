import { AppError } from "../../platform/base/errors.ts";
import { currencyDecimals } from "../../platform/base/format.ts";
import { type ConnectorKind, type PullContext, PullError } from "../sources/index.ts";
import { daysBefore, type JsonResponse, majorText, requestJson, todayIn } from "./http.ts";
import type { ConnectorSettings } from "./settings.ts";

/*
 * Google Ads through the REST interface of the Google Ads API: an access token from the OAuth
 * refresh token, then one `googleAds:searchStream` GAQL query for each campaign's days — cost in
 * micros of the account's currency, days in the account's time zone. The first pull reads
 * LIFT_ADS_BACKFILL_DAYS back; each later one from its last good day less
 * LIFT_CONNECTORS_REREAD_DAYS (Google restates recent days), written as the campaigns data kind
 * (a day read again replaces itself, never doubles).
 */

interface StreamRow {
  campaign: { id: string; name?: string; advertisingChannelType?: string };
  segments: { date: string };
  metrics: {
    impressions?: string;
    clicks?: string;
    costMicros?: string;
    conversions?: number;
    conversionsValue?: number;
  };
}

const CHANNELS: Record<string, string> = {
  DISPLAY: "other",
  VIDEO: "other",
  DEMAND_GEN: "paid_social",
  DISCOVERY: "paid_social",
};

/** A Google Ads Query Language query (another system's, sent over HTTP); its values are days Lift wrote. */
function gaql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ""), "");
}

/** Google's 429 carries its wait in the error details (quotaErrorDetails.retryDelay, "30s"). */
function retryDelay(response: JsonResponse<unknown>): number | undefined {
  if (response.status !== 429) return undefined;
  const text = JSON.stringify(response.body ?? "");
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

export function googleAdsConnector(settings: () => ConnectorSettings): ConnectorKind {
  const tokens = new Map<string, { token: string; until: number }>();
  const refused =
    "check GOOGLE_ADS_DEVELOPER_TOKEN, GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET and GOOGLE_ADS_REFRESH_TOKEN";

  async function accessToken(context: PullContext): Promise<string> {
    const s = settings();
    if (
      !(
        s.GOOGLE_ADS_DEVELOPER_TOKEN &&
        s.GOOGLE_ADS_CLIENT_ID &&
        s.GOOGLE_ADS_CLIENT_SECRET &&
        s.GOOGLE_ADS_REFRESH_TOKEN
      )
    )
      throw new PullError(`Google Ads is not configured: ${refused.replace("check", "set")}`, 6 * 3_600_000);
    const cached = tokens.get(s.GOOGLE_ADS_REFRESH_TOKEN);
    if (cached && cached.until > context.now + 60_000) return cached.token;
    const response = await context.fetch(s.GOOGLE_OAUTH_TOKEN_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: s.GOOGLE_ADS_CLIENT_ID,
        client_secret: s.GOOGLE_ADS_CLIENT_SECRET,
        refresh_token: s.GOOGLE_ADS_REFRESH_TOKEN,
      }).toString(),
    });
    const body = JSON.parse(response.body.toString("utf8") || "{}") as Record<string, unknown>;
    if (response.status !== 200 || typeof body["access_token"] !== "string")
      throw new PullError(
        `Google refused the OAuth refresh token (${response.status}${body["error"] ? ` ${body["error"]}: ${body["error_description"] ?? ""}` : ""}); ${refused}`,
        6 * 3_600_000,
      );
    tokens.set(s.GOOGLE_ADS_REFRESH_TOKEN, {
      token: body["access_token"],
      until: context.now + Number(body["expires_in"] ?? 3600) * 1000,
    });
    return body["access_token"];
  }

  async function search(
    context: PullContext,
    customerId: string,
    query: string,
    again = true,
  ): Promise<StreamRow[]> {
    const s = settings();
    const token = await accessToken(context);
    const response = await requestJson<{ results?: StreamRow[] }[]>(
      context,
      `${s.GOOGLE_ADS_BASE_URL.replace(/\/+$/, "")}/${s.GOOGLE_ADS_API_VERSION}/customers/${customerId}/googleAds:searchStream`,
      {
        what: "Google Ads",
        refused,
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "developer-token": s.GOOGLE_ADS_DEVELOPER_TOKEN!,
          ...(s.GOOGLE_ADS_LOGIN_CUSTOMER_ID
            ? { "login-customer-id": s.GOOGLE_ADS_LOGIN_CUSTOMER_ID.replace(/-/g, "") }
            : {}),
        },
        body: JSON.stringify({ query }),
        throttle: retryDelay,
      },
    ).catch((error: unknown) => {
      // An access token revoked before it expired: a new one from the refresh token, once.
      if (again && error instanceof PullError && /refused the credentials \(401/.test(error.message)) {
        tokens.delete(s.GOOGLE_ADS_REFRESH_TOKEN!);
        return null;
      }
      throw error;
    });
    if (response === null) return search(context, customerId, query, false);
    return response.body.flatMap((batch) => batch.results ?? []);
  }

  return {
    kind: "google-ads",
    label: "Google Ads",
    dataKind: "campaigns",
    usage: "CUSTOMER_ID (123-456-7890)",
    example: "sources add google-ads 123-456-7890",
    defaultEveryMinutes: 360,
    configure(target) {
      const id = target.trim().replace(/-/g, "");
      if (!/^\d{10}$/.test(id))
        throw new AppError("invalid_input", `“${target}” is not a Google Ads customer id`, {
          hint: "the ten digits at the top of the Google Ads screen, e.g. 123-456-7890",
        });
      return {
        name: `Google Ads ${id.replace(/(\d{3})(\d{3})(\d{4})/, "$1-$2-$3")}`,
        config: { customerId: id },
      };
    },
    async pull(config, cursor, context) {
      const s = settings();
      const customerId = String(config["customerId"]);
      const [account] = await search(
        context,
        customerId,
        gaql`SELECT customer.currency_code, customer.time_zone FROM customer`,
      );
      const info =
        (account as unknown as { customer?: { currencyCode?: string; timeZone?: string } })?.customer ?? {};
      const currency = info.currencyCode ?? "USD";
      const today = todayIn(context.now, info.timeZone ?? "UTC");
      const from = cursor
        ? daysBefore(cursor, s.LIFT_CONNECTORS_REREAD_DAYS - 1)
        : daysBefore(today, s.LIFT_ADS_BACKFILL_DAYS - 1);
      const rows = await search(
        context,
        customerId,
        gaql`SELECT campaign.id, campaign.name, campaign.advertising_channel_type, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '${from}' AND '${today}'`,
      );
      const decimals = currencyDecimals(currency);
      const updatedAt = new Date(context.now).toISOString();
      return {
        rows: rows.map((r) => ({
          id: `google-ads-${r.campaign.id}`,
          name: r.campaign.name ?? null,
          channel: CHANNELS[r.campaign.advertisingChannelType ?? ""] ?? "paid_search",
          day: r.segments.date,
          impressions: r.metrics.impressions ?? "0",
          clicks: r.metrics.clicks ?? "0",
          // Micros of the account's currency, rounded to its minor unit.
          spend: majorText(Math.round(Number(r.metrics.costMicros ?? 0) / 10 ** (6 - decimals)), decimals),
          conversions: String(Math.round(r.metrics.conversions ?? 0)),
          revenue: (r.metrics.conversionsValue ?? 0).toFixed(decimals),
          currency,
          updated_at: updatedAt,
        })),
        cursor: today,
      };
    },
  };
}
