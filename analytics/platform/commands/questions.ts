import { AppError } from "../base/errors.ts";
import type { PlatformApi } from "../contract/api.ts";
import { type ParsedQuery, parseKpiQuestion } from "../metrics/grammar.ts";

/** A campaign named in words ("Brand search") or by id → its id. */
export async function resolveCampaign(platform: PlatformApi, query: ParsedQuery): Promise<ParsedQuery> {
  const wanted = query.filter.campaignId;
  if (wanted === undefined) return query;
  const campaigns = await platform.campaigns();
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
export function question(
  args: string,
  platform: PlatformApi,
  defaults: Partial<ParsedQuery> = {},
): ParsedQuery {
  const parsed = parseKpiQuestion(args, platform.today(), platform.grammarWords());
  return {
    ...parsed,
    metrics: parsed.metrics.length > 0 ? parsed.metrics : (defaults.metrics ?? []),
    by: parsed.by !== "none" ? parsed.by : (defaults.by ?? "none"),
  };
}
