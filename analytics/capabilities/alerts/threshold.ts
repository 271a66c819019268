import { currencyDecimals } from "../../platform/base/format.ts";
import { every } from "../../platform/contract/alerts.ts";
import type { AlertKind } from "../../platform/contract/capability.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import { formatMetric } from "../../platform/metrics/report.ts";
import { judgeCompletePeriod } from "./period.ts";
import { grainOf, metricAndChannel, metricWords, phrase, withoutCadence } from "./words.ts";

export interface ThresholdRule {
  kind: "threshold";
  metric: string;
  op: "below" | "above";
  value: number;
  grain: "daily" | "weekly";
  channel?: string;
  [field: string]: unknown;
}

/** Money thresholds are said in major units ("5000" dollars) and compared in minor units. */
function limitOf(rule: ThresholdRule, currency: string): number {
  return metricByKey(rule.metric)?.format === "money"
    ? rule.value * 10 ** currencyDecimals(currency)
    : rule.value;
}

/** "revenue below 5000 daily", "cpa above 40 weekly", "conversion rate below 2%". */
export const thresholdAlert: AlertKind<ThresholdRule> = {
  kind: "threshold",
  order: 20,
  examples: ["revenue below 5000 daily", "cpa above 40 weekly"],
  cadence: "hourly",
  nextCheck: every(3600_000, 5 * 60_000),
  parse(text, { today }) {
    const t = phrase(text);
    const match = /\s(below|under|less than|above|over|more than|exceeds)\s\$?([\d,.]+)\s?(%|k)?(?=\s)/.exec(
      t,
    );
    if (!match) return null;
    const op = /below|under|less/.test(match[1]!) ? "below" : "above";
    let value = Number(match[2]!.replace(/,/g, ""));
    if (match[3] === "k") value *= 1000;
    const rest = withoutCadence(t.slice(0, match.index) + t.slice(match.index + match[0].length));
    const { metric, channel } = metricAndChannel(rest, today);
    const definition = metricByKey(metric)!;
    if (definition.format === "percent" && (match[3] === "%" || value >= 1)) value /= 100;
    return { kind: "threshold", metric, op, value, grain: grainOf(t), ...(channel ? { channel } : {}) };
  },
  describe(rule, { currency }) {
    const definition = metricByKey(rule.metric)!;
    return `${metricWords(rule.metric, rule.channel)} ${rule.op} ${formatMetric(definition, limitOf(rule, currency), currency)} ${rule.grain === "weekly" ? "over 7 days" : "a day"}`;
  },
  async evaluate({ platform }, rule) {
    const currency = platform.settings.currency;
    return judgeCompletePeriod(platform, rule, (value, show, label, when) => {
      const limit = limitOf(rule, currency);
      const firing = rule.op === "below" ? value < limit : value > limit;
      return {
        state: firing ? "firing" : "ok",
        headline: `${label} was ${show(value)} ${rule.grain === "weekly" ? `over the ${when}` : `on ${when}`}, ${firing ? rule.op : rule.op === "below" ? "above" : "below"} ${show(limit)}.`,
        facts: [
          { label, value: show(value) },
          { label: "Threshold", value: `${rule.op} ${show(limit)}` },
        ],
      };
    });
  },
};
