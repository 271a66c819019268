import { formatCount, formatPercent } from "../../platform/base/format.ts";
import type { Panel } from "../../platform/contract/capability.ts";
import type { DigestSection } from "../../platform/digest/digest.ts";
import type { Job } from "../../platform/jobs/jobs.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { socialService } from "./api.ts";
import { mentionsCommand, sentimentCommand } from "./commands.ts";
import { topTerms } from "./service.ts";
import { BRAND } from "./topics.ts";

const DAY = 86_400_000;

/** The digest: how sentiment moved, and what negative posts were about. */
export const sentimentSection: DigestSection = {
  id: "sentiment",
  order: 38,
  title: "Sentiment",
  async build({ platform, days }) {
    const social = socialService.of(platform);
    // The digest's own days (yesterday, or last week), against as many days before them.
    const span = days.toMs - days.fromMs;
    const end = days.toMs;
    const current = await social.shares(BRAND, end - span, end);
    if (current.total === 0) return null;
    const before = await social.shares(BRAND, end - 2 * span, end - span);
    const scored = current.total - current.unscored;
    const scoredBefore = before.total - before.unscored;
    const share = scored > 0 ? current.negative / scored : null;
    const shareBefore = scoredBefore > 0 ? before.negative / scoredBefore : null;
    const negatives = await social.posts({
      from: end - span,
      to: end,
      label: "negative",
      limit: 200,
      order: "engaged",
    });
    const theme = topTerms(
      negatives.map((p) => p.text),
      [],
      1,
      await social.background(BRAND, end - 2 * span, end),
    )[0];
    const lines = [
      `💬 ${formatCount(current.total)} mentions, ${share === null ? "none scored" : `${formatPercent(share, 0)} negative`}${share !== null && shareBefore !== null && scored >= 30 && scoredBefore >= 30 ? ` (${share >= shareBefore ? "+" : "−"}${(Math.abs(share - shareBefore) * 100).toFixed(1)} pts)` : ""}${theme ? `; top negative theme: “${theme.term}” (${theme.posts} posts)` : ""}`,
    ];
    return { lines };
  },
};

export const sentimentHome: HomeSection = {
  id: "sentiment",
  order: 38,
  async build({ platform }) {
    const social = socialService.of(platform);
    const now = platform.now();
    const shares = await social.shares(BRAND, now - 7 * DAY, now);
    if (shares.total === 0) return null;
    const scored = shares.total - shares.unscored;
    return simpleReport(
      "sentiment",
      "Mentions, last 7 days",
      `${formatCount(shares.total)} mentions${scored > 0 ? `: ${formatPercent(shares.negative / scored, 0)} negative, ${formatPercent(shares.positive / scored, 0)} positive` : ""}.`,
      {
        actions: [
          { id: "sentiment_7d", label: "Sentiment", command: "sentiment" },
          { id: "mentions_negative", label: "Negative mentions", command: "mentions negative" },
        ],
      },
    );
  },
};

/** The console: sentiment over the week and the live stream of mentions. */
export const mentionsPanel: Panel = {
  id: "mentions",
  title: "Social mentions",
  order: 38,
  live: true,
  subtitle: "Sentiment this week, and mentions as they arrive",
  async build(context) {
    return [await sentimentCommand.run("", context), await mentionsCommand.run("today", context)];
  },
};

/** Rescores mentions whose score came from an older scorer or lexicon, a batch at a time (every 10 minutes). */
export const rescoreJob: Job = {
  name: "sentiment-rescore",
  cron: "*/10 * * * *",
  run: async ({ platform, logger }) => {
    const social = socialService.of(platform);
    let total = 0;
    // A few batches a run: old scores are redone within the hour without holding the writer long.
    for (let i = 0; i < 5; i++) {
      const n = await social.rescore(2000);
      total += n;
      if (n < 2000) break;
    }
    if (total > 0) logger.info({ mentions: total }, "mentions rescored");
  },
};
