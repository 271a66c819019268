import { formatPercent } from "../../platform/base/format.ts";
import { type AlertRule, every } from "../../platform/contract/alerts.ts";
import type { AlertKind } from "../../platform/contract/capability.ts";
import { dayOf, timeOf } from "../../platform/time/zone.ts";
import { quotesOf } from "./answer-parts.ts";
import { socialService } from "./api.ts";
import { representative, SPIKE_DEFAULTS, topTerms } from "./service.ts";
import { BRAND } from "./topics.ts";

export interface SpikeRule extends AlertRule {
  kind: "sentiment_spike";
  topic: string;
  windowHours?: number;
}

/**
 * "sentiment spike [for TOPIC] [over N h]": negative posts of the last hours
 * against the same hours of the previous 14 days, checked every 5 minutes;
 * the message names the spike, quotes three representative negative posts
 * with their links, lists the words they share, and says what else moved in
 * the same window (every capability's context provider).
 */
export const sentimentSpikeAlert: AlertKind<SpikeRule> = {
  kind: "sentiment_spike",
  order: 6,
  examples: ["sentiment spike", "sentiment spike for shipping"],
  cadence: "checked every 5 minutes",
  nextCheck: every(5 * 60_000),
  parse(text) {
    const match =
      /^\s*(?:sentiment|negative(?: mentions)?)\s+spikes?(?:\s+(?:for|about|on)\s+([\p{L}\p{N}_-]+))?(?:\s+over\s+(\d{1,2})\s*h(?:ours?)?)?\s*$/iu.exec(
        text,
      );
    if (!match) return null;
    const hours = match[2] ? Number(match[2]) : undefined;
    return {
      kind: "sentiment_spike",
      topic: (match[1] ?? BRAND).toLowerCase(),
      ...(hours && hours >= 1 && hours <= 24 ? { windowHours: hours } : {}),
    };
  },
  muteLabel: (rule) => `Mute ${rule.topic === BRAND ? "mentions" : rule.topic} 24 h`,
  describe(rule) {
    return `a spike of negative mentions${rule.topic === BRAND ? "" : ` about ${rule.topic}`} (over ${rule.windowHours ?? SPIKE_DEFAULTS.windowHours} h)`;
  },
  async evaluate({ platform }, rule, now) {
    const social = socialService.of(platform);
    const topic = await social.topic(rule.topic);
    const judged = await social.judgeSpike(
      topic.name,
      now,
      rule.windowHours ? { windowHours: rule.windowHours } : {},
    );
    const zone = platform.settings.timeZone;
    const { fromMs, toMs } = judged.window;
    const about = topic.name === BRAND ? "" : ` about ${topic.name}`;
    const posts = await social.posts({
      from: fromMs,
      to: toMs,
      topic: topic.name,
      label: "negative",
      limit: 200,
      order: "engaged",
    });
    const terms = topTerms(
      posts.map((p) => p.text),
      topic.terms,
      5,
      await social.background(topic.name, fromMs - 7 * 24 * 3_600_000, toMs),
    );
    const share =
      judged.negativeShare === null
        ? ""
        : ` (${formatPercent(judged.negativeShare, 0)} of scored mentions, usually ${judged.usualShare === null ? "—" : formatPercent(judged.usualShare, 0)})`;
    const hours = rule.windowHours ?? SPIKE_DEFAULTS.windowHours;
    return {
      state: judged.state,
      // One incident per spike, whatever the check: its topic names it.
      period: `spike:${topic.name}`,
      headline:
        judged.state === "firing"
          ? `${judged.negative} negative mentions${about} between ${timeOf(fromMs, zone)} and ${timeOf(toMs, zone)} ${zone}, against ${judged.usualNegative} usually in those ${hours} hours${share}.${terms.length > 0 ? ` They talk about ${terms.map((t) => t.term).join(", ")}.` : ""}`
          : `Negative mentions${about} are back to usual: ${judged.negative} in the last ${hours} hours (usually ${judged.usualNegative}).`,
      facts: [
        {
          label: "Negative mentions",
          value: String(judged.negative),
          note: `usually ${judged.usualNegative}`,
        },
        { label: "All mentions", value: String(judged.total), note: `usually ${judged.usualTotal}` },
        ...(judged.negativeShare !== null
          ? [{ label: "Negative share", value: formatPercent(judged.negativeShare, 0) }]
          : []),
        ...(terms.length > 0 ? [{ label: "Top terms", value: terms.map((t) => t.term).join(", ") }] : []),
      ],
      quotes: quotesOf(representative(posts, terms)),
      actions: [
        {
          id: `show_posts_${topic.name}`,
          label: "Show posts",
          command: `mentions negative${topic.name === BRAND ? "" : ` topic ${topic.name}`} today`,
        },
        { id: `handled_${topic.name}`, label: "Mark handled", command: `sentiment handled ${topic.name}` },
      ],
      window: { from: dayOf(fromMs, zone), to: dayOf(toMs - 1, zone), fromMs, toMs },
      subject: { kind: "topic", id: topic.name },
    };
  },
};
