import {
  deleteTopic,
  lexiconWords,
  listTopics,
  saveTopic,
  setLexiconWord,
} from "../../../db/social/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import { formatCount, formatDay, formatDayRange, formatPercent } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import type { PeriodSpec } from "../../platform/metrics/periods.ts";
import type { Report } from "../../platform/reports/report.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import { confirmation } from "../../platform/subscriptions/words.ts";
import { dayCutter, dayOf, eachDay, timeOf } from "../../platform/time/zone.ts";
import { quotesOf, windowParts } from "./answer-parts.ts";
import { socialService } from "./api.ts";
import { representative, type Shares, sharesOf, topTerms } from "./service.ts";
import { spikesReport } from "./spikes-answer.ts";
import { BRAND, termsMatcher } from "./topics.ts";

const LABELS = ["positive", "neutral", "negative"] as const;
const PLATFORMS = new Set([
  "twitter",
  "x",
  "instagram",
  "reddit",
  "tiktok",
  "facebook",
  "mastodon",
  "bluesky",
  "hackernews",
  "rss",
]);

function shareText(shares: Shares): string {
  const scored = shares.total - shares.unscored;
  if (scored === 0) return "no mentions Lift could score";
  return `${formatPercent(shares.negative / scored, 0)} negative, ${formatPercent(shares.positive / scored, 0)} positive, ${formatPercent(shares.neutral / scored, 0)} neutral`;
}

// Long on purpose: the sentiment report in reading order (shares, trend, quotes, terms, warnings).
async function sentimentReport(args: string, context: CommandContext): Promise<Report> {
  const { platform } = context;
  const social = socialService.of(platform);
  const words = args.split(/\s+/).filter(Boolean);
  const { spec, rest: all } = social.splitPeriod(words, { kind: "last_days", n: 7 });
  // "on instagram": one platform's mentions only.
  const at = all.findIndex((w, i) => /^on$/i.test(w) && all[i + 1] !== undefined);
  const on = at >= 0 ? all[at + 1]!.toLowerCase() : undefined;
  const rest = at >= 0 ? [...all.slice(0, at), ...all.slice(at + 2)] : all;
  const topic = await social.topic(rest.filter((w) => !/^(for|about|on|topic)$/i.test(w))[0]);
  const window = social.window(spec);
  const length = window.toMs - window.fromMs;
  const shares = await social.shares(topic.name, window.fromMs, window.toMs, on);
  const before = await social.shares(topic.name, window.fromMs - length, window.fromMs, on);
  const zone = platform.settings.timeZone;
  const cut = dayCutter(zone);
  const days = eachDay(window.from, window.to);
  const byDay = new Map<string, { label: string; count: number; scoreSum: number }[]>();
  for (const [start, hour] of await social.hourly(topic.name, window.fromMs, window.toMs, on)) {
    const list = byDay.get(cut(start)) ?? [];
    for (const label of [...LABELS, "unscored"] as const)
      list.push({ label, count: hour[label], scoreSum: 0 });
    byDay.set(cut(start), list);
  }
  const negatives = await social.posts({
    from: window.fromMs,
    to: window.toMs,
    topic: topic.name,
    label: "negative",
    limit: 200,
    order: "engaged",
    platform: on,
  });
  const positives = await social.posts({
    from: window.fromMs,
    to: window.toMs,
    topic: topic.name,
    label: "positive",
    limit: 2,
    order: "engaged",
    platform: on,
  });
  const terms = topTerms(
    negatives.map((m) => m.text),
    topic.terms,
    5,
    await social.background(topic.name, window.fromMs - length, window.toMs),
  );
  const scored = shares.total - shares.unscored;
  const scoredBefore = before.total - before.unscored;
  const negShare = scored > 0 ? shares.negative / scored : null;
  const negBefore = scoredBefore > 0 ? before.negative / scoredBefore : null;
  const change = negShare !== null && negBefore !== null ? (negShare - negBefore) * 100 : null;
  const warnings: string[] = [];
  if (shares.total === 0)
    warnings.push("No mentions in this period: check `sources`, or push them to /v1/mentions.");
  if (shares.unscored > 0)
    warnings.push(
      `${formatCount(shares.unscored)} mentions in languages the scorer does not read are left out of the shares.`,
    );
  if (scored > 0 && scored < 30)
    warnings.push(`Only ${scored} scored mentions: shares this small move a lot from one post.`);
  return {
    kind: "sentiment",
    title: `Sentiment · ${topic.name === BRAND ? "all mentions" : topic.name}${on ? ` on ${on}` : ""} · ${window.label}`,
    ...(topic.name !== BRAND || on
      ? {
          scope: [topic.name !== BRAND ? `topic ${topic.name}` : null, on ? `on ${on}` : null]
            .filter(Boolean)
            .join(", "),
        }
      : {}),
    summary: `${formatCount(shares.total)} mentions: ${shareText(shares)}${change !== null && scoredBefore >= 30 && scored >= 30 ? `; negative share ${change >= 0 ? "+" : "−"}${Math.abs(change).toFixed(1)} pts against the ${days.length} days before` : ""}.${terms.length > 0 ? ` Negative posts talk about: ${terms.map((t) => t.term).join(", ")}.` : ""}`,
    ...(await windowParts(context, window, zone)),
    facts: [
      { label: "Mentions", value: formatCount(shares.total) },
      ...(scored > 0
        ? LABELS.map((label) => ({
            label: label[0]!.toUpperCase() + label.slice(1),
            value: formatPercent(shares[label] / scored, 0),
          }))
        : []),
      ...(shares.meanScore !== null ? [{ label: "Mean score", value: shares.meanScore.toFixed(2) }] : []),
    ],
    table: {
      columns: [
        { key: "term", label: "Negative posts mention", format: "text" },
        { key: "posts", label: "Posts", format: "count" },
      ],
      rows: terms.map((t) => [t.term, t.posts]),
    },
    charts:
      days.length >= 2
        ? [
            {
              kind: "stacked-bar",
              title: `Mentions by sentiment · ${topic.name === BRAND ? "all" : topic.name} · ${window.label}`,
              labels: days.map((d) => formatDay(d, { short: true })),
              series: LABELS.map((label) => ({
                name: label,
                values: days.map((d) => sharesOf(byDay.get(d) ?? [])[label]),
              })),
              format: "count",
            },
          ]
        : [],
    quotes: quotesOf([...representative(negatives, terms), ...positives]),
    actions: [
      {
        id: "mentions_negative",
        label: "Negative mentions",
        command: `mentions negative${topic.name !== BRAND ? ` topic ${topic.name}` : ""}`,
      },
    ],
    warnings,
  };
}

