import type { WebClient } from "@slack/web-api";
import { isAppError } from "../../analytics/platform/base/errors.ts";
import { type Logger, scrub } from "../../analytics/platform/base/log.ts";
import { type CommandRunner, showsPeople } from "../../analytics/platform/commands/index.ts";
import type { Surface } from "../../analytics/platform/contract/access.ts";
import type { Core } from "../../analytics/platform/core.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import type { Conversations } from "../../analytics/platform/slack-threads/index.ts";
import { type Block, cut, escapeMrkdwn, LIMITS } from "../render/blocks.ts";
import type { Access } from "./access.ts";
import { explainFailure } from "./errors.ts";

/** What every Slack listener needs. */
export interface SlackDeps {
  core: Core;
  /** Runs commands and renders charts (off the main thread in a server). */
  runner: CommandRunner;
  conversations: Conversations;
  access: Access;
  logger: Logger;
}

export type Outcome =
  | { ok: true; report: Report; command: string }
  | { ok: false; kind: "refused" | "invalid" | "failed"; message: string; suggestions?: string[] };

/** Longest command text kept (it travels in button values, 2,000 characters at most). */
export const MAX_COMMAND = 1900;

/** `<@U123>` mentions and Slack's link markup out of a message, leaving what the person typed. */
export function plainText(text: string): string {
  return (
    text
      .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, " ")
      // Channel mentions keep their id (`<#C0123>`): "subscribe … #marketing" needs it.
      .replace(/<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>/g, "\u0000$1\u0001")
      .replace(/<(?:mailto:)?([^|>]+)\|([^>]+)>/g, "$2")
      .replace(/<([^>]+)>/g, "$1")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .replace(/\u0000([A-Z0-9]+)\u0001/g, "<#$1>")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, MAX_COMMAND)
  );
}

/** A failed answer as a message: the sentence, and the closest questions that work as buttons. */
export function failureMessage(outcome: Extract<Outcome, { ok: false }>): { text: string; blocks?: Block[] } {
  const suggestions = outcome.suggestions ?? [];
  if (suggestions.length === 0) return { text: outcome.message };
  return {
    text: outcome.message,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(outcome.message) } },
      {
        type: "actions",
        elements: suggestions.slice(0, 3).map((command, i) => ({
          type: "button",
          action_id: `run_command_suggest_${i}`,
          text: { type: "plain_text", text: cut(command, LIMITS.buttonText) },
          value: cut(command, LIMITS.buttonValue),
        })),
      },
    ],
  };
}

/** Whether a stored answer's command shows who people are: such an answer stays private, never posted to a channel. */
export function showsPeopleIn(deps: SlackDeps, text: string): boolean {
  try {
    const { command, args } = deps.core.commands.resolve(text);
    return showsPeople(command, args);
  } catch {
    return false;
  }
}

/** A command as inline code in mrkdwn (a backtick inside would end it early). */
export function codeSpan(command: string): string {
  return `\`${command.replace(/`/g, "'")}\``;
}

async function timeZoneOf(client: WebClient, userId: string): Promise<string | undefined> {
  try {
    return (await client.users.info({ user: userId })).user?.tz ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one command for one person in one place: who may read, who may change,
 * then the command. Never throws: every failure becomes a sentence for the person.
 */
export async function answer(
  deps: SlackDeps,
  client: WebClient,
  ask: {
    text: string;
    userId: string;
    channelId?: string | undefined;
    previous?: string | undefined;
    /** The person's own words, when `text` is them merged with the thread's question. */
    asked?: string | undefined;
    /** Where the question came from when it is not a person in Slack (a Workflow Builder step). */
    surface?: Surface | undefined;
    /** A language model's checked sentences as they are written (the assistant panel streams them). */
    onSentence?: ((sentence: string) => void) | undefined;
  },
): Promise<Outcome> {
  const text = ask.text.trim().slice(0, MAX_COMMAND) || "help";
  try {
    const read = await deps.access.check(client, ask.userId, ask.channelId);
    if (!read.ok) return { ok: false, kind: "refused", message: read.message };
    const { command } = deps.core.commands.resolve(text);
    // A subscription's delivery time defaults to the subscriber's own Slack time zone.
    const userTimeZone = command.name === "subscribe" ? await timeZoneOf(client, ask.userId) : undefined;
    const report = await deps.runner.run(text, {
      userId: ask.userId,
      role: read.role,
      surface: ask.surface ?? "slack",
      channelId: ask.channelId,
      userTimeZone,
      ...(ask.previous ? { previous: ask.previous } : {}),
      ...(ask.asked && ask.asked !== text ? { asked: ask.asked } : {}),
      ...(ask.onSentence ? { onSentence: ask.onSentence } : {}),
    });
    // A question in plain words is remembered as the command it was read as (follow-ups build on it).
    return { ok: true, report, command: report.command ?? text };
  } catch (error) {
    if (isAppError(error) && error.code === "forbidden")
      return { ok: false, kind: "refused", message: explainFailure(error) };
    if (isAppError(error) && error.code !== "internal") {
      return { ok: false, kind: "invalid", message: explainFailure(error), suggestions: error.suggestions };
    }
    deps.logger.error(
      { err: error, user: ask.userId, command: scrub(text.slice(0, 80)) },
      "a Slack command failed",
    );
    return { ok: false, kind: "failed", message: explainFailure(error) };
  }
}
