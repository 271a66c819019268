import { formatPercent } from "../../platform/base/format.ts";
import { every } from "../../platform/contract/alerts.ts";
import type { AlertKind } from "../../platform/contract/capability.ts";
import { judgeCompletePeriod } from "./period.ts";
import { metricAndChannel, metricWords, phrase, withoutCadence } from "./words.ts";

export interface ChangeRule {
  kind: "change";
  metric: string;
  direction: "drops" | "rises";
  percent: number;
  grain: "daily" | "weekly";
  channel?: string;
  [field: string]: unknown;
}

/** "conversion rate drops 20% week over week", "signups rise 50% day over day". */
export const changeAlert: AlertKind<ChangeRule> = {
  kind: "change",
  order: 30,
  examples: ["conversion rate drops 20% week over week", "signups rise 50% day over day"],
  cadence: "hourly",
  nextCheck: every(3600_000, 5 * 60_000),
  parse(text, { today }) {
    const t = phrase(text);
    const match =
      /\s(drops?|falls?|declines?|rises?|grows?|jumps?|increases?)\s(?:by\s)?(?:more than\s)?(\d{1,3}(?:\.\d+)?)\s?%(?=\s)/.exec(
        t,
      );
    if (!match) return null;
    const direction = /drop|fall|decline/.test(match[1]!) ? "drops" : "rises";
    const rest = withoutCadence(t.slice(0, match.index) + t.slice(match.index + match[0].length));
    const { metric, channel } = metricAndChannel(rest, today);
    const grain = /\s(day over day|dod)\s/.test(t) ? "daily" : "weekly";
    return {
      kind: "change",
      metric,
      direction,
      percent: Number(match[2]) / 100,
      grain,
      ...(channel ? { channel } : {}),
    };
  },
  describe(rule) {
    return `${metricWords(rule.metric, rule.channel)} ${rule.direction === "drops" ? "drops" : "rises"} ${formatPercent(rule.percent, 0)} ${rule.grain === "weekly" ? "week over week" : "day over day"}`;
  },
  async evaluate({ platform }, rule) {
    return judgeCompletePeriod(platform, rule, (value, show, label, when, result) => {
      const before = result.totals.previous?.[rule.metric] ?? null;
      if (before === null || before === 0) {
        return { state: "unknown", headline: `${label}: nothing to compare with before ${when}.`, facts: [] };
      }
      const change = value / before - 1;
      const firing = rule.direction === "drops" ? change <= -rule.percent : change >= rule.percent;
      return {
        state: firing ? "firing" : "ok",
        headline: `${label} ${change < 0 ? "fell" : "rose"} ${formatPercent(Math.abs(change), 1)} (${show(before)} → ${show(value)}), ${rule.grain === "weekly" ? "the last 7 days against the 7 before" : `${when} against the day before`}.`,
        facts: [
          { label, value: show(value) },
          { label: "Before", value: show(before) },
          { label: "Change", value: `${change >= 0 ? "+" : "−"}${formatPercent(Math.abs(change), 1)}` },
        ],
      };
    });
  },
};