async function lexiconCommand(args: string, context: CommandContext): Promise<Report> {
  const { platform } = context;
  const match = /^lexicon\s+(add|remove|delete|list)\b\s*(.*)$/i.exec(args.trim());
  const verb = match?.[1]?.toLowerCase() ?? "list";
  if (verb === "list") {
    const words = await lexiconWords(context.tables);
    return simpleReport(
      "sentiment",
      "Sentiment lexicon",
      words.size === 0
        ? "No words of the workspace's own yet: `sentiment lexicon add <word> <score>` (−5…5) scores a word your customers use."
        : [...words].map(([w, s]) => `${w} ${s > 0 ? "+" : ""}${s}`).join(", "),
    );
  }
  const rest = (match?.[2] ?? "").trim();
  const parts = /^"?([^"]+?)"?\s+([+-]?\d+(?:\.\d+)?)$/.exec(rest);
  if (verb === "add") {
    const score = Number(parts?.[2]);
    if (!parts || !(score >= -5 && score <= 5))
      throw new AppError("invalid_input", "sentiment lexicon add takes a word and a score from −5 to 5", {
        hint: "sentiment lexicon add backorder -2",
      });
    await setLexiconWord(context.tables, parts[1]!.toLowerCase(), score, context.userId, platform.now());
    return confirmation(
      "Lexicon updated",
      `“${parts[1]}” now scores ${score > 0 ? "+" : ""}${score}. Stored mentions are rescored in the background, a few thousand at a time.`,
    );
  }
  const word = rest.replace(/^"|"$/g, "").toLowerCase();
  if (!word) throw new AppError("invalid_input", "Which word? sentiment lexicon remove <word>");
  await setLexiconWord(context.tables, word, null, context.userId, platform.now());
  return confirmation(
    "Lexicon updated",
    `“${word}” scores as the built-in lexicon says again; stored mentions are rescored in the background.`,
  );
}

