import { z } from "zod";
import { findPeriod } from "../../platform/metrics/grammar.ts";
import { periodSpecText } from "../../platform/metrics/periods.ts";
import { type AskVocabulary, commandReading, type Question } from "../ask/index.ts";

/** Words that make a question about what people say (social listening). */
export const SOCIAL_CUES =
  /\b(?:sentiment|mentions?|mentioned|posts?|tweets?|talking|talk about|buzz|complain\w*|complaints?|feel about|feel|think of|think about|reviews?|social media|on social|reddit|mastodon|hacker ?news|bluesky|twitter)\b/;

/**
 * "Say" is about people only when people say it ("what are customers saying", "what do people say
 * about us"): "what does the pricing page test say" asks an experiment, not social listening.
 */
const PEOPLE_SAY =
  /\b(?:people|customers|users|they|folks|anyone|everyone|fans|shoppers|buyers|followers|the public|internet|online)\b[^.?!]{0,24}\b(?:say|saying|says|said)\b|\b(?:saying|said) about\b|\bsay(?:ing)? about (?:us|our)\b/;

/** Social platforms by the words people use for them (the ids the mentions command reads). */
export const PLATFORM_WORDS: [RegExp, string][] = [
  [/\breddit\b/, "reddit"],
  [/\bmastodon\b/, "mastodon"],
  [/\bhacker ?news\b|\bhn\b/, "hackernews"],
  [/\bbluesky\b|\bbsky\b/, "bluesky"],
  [/\btwitter\b/, "twitter"],
  [/\binstagram\b/, "instagram"],
  [/\btiktok\b/, "tiktok"],
];

/** What people say about the brand, a topic or a term, on a platform, in a period. */
function socialCommand(text: string, today: string): string {
  const period = findPeriod(text, today);
  let rest = period ? ` ${period.text} ` : text;
  const label = /\bcomplain\w*|\bcomplaints?\b|\bnegative\b|\bangry\b|\bunhappy\b|\bbad\b/.test(rest)
    ? "negative"
    : /\bpositive\b|\bpraise\w*|\bhappy\b|\blove\b|\bgood\b/.test(rest)
      ? "positive"
      : null;
  // "on social (media)" names no platform and no term: every mention.
  rest = rest.replace(/\b(?:on|across) social(?: media| networks?)?\b/, " ");
  const platform = PLATFORM_WORDS.find(([pattern]) => pattern.test(rest))?.[1] ?? null;
  for (const [pattern] of PLATFORM_WORDS) rest = rest.replace(pattern, " ");
  const about = /\b(?:about|of|regarding|on)\s+((?:the |our )?[a-z0-9][\w' -]*)$/.exec(rest.trim());
  let term = about?.[1]?.replace(/^(?:the|our) /, "").trim() ?? null;
  if (
    term &&
    /^(?:us|we|our brand|the brand|brand|our company|our shop|our store|it|social|social media|them)$/.test(
      term,
    )
  )
    term = null;
  if (term) term = term.split(" ").slice(0, 3).join(" ");
  const periodText = period ? periodSpecText(period.period) : "";
  if (!term && !label && !platform && /\bsentiment\b|\bfeel\b|\bthink\b|\bsaying\b|\bsay\b/.test(text))
    return `sentiment ${periodText}`.trim();
  return ["mentions", label, periodText, platform ? `on ${platform}` : "", term ? `about ${term}` : ""]
    .filter(Boolean)
    .join(" ");
}

/** "any spike in negative mentions this week?" → the spikes; "how are instagram mentions trending" → the daily trend. */
function spikesOrTrend(text: string, today: string): string | null {
  const period = findPeriod(text, today);
  const periodText = period ? ` ${periodSpecText(period.period)}` : "";
  const platform = PLATFORM_WORDS.find(([pattern]) => pattern.test(text))?.[1];
  if (/\bspik(?:e|es|ed|ing)\b|\bsurges?\b|\bbursts?\b|\bflare[- ]?ups?\b/.test(text))
    return `sentiment spikes${periodText}`;
  if (/\btrend(?:s|ing)?\b|\bover time\b|\bby day\b|\bdaily\b|\bday by day\b/.test(text))
    return `sentiment${platform ? ` on ${platform}` : ""}${periodText}`;
  return null;
}

function read(question: Question) {
  const { text } = question;
  const social =
    (SOCIAL_CUES.test(text) || PEOPLE_SAY.test(text)) &&
    !/\bsocial (?:ads|spend|campaigns?)\b|\bpaid social\b/.test(text);
  if (!social || /\bsentiment of\b/.test(text) || question.why) return null;
  return commandReading(spikesOrTrend(text, question.today) ?? socialCommand(text, question.today), question);
}

const period = z.string().describe('A period in Lift\'s words: "yesterday", "last 7 days", "this month" …');

/** Social listening in ask: questions about what people say, and the model's tools for it. */
export const socialVocabulary: AskVocabulary = {
  id: "social",
  order: 10,
  words: ["sentiment", "mentions"],
  read,
  tools: [
    {
      name: "sentiment_summary",
      description:
        "Shares of positive, neutral and negative social mentions, their trend and what negative posts talk about.",
      schema: z.object({ topic: z.string().optional(), period: period.optional() }),
      command: (args: { topic?: string; period?: string }) =>
        ["sentiment", args.topic, args.period].filter(Boolean).join(" "),
    },
    {
      name: "mentions_search",
      description: "The latest social mentions, filtered by sentiment, a term, a platform and a period.",
      schema: z.object({
        sentiment: z.enum(["positive", "neutral", "negative"]).optional(),
        about: z.string().optional(),
        platform: z.enum(["reddit", "mastodon", "hackernews", "bluesky", "twitter", "rss"]).optional(),
        period: period.optional(),
      }),
      command: (args: { sentiment?: string; about?: string; platform?: string; period?: string }) =>
        [
          "mentions",
          args.sentiment,
          args.period,
          args.platform && `on ${args.platform}`,
          args.about && `about ${args.about}`,
        ]
          .filter(Boolean)
          .join(" "),
    },
  ],
};
