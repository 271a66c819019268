import { contextLine } from "../../analytics/platform/reports/context.ts";
import { slackChannelLinks } from "../../analytics/platform/reports/refs.ts";
import type { Action, Fact, Quote, Report } from "../../analytics/platform/reports/report.ts";
import { alignedTable, changeText } from "./layout.ts";
import { renderText } from "./text.ts";

/**
 * Report → Block Kit. Slack refuses a message over its limits, so every limit
 * is kept here (docs.slack.dev/reference/block-kit): 50 blocks a message,
 * 150 characters in a header, 3,000 in a section's text, 10 fields of 2,000
 * each, 25 elements in an actions block, 75 characters of button text, 2,000
 * of button value. What does not fit is cut with a note, and `followUp` holds
 * the whole answer as text for a reply in the thread: never rejected by Slack.
 */
export const LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  actions: 25,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  /** chat.postMessage truncates `text` past 40,000 characters. */
  messageText: 40_000,
} as const;

export type Block = { type: string } & Record<string, unknown>;

export interface ChartImage {
  /** A file uploaded to Slack (files upload v2, unshared), or a public URL. */
  slackFileId?: string;
  url?: string;
  alt: string;
}

export interface RenderedMessage {
  /** Notification and screen-reader text: stands without the blocks. */
  text: string;
  blocks: Block[];
  truncated: boolean;
  /** The whole answer as text, to post in the thread when `truncated`. */
  followUp: string | null;
}