/** `sentiment [topic] [period]`; `sentiment lexicon add|remove|list`; `sentiment handled TOPIC`. */
export const sentimentCommand: Command = {
  name: "sentiment",
  aliases: ["mood"],
  summary: "Shares of positive, neutral and negative mentions, their trend, what negative posts talk about",
  usage:
    "sentiment [topic] [on PLATFORM] [period] · sentiment lexicon add WORD SCORE · sentiment handled TOPIC",
  examples: ["sentiment", "sentiment shipping last 30 days", "sentiment lexicon add backorder -2"],
  mutates: false,
  personal: false,
  mutatesWith: (args) => /^\s*(lexicon\s+(add|remove|delete)|handled)\b/i.test(args),
  run: async (args, context) => {
    if (/^\s*lexicon\b/i.test(args)) return lexiconCommand(args, context);
    const handled = /^\s*handled\s+(\S+)/i.exec(args);
    if (handled) {
      const topic = await socialService.of(context.platform).topic(handled[1]);
      const now = context.platform.now();
      await context.platform.audit(context.userId, "sentiment.handled", `topic ${topic.name}`);
      const zone = context.platform.settings.timeZone;
      return confirmation(
        `Marked handled · ${topic.name}`,
        `${context.userId === "console" || context.userId === "cli" ? context.userId : `<@${context.userId}>`} marked the ${topic.name} spike handled at ${timeOf(now, zone)} ${zone} on ${formatDay(dayOf(now, zone))}; it is on record in the audit log.`,
      );
    }
    const spikes = /^\s*spikes?\b(.*)$/i.exec(args);
    if (spikes) return spikesReport(spikes[1]!, context);
    return sentimentReport(args, context);
  },
};

/** `mentions [negative|positive|neutral] [about TERM] [on PLATFORM] [topic NAME] [period]`: the latest, with links. */
export const mentionsCommand: Command = {
  name: "mentions",
  aliases: ["posts"],
  summary: "The latest mentions with links, by sentiment, term, platform, topic and period",
  usage: "mentions [negative|positive|neutral] [about TERM] [on PLATFORM] [topic NAME] [period]",
  examples: ["mentions about shipping", "mentions negative last 7 days", "mentions on reddit yesterday"],
  mutates: false,
  personal: true,
  run: async (args, context) => {
    const { platform } = context;
    const social = socialService.of(platform);
    const words = args.split(/\s+/).filter(Boolean);
    const { spec, rest } = social.splitPeriod(words, { kind: "last_days", n: 7 } as PeriodSpec);
    let label: string | undefined;
    let term: string | undefined;
    let on: string | undefined;
    let topicName: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i]!.toLowerCase();
      if ((LABELS as readonly string[]).includes(w)) label = w;
      else if (w === "about" && rest[i + 1]) term = rest.slice(++i).join(" ").replace(/^"|"$/g, "");
      else if ((w === "on" || w === "from") && rest[i + 1]) on = rest[++i]!.toLowerCase();
      else if (w === "topic" && rest[i + 1]) topicName = rest[++i];
      else if (PLATFORMS.has(w)) on = w === "x" ? "twitter" : w;
      else
        throw new AppError("invalid_input", `I could not read “${rest[i]}” in mentions`, {
          hint: mentionsCommand.usage,
          suggestions: ["mentions negative", "mentions about shipping"],
        });
      if (term) break;
    }
    const topic = topicName ? await social.topic(topicName) : null;
    const window = social.window(spec);
    const posts = await social.posts({
      from: window.fromMs,
      to: window.toMs,
      topic: topic?.name,
      label,
      term,
      platform: on,
      limit: 20,
    });
    const zone = platform.settings.timeZone;
    const what = [
      label,
      term ? `about “${term}”` : null,
      on ? `on ${on}` : null,
      topic ? `topic ${topic.name}` : null,
    ]
      .filter(Boolean)
      .join(" ");
    return {
      kind: "mentions",
      title: `Mentions${what ? ` · ${what}` : ""} · ${window.label}`,
      ...(what ? { scope: what } : {}),
      summary:
        posts.length === 0
          ? `No mentions ${what || "at all"} in ${window.label.toLowerCase()} (${formatDayRange(window.from, window.to)}).`
          : `The ${posts.length === 20 ? "latest 20" : posts.length} mentions${what ? ` ${what}` : ""}, newest first.`,
      ...(await windowParts(context, window, zone)),
      facts: [],
      table: {
        columns: [
          { key: "when", label: "When", format: "text" },
          { key: "platform", label: "Where", format: "text" },
          { key: "author", label: "Who", format: "text" },
          { key: "text", label: "Post", format: "text" },
          { key: "label", label: "Sentiment", format: "text" },
        ],
        rows: posts.map((p) => [
          `${formatDay(dayOf(p.timestamp, zone), { short: true })} ${timeOf(p.timestamp, zone)}`,
          p.platform,
          p.author,
          p.text.length > 120 ? `${p.text.slice(0, 117)}…` : p.text,
          p.label,
        ]),
      },
      charts: [],
      quotes: quotesOf(posts.slice(0, 5)),
      actions: [],
      warnings: [],
    };
  },
};

