import { listCampaigns } from "../../../db/campaigns/queries.ts";
import { AppError } from "../errors.ts";
import { type ParsedQuery, parseKpiQuestion } from "../metrics/grammar.ts";
import type { Platform } from "../platform.ts";

/** A campaign named in words ("Brand search") or by id → its id. */
export async function resolveCampaign(platform: Platform, query: ParsedQuery): Promise<ParsedQuery> {
  const wanted = query.filter.campaignId;
  if (wanted === undefined) return query;
  const campaigns = await listCampaigns(platform.db);
  const match =
    campaigns.find((c) => c.id === wanted) ??
    campaigns.find(
      (c) => c.id.toLowerCase() === wanted.toLowerCase() || c.name.toLowerCase() === wanted.toLowerCase(),
    );
  if (!match) {
    const names = campaigns.slice(0, 8).map((c) => c.id);
    throw new AppError("not_found", `There is no campaign “${wanted}”`, {
      hint: names.length > 0 ? `campaigns include ${names.join(", ")}` : "no campaigns are imported yet",
    });
  }
  return { ...query, filter: { ...query.filter, campaignId: match.id } };
}

/** Reads a question with defaults a command adds when the words do not say otherwise. */
export function question(args: string, platform: Platform, defaults: Partial<ParsedQuery> = {}): ParsedQuery {
  const parsed = parseKpiQuestion(args, platform.today());
  return {
    ...parsed,
    metrics: parsed.metrics.length > 0 ? parsed.metrics : (defaults.metrics ?? []),
    by: parsed.by !== "none" ? parsed.by : (defaults.by ?? "none"),
  };
}
