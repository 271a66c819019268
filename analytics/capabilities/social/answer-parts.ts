import type { PlatformApi } from "../../platform/contract/api.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import type { Quote } from "../../platform/reports/report.ts";

/*
 * What every mentions answer (sentiment, mentions, spikes, the spike alert) says the same way:
 * its period and freshness, and posts as quotes with their links.
 */

/** Posts as quotes with their links, for every transport. */
export function quotesOf(
  posts: { url: string | null; author: string | null; platform: string; text: string; timestamp: number }[],
): Quote[] {
  return posts.map((p) => ({
    ...(p.url ? { url: p.url } : {}),
    text: `${p.author ?? "someone"} on ${p.platform}`,
    excerpt: p.text.length > 280 ? `${p.text.slice(0, 277)}…` : p.text,
    at: p.timestamp,
  }));
}

/** The period an answer covers and how fresh its data is, as every mentions answer states them. */
export async function windowParts(
  context: { platform: { freshness(): ReturnType<PlatformApi["freshness"]> } },
  window: { label: string; from: string; to: string; partial: boolean },
  zone: string,
) {
  return {
    period: {
      label: window.label,
      from: window.from,
      to: window.to,
      timeZone: zone,
      partial: window.partial,
    },
    freshness: answerFreshness(await context.platform.freshness()),
  };
}