/** `topics`; `topic add NAME: term, term`; `topic delete NAME`. */
export const topicCommand: Command = {
  name: "topic",
  aliases: ["topics"],
  summary: "Topics: saved lists of terms a mention is filed under (brand is every mention)",
  usage: "topics · topic add NAME: TERM, TERM, … · topic delete NAME",
  examples: ["topics", "topic add shipping: shipping, delivery, late, parcel"],
  mutates: false,
  personal: false,
  mutatesWith: (args) => /^\s*(add|delete|remove)\b/i.test(args),
  run: async (args, context) => {
    const { platform } = context;
    const add = /^\s*add\s+([\p{L}\p{N}_-]{1,40})\s*:\s*(.+)$/iu.exec(args);
    if (add) {
      const name = add[1]!.toLowerCase();
      if (name === BRAND)
        throw new AppError("invalid_input", "“brand” is every mention already; pick another name");
      const terms = add[2]!
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean);
      if (terms.length === 0 || terms.some((t) => t.length > 60))
        throw new AppError("invalid_input", "A topic needs terms, comma-separated, each under 60 characters");
      const filed = await saveTopic(
        context.tables,
        { name, terms, owner: context.userId, createdAt: platform.now() },
        termsMatcher(terms),
      );
      return confirmation(
        `Topic ${name}`,
        `${terms.join(", ")}: ${formatCount(filed)} stored mentions filed under it; new ones are as they arrive. Ask \`sentiment ${name}\`.`,
      );
    }
    const remove = /^\s*(?:delete|remove)\s+(\S+)/i.exec(args);
    if (remove) {
      if (!(await deleteTopic(context.tables, remove[1]!.toLowerCase())))
        throw new AppError("not_found", `There is no topic “${remove[1]}”`, { hint: "`topics` lists them" });
      return confirmation("Topic deleted", `${remove[1]} is gone; its mentions are still under brand.`);
    }
    if (args.trim() && !/^\s*(list)?\s*$/i.test(args))
      throw new AppError("invalid_input", `I could not read “${args.trim()}”`, { hint: topicCommand.usage });
    const topics = await listTopics(context.tables);
    const social = socialService.of(platform);
    const window = social.window({ kind: "last_days", n: 7 });
    return {
      ...simpleReport(
        "topics",
        "Topics",
        topics.length === 0
          ? "Only brand (every mention). Add one: `topic add shipping: shipping, delivery, late`."
          : `brand and ${topics.length} more; mentions in the last 7 days.`,
      ),
      table: {
        columns: [
          { key: "topic", label: "Topic", format: "text" },
          { key: "terms", label: "Terms", format: "text" },
          { key: "mentions", label: "Mentions, 7 days", format: "count" },
          { key: "negative", label: "Negative", format: "percent" },
        ],
        rows: await Promise.all(
          [{ name: BRAND, terms: ["(every mention)"] }, ...topics].map(async (t) => {
            const shares = await social.shares(t.name, window.fromMs, window.toMs);
            const scored = shares.total - shares.unscored;
            return [t.name, t.terms.join(", "), shares.total, scored > 0 ? shares.negative / scored : null];
          }),
        ),
      },
    };
  },
};