export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return slackChannelLinks(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

function factField(fact: Fact): string {
  const change = fact.change ? ` ${changeText(fact.change)}` : "";
  const note = fact.note ? `\n_${escapeMrkdwn(fact.note)}_` : "";
  return cut(`*${escapeMrkdwn(fact.label)}*\n${escapeMrkdwn(fact.value)}${change}${note}`, LIMITS.fieldText);
}

/** The table as monospace lines, as many rows as fit in one section. */
function tableBlock(report: Report): { block: Block; dropped: number } | null {
  if (!report.table) return null;
  const { lines: table } = alignedTable(report.table);
  const fence = "```";
  // Room for the fences, their newlines and a "more rows" line.
  const room = LIMITS.sectionText - fence.length * 2 - 60;
  const lines = [table[0]!];
  let length = table[0]!.length;
  let dropped = 0;
  for (let i = 1; i < table.length; i++) {
    length += 1 + table[i]!.length;
    if (length > room) {
      dropped = table.length - i;
      break;
    }
    lines.push(table[i]!);
  }
  if (dropped > 0) lines.push(`… ${dropped} more row${dropped === 1 ? "" : "s"} in the thread`);
  return {
    block: {
      type: "section",
      text: { type: "mrkdwn", text: `${fence}\n${escapeMrkdwn(lines.join("\n"))}\n${fence}` },
    },
    dropped,
  };
}

/** Only http(s) links become Slack links; `|` and `>` would end the link early. */
function quoteLine(quote: Quote): string {
  const url =
    quote.url && /^https?:\/\//i.test(quote.url) ? quote.url.replace(/[|>]/g, encodeURIComponent) : null;
  const source = url ? `<${url}|${escapeMrkdwn(quote.text).replace(/\|/g, "¦")}>` : escapeMrkdwn(quote.text);
  const excerpt = quote.excerpt ? `> ${escapeMrkdwn(quote.excerpt).replace(/\n/g, "\n> ")}\n` : "";
  return `${excerpt}— ${source}`;
}

/**
 * A report's own button: its command (and the stored answer it was shown
 * under) in the value, its style, and Slack's confirm dialog when it asks first.
 */
export function actionButton(action: Action): Block {
  const value = action.answerId
    ? JSON.stringify({ command: action.command, answer: action.answerId })
    : action.command;
  return {
    type: "button",
    action_id: `run_command_${action.id}`.slice(0, 255),
    text: { type: "plain_text", text: cut(action.label, LIMITS.buttonText) },
    value: value.length <= LIMITS.buttonValue ? value : cut(action.command, LIMITS.buttonValue),
    ...(action.style ? { style: action.style } : {}),
    ...(action.confirm
      ? {
          confirm: {
            title: { type: "plain_text", text: cut(action.confirm.title, 100) },
            text: { type: "plain_text", text: cut(action.confirm.text, 300) },
            confirm: { type: "plain_text", text: cut(action.confirm.confirm, 30) },
            deny: { type: "plain_text", text: cut(action.confirm.deny, 30) },
            ...(action.style === "danger" ? { style: "danger" } : {}),
          },
        }
      : {}),
  };
}

// Long on purpose: a report's Block Kit in reading order, each block kind a few lines, within Slack's limits.
export function renderBlocks(
  report: Report,
  options: {
    chart?: ChartImage;
    buttons?: Block[];
    footer?: string;
    /** Last of all: Slack's 👍/👎 (a `context_actions` block). */
    feedback?: Block;
  } = {},
): RenderedMessage {
  let truncated = false;
  const blocks: Block[] = [];
  blocks.push({
    type: "header",
    text: { type: "plain_text", text: cut(report.title, LIMITS.header), emoji: true },
  });
  if (report.title.length > LIMITS.header) truncated = true;
  const summary = escapeMrkdwn(report.summary);
  if (summary.trim() !== "")
    blocks.push({ type: "section", text: { type: "mrkdwn", text: cut(summary, LIMITS.sectionText) } });
  if (summary.length > LIMITS.sectionText) truncated = true;

  for (let i = 0; i < report.facts.length; i += LIMITS.fields) {
    blocks.push({
      type: "section",
      fields: report.facts
        .slice(i, i + LIMITS.fields)
        .map((fact) => ({ type: "mrkdwn", text: factField(fact) })),
    });
  }
  const table = tableBlock(report);
  if (table) {
    blocks.push(table.block);
    if (table.dropped > 0) truncated = true;
  }
  if (options.chart) {
    const source = options.chart.slackFileId
      ? { slack_file: { id: options.chart.slackFileId } }
      : { image_url: options.chart.url };
    blocks.push({ type: "image", ...source, alt_text: cut(options.chart.alt, 2000) });
  }
  if (report.quotes && report.quotes.length > 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: cut(report.quotes.map(quoteLine).join("\n\n"), LIMITS.sectionText) },
    });
  }
  if (report.warnings.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: cut(report.warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`).join("\n"), LIMITS.sectionText),
      },
    });
  }
  const context = contextLine(report);
  const contextElements = [
    ...(context ? [{ type: "mrkdwn", text: cut(escapeMrkdwn(context), LIMITS.sectionText) }] : []),
    // The footer is Lift's own mrkdwn ("Asked by <@U…>"), not escaped.
    ...(options.footer ? [{ type: "mrkdwn", text: cut(options.footer, LIMITS.sectionText) }] : []),
  ];
  if (contextElements.length > 0) blocks.push({ type: "context", elements: contextElements });

  const buttons: Block[] = [...(options.buttons ?? []), ...report.actions.map(actionButton)].slice(
    0,
    LIMITS.actions,
  );
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  if (options.feedback) blocks.push(options.feedback);

  // Over 50 blocks: keep the first 48, say so, and keep the context line last.
  if (blocks.length > LIMITS.blocks) {
    truncated = true;
    const isTail = (b: Block) => ["context", "actions", "context_actions"].includes(String(b["type"]));
    const tail = blocks.filter(isTail);
    const head = blocks.filter((b) => !isTail(b)).slice(0, LIMITS.blocks - tail.length - 1);
    blocks.splice(
      0,
      blocks.length,
      ...head,
      { type: "section", text: { type: "mrkdwn", text: "_More in the thread._" } },
      ...tail,
    );
  }

  // The fallback text carries the key numbers, so the message reads without blocks or image.
  const keyNumbers = report.facts
    .slice(0, 6)
    .map((f) => `${f.label} ${f.value}${f.change ? ` (${f.change.text})` : ""}`)
    .join(" · ");
  const text = cut(
    slackChannelLinks(`${report.title}: ${report.summary}${keyNumbers ? ` ${keyNumbers}` : ""}`),
    LIMITS.messageText,
  );
  return {
    text,
    blocks,
    truncated,
    followUp: truncated ? cut(renderText(report), LIMITS.messageText) : null,
  };
}
