import { periodSpecText } from "../../platform/metrics/periods.ts";
import { type AskVocabulary, actionReading, amountIn, type Question } from "../ask/index.ts";

/** What people say for each comparison an alert makes. */
const BELOW =
  /\b(?:drops?|falls?|goes|dips?|is|gets|slips?)? ?(?:below|under|beneath|less than|lower than)\b/;
const ABOVE = /\b(?:goes|rises?|gets|is|climbs?)? ?(?:above|over|exceeds?|more than|higher than|tops)\b/;
const CHANGE =
  /\b(drops?|falls?|declines?|decreases?|sinks?|rises?|grows?|increases?|jumps?|climbs?)(?: by)? (\d+(?:\.\d+)?) ?(?:%|percent)/;
const UNUSUAL =
  /\bunusual\b|\banomal\w*\b|\bweird\b|\bodd\b|\bout of the ordinary\b|\bspikes?\b|\bplummets?\b|\bcrash\w*\b/;
const STOPS = /\bstops? (?:coming|arriving)\b|\bno data\b|\bgoes quiet\b|\bstops?\b/;

/** The part of a request that says when: "if revenue drops below 3k a day" → "revenue drops below 3k a day". */
function condition(text: string): string {
  return text
    .replace(/^.*?\b(?:if|when|whenever|as soon as)\b/, " ")
    .replace(/\b(?:please|thanks|thank you)\b/g, " ")
    .trim();
}

/**
 * "alert me if revenue drops below 3k a day", "let me know when signups look unusual",
 * "tell me when conversion rate falls 20% week over week": the alert, shown to confirm.
 */
function act(question: Question, verb: string) {
  if (verb !== "alert") return null;
  const when = condition(question.text);
  const grain = /\b(?:a|per|each) week\b|\bweekly\b|\bweek over week\b|\bwow\b/.test(when)
    ? "weekly"
    : "daily";
  // The metric, channel and campaign as the KPI grammar reads them, without the comparison words.
  const subject = when
    // Cadence words first: "week over week" holds "over", which also means "above".
    .replace(
      /\b(?:a|per|each) (?:day|week)\b|\bdaily\b|\bweekly\b|\b(?:day|week) over (?:day|week)\b|\bwow\b|\bdod\b/g,
      " ",
    )
    .replace(CHANGE, " ")
    .replace(BELOW, " ")
    .replace(ABOVE, " ")
    .replace(UNUSUAL, " ")
    .replace(/[$€£]?\d+(?:[.,]\d+)*\s?(?:k|m|thousand|million)?\b%?/g, " ")
    .replace(/\blooks?\b|\bseems?\b|\bis\b|\bare\b|\bgets?\b|\bour\b|\bthe\b/g, " ");
  const read = question.kpi(subject);
  if (!read?.said.metrics || read.query.metrics.length !== 1) return null;
  const metric = read.query.metrics[0]!.replace(/_/g, " ");
  const channel = read.query.filter.channel ? ` for ${read.query.filter.channel.replace(/_/g, " ")}` : "";
  const change = CHANGE.exec(when);
  if (change) {
    const direction = /^(?:drop|fall|decline|decrease|sink)/.test(change[1]!) ? "drops" : "rises";
    return actionReading(
      `alert ${metric} ${direction} ${change[2]}% ${grain === "weekly" ? "week over week" : "day over day"}${channel}`,
      question,
    );
  }
  const amount = amountIn(when);
  if (amount !== null && (BELOW.test(when) || ABOVE.test(when))) {
    const op = BELOW.test(when) ? "below" : "above";
    const value = /%|\bpercent\b/.test(when) ? `${amount}%` : String(amount);
    return actionReading(`alert ${metric} ${op} ${value} ${grain}${channel}`, question);
  }
  if (UNUSUAL.test(when)) return actionReading(`alert ${metric} anomaly${channel}`, question);
  if (STOPS.test(when)) return null;
  return null;
}

/** "anything unusual in the numbers this week?", "any anomalies yesterday": the scan. */
function read(question: Question) {
  const { text } = question;
  if (
    !/\b(?:unusual|anomal(?:y|ies|ous)|out of the ordinary|abnormal|strange|weird|odd|surprising|stand(?:s)? out)\b/.test(
      text,
    )
  )
    return null;
  if (/\bmentions?\b|\bsentiment\b|\bposts?\b/.test(text)) return null;
  const read = question.kpi(
    text.replace(/\b(?:anything|something|unusual|anomal\w*|numbers?|figures?|data)\b/g, " "),
  );
  if (read?.said.metrics) return null;
  const period = read?.said.period ? ` ${periodSpecText(read.query.period)}` : "";
  return { kind: "command" as const, command: `unusual${period}`, notes: question.notes };
}

/** Alerts in ask: alerts asked for in words ("alert me if …"), shown to confirm; "anything unusual?". */
export const alertsVocabulary: AskVocabulary = {
  id: "alerts",
  order: 55,
  words: ["alert", "alerts", "unusual"],
  act,
  read,
};
