import { AppError } from "../../platform/base/errors.ts";
import { type ConnectorKind, type PullContext, PullError } from "../sources/index.ts";
import { daysBefore, type JsonResponse, requestJson, sleep, todayIn } from "./http.ts";
import type { ConnectorSettings } from "./settings.ts";

/*
 * Meta Ads through the Marketing API's insights edge: level=campaign, time_increment=1, paged by
 * its cursors to the end; a range longer than 30 days as an asynchronous report run (started,
 * polled, then read). Meta's rate-limit header (x-business-use-case-usage) is read on every
 * answer: an account told to wait (estimated_time_to_regain_access) ends the pull with that wait.
 */

const FIELDS =
  "campaign_id,campaign_name,impressions,clicks,spend,actions,action_values,date_start,date_stop";
/** Purchases, as Meta counts them across web, app and offline (first found wins). */
const PURCHASE = ["omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"];

interface InsightRow {
  campaign_id: string;
  campaign_name?: string;
  impressions?: string;
  clicks?: string;
  spend?: string;
  actions?: { action_type: string; value: string }[];
  action_values?: { action_type: string; value: string }[];
  date_start: string;
}

interface Page {
  data: InsightRow[];
  paging?: { next?: string };
}

/** The longest wait Meta's usage header asks for, in ms (its estimated_time_to_regain_access is minutes). */
export function metaThrottle(response: JsonResponse<unknown>): number | undefined {
  const header = response.headers["x-business-use-case-usage"];
  if (!header) return undefined;
  try {
    const usage = JSON.parse(header) as Record<string, { estimated_time_to_regain_access?: number }[]>;
    const minutes = Math.max(
      0,
      ...Object.values(usage)
        .flat()
        .map((u) => u.estimated_time_to_regain_access ?? 0),
    );
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

/** Meta answers refusals and throttling as 400 with an OAuthException code. */
function metaError(response: JsonResponse<unknown>): "refused" | "rate_limited" | null {
  const error = (response.body as { error?: { code?: number } } | null)?.error;
  if (!error) return null;
  if (error.code === 190 || error.code === 102 || error.code === 200) return "refused";
  if ([4, 17, 32, 613, 80000, 80003, 80004].includes(error.code ?? 0)) return "rate_limited";
  return null;
}

const pick = (list: { action_type: string; value: string }[] | undefined) => {
  for (const type of PURCHASE) {
    const found = list?.find((a) => a.action_type === type);
    if (found) return found.value;
  }
  return "0";
};

export function metaAdsConnector(settings: () => ConnectorSettings): ConnectorKind {
  const refused = "check META_ACCESS_TOKEN (a system user's token with ads_read)";

  function call<T>(context: PullContext, url: string, method: "GET" | "POST" = "GET") {
    const token = settings().META_ACCESS_TOKEN;
    if (!token) throw new PullError(`Meta Ads is not configured: set META_ACCESS_TOKEN`, 6 * 3_600_000);
    return requestJson<T>(context, url, {
      what: "Meta",
      refused,
      method,
      headers: { authorization: `Bearer ${token}` },
      throttle: metaThrottle,
      classify: metaError,
    });
  }

  /** Every page of an insights listing, following `paging.next` to the end. */
  async function pages(context: PullContext, first: string): Promise<InsightRow[]> {
    const rows: InsightRow[] = [];
    for (let url: string | undefined = first; url; ) {
      const page: Page = (await call<Page>(context, url)).body;
      rows.push(...page.data);
      url = page.paging?.next;
    }
    return rows;
  }

  return {
    kind: "meta-ads",
    label: "Meta Ads",
    dataKind: "campaigns",
    usage: "act_AD_ACCOUNT_ID",
    example: "sources add meta-ads act_1234567890",
    defaultEveryMinutes: 360,
    configure(target) {
      const id = target.trim().replace(/^act_/, "");
      if (!/^\d{5,20}$/.test(id))
        throw new AppError("invalid_input", `“${target}” is not a Meta ad account id`, {
          hint: "act_ followed by the account's digits (Business Settings › Ad accounts)",
        });
      return { name: `Meta Ads act_${id}`, config: { accountId: id } };
    },
    async pull(config, cursor, context) {
      const s = settings();
      const graph = s.META_GRAPH_URL.replace(/\/+$/, "");
      const account = `act_${String(config["accountId"])}`;
      const info = (
        await call<{ currency?: string; timezone_name?: string }>(
          context,
          `${graph}/${account}?fields=currency,timezone_name`,
        )
      ).body;
      const today = todayIn(context.now, info.timezone_name ?? "UTC");
      const since = cursor
        ? daysBefore(cursor, s.LIFT_CONNECTORS_REREAD_DAYS - 1)
        : daysBefore(today, s.LIFT_ADS_BACKFILL_DAYS - 1);
      const params = new URLSearchParams({
        level: "campaign",
        time_increment: "1",
        fields: FIELDS,
        time_range: JSON.stringify({ since, until: today }),
        limit: "500",
      });
      let rows: InsightRow[];
      const days = (Date.parse(today) - Date.parse(since)) / 86_400_000 + 1;
      if (days <= 30) rows = await pages(context, `${graph}/${account}/insights?${params}`);
      else {
        // A long range as a report run: started, polled until Meta says it is complete, then read.
        const run = (
          await call<{ report_run_id: string }>(context, `${graph}/${account}/insights?${params}`, "POST")
        ).body;
        for (let polls = 0; ; polls++) {
          const status = (
            await call<{ async_status: string; async_percent_completion: number }>(
              context,
              `${graph}/${run.report_run_id}?fields=async_status,async_percent_completion`,
            )
          ).body;
          if (status.async_status === "Job Completed") break;
          if (status.async_status === "Job Failed" || status.async_status === "Job Skipped")
            throw new PullError(`Meta's report run ${run.report_run_id} ended: ${status.async_status}`);
          if (polls > 120)
            throw new PullError(
              `Meta's report run ${run.report_run_id} did not finish (${status.async_percent_completion} %)`,
              15 * 60_000,
            );
          await sleep(Math.min(5000, 500 * (polls + 1)));
        }
        rows = await pages(context, `${graph}/${run.report_run_id}/insights?limit=500`);
      }
      const updatedAt = new Date(context.now).toISOString();
      return {
        rows: rows.map((r) => ({
          id: `meta-${r.campaign_id}`,
          name: r.campaign_name ?? null,
          channel: "paid_social",
          day: r.date_start,
          impressions: r.impressions ?? "0",
          clicks: r.clicks ?? "0",
          spend: r.spend ?? "0",
          conversions: String(Math.round(Number(pick(r.actions)))),
          revenue: pick(r.action_values),
          currency: info.currency ?? "USD",
          updated_at: updatedAt,
        })),
        cursor: today,
      };
    },
  };
}
