import type { PlatformApi } from "../../platform/contract/api.ts";
import {
  ascii,
  type DemoPart,
  FIRST_NAMES,
  localHourTime,
  type MentionMood,
  mentionText,
  SCALES,
  WEEKDAY_FACTOR,
} from "../../platform/demo/index.ts";
import { weekday } from "../../platform/time/zone.ts";
import { startLiveFeeds } from "./live.ts";

/** Days before the end day of the shipping-delay complaints (peak first). */
export const SPIKE_DAYS_AGO = { 10: 3.5, 9: 1.6, 11: 0.6 } as Record<number, number>;

const PLATFORMS: readonly (readonly [string, number])[] = [
  ["twitter", 45],
  ["instagram", 25],
  ["reddit", 15],
  ["tiktok", 10],
  ["facebook", 5],
];

/** Social posts about the demo brand: a steady mix, and a burst of shipping complaints ten days ago. */
export const mentionsDemo = (platform: PlatformApi): DemoPart => ({
  id: "mentions",
  order: 40,
  // The demo's spike alert on every mention, to the console's feed, once.
  async finish() {
    const alerts = await platform.schedules.list({ kind: "alert" });
    if (alerts.some((a) => a.options.kind === "alert" && a.options.rule.kind === "sentiment_spike")) return;
    await platform.schedules.createAlert({
      channel: "console",
      owner: "lift",
      rule: platform.schedules.parseAlert("sentiment spike"),
    });
  },
  live: () => startLiveFeeds(platform, 42),
  day({ random: r, options }, index, day) {
    const daysAgo = 89 - index;
    const perDay = SCALES[options.scale].mentionsPerDay;
    const rows: Record<string, unknown>[] = [];
    const base = r.poisson(perDay * WEEKDAY_FACTOR[weekday(day) - 1]!);
    const spike = Math.round(perDay * (SPIKE_DAYS_AGO[daysAgo] ?? 0));
    let n = 0;
    const make = (mood: MentionMood) => {
      n++;
      const platform = r.weighted(PLATFORMS);
      const t = localHourTime(r, day, options.timeZone);
      if (options.until !== undefined && t > options.until) return;
      const postId = `${options.seed}${day.replace(/-/g, "")}${String(n).padStart(4, "0")}`;
      const author = `@${ascii(r.pick(FIRST_NAMES))}${r.int(1, 9999)}`;
      rows.push({
        platform,
        platform_id: postId,
        url: `https://${platform === "twitter" ? "x" : platform}.com/${author.slice(1)}/status/${postId}`,
        author,
        text: mentionText(mood, r),
        lang: "en",
        timestamp: new Date(t).toISOString(),
      });
    };
    for (let i = 0; i < base; i++)
      make(
        r.weighted([
          ["positive", 45],
          ["neutral", 35],
          ["negative", 20],
        ] as const),
      );
    for (let i = 0; i < spike; i++) make(r.chance(0.85) ? "shipping" : "negative");
    return [{ kind: "mentions", rows }];
  },
});
