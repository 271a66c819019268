import { type App, Assistant, type AssistantConfig } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SuggestedPrompt } from "../../analytics/platform/contract/capability.ts";
import { cut } from "../render/blocks.ts";
import { plainText, type SlackDeps } from "./answers.ts";
import { answerInAssistantThread } from "./assistant-answer.ts";
import { slackErrorCode } from "./errors.ts";
import { answerInThread } from "./reply.ts";
import type { Registered } from "./surface.ts";

/** What the panel offers when the workspace's own data suggests nothing (also the manifests' prompts). */
export const FALLBACK_PROMPTS: SuggestedPrompt[] = [
  { title: "How did we do last week?", message: "revenue last week vs the week before" },
  { title: "Which channels bring revenue?", message: "revenue last 30 days by channel" },
  { title: "Which campaigns pay back?", message: "campaigns last 30 days" },
  { title: "Anything unusual?", message: "unusual" },
];

export const GREETING =
  "Hi, I'm Lift. Ask me about revenue, orders, channels, campaigns, experiments or what people say about you: every answer has its figures, period, time zone and how fresh the data is.";

/** Longest thread title (Slack shows the start of it in the panel's history). */
const TITLE_CHARS = 80;

interface ThreadIds {
  channelId: string;
  threadTs: string;
  context: Record<string, unknown>;
}

/** The thread and its context from an assistant event or a message in the panel. */
function threadOf(payload: unknown): ThreadIds {
  const p = payload as {
    channel?: string;
    thread_ts?: string;
    assistant_thread?: { channel_id: string; thread_ts: string; context?: Record<string, unknown> };
  };
  if (p.assistant_thread)
    return {
      channelId: p.assistant_thread.channel_id,
      threadTs: p.assistant_thread.thread_ts,
      context: p.assistant_thread.context ?? {},
    };
  return { channelId: p.channel ?? "", threadTs: p.thread_ts ?? "", context: {} };
}

/** Runs a panel call whose failure must not stop the answer (a status, a title), logging it. */
async function quietly(deps: SlackDeps, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.logger.warn({ code: slackErrorCode(error) }, `assistant panel: could not ${what}`);
  }
}

/**
 * The channel the person is viewing beside the panel, as Slack's thread context
 * says (kept in the database, so any process answering the thread knows it).
 */
function contextStore(deps: SlackDeps): NonNullable<AssistantConfig["threadContextStore"]> {
  return {
    get: async ({ payload }) => {
      const { channelId, threadTs } = threadOf(payload);
      return (await deps.conversations.assistantThread(channelId, threadTs))?.context ?? {};
    },
    save: async ({ payload }) => {
      const { channelId, threadTs, context } = threadOf(payload);
      await deps.conversations.saveAssistantThread(channelId, threadTs, { context });
    },
  };
}

/** The topic and purpose of the channel being viewed (needs channels:read / groups:read; none if refused). */
async function topicOf(client: WebClient, channel: unknown): Promise<string> {
  if (typeof channel !== "string" || !/^[CG]/.test(channel)) return "";
  try {
    const info = await client.conversations.info({ channel });
    return `${info.channel?.topic?.value ?? ""} ${info.channel?.purpose?.value ?? ""}`.trim();
  } catch {
    return "";
  }
}

/** Prompts for the panel: from the workspace's data and the viewed channel, else the fixed ones. */
async function promptsFor(
  deps: SlackDeps,
  client: WebClient,
  context: Record<string, unknown>,
): Promise<SuggestedPrompt[]> {
  const channel = typeof context["channel_id"] === "string" ? context["channel_id"] : undefined;
  const found = await deps.core.suggestedPrompts(channel, await topicOf(client, channel));
  const fill = FALLBACK_PROMPTS.filter((f) => !found.some((p) => p.message === f.message));
  return [...found, ...fill].slice(0, 4).map((p) => ({ title: cut(p.title, 75), message: p.message }));
}

/**
 * Lift in Slack's Agents & AI Apps panel (Bolt's Assistant): a new thread gets
 * a greeting and prompts from the workspace's own data; the channel the person
 * views is kept as the thread's context and its prompts follow it; a question
 * gets the status at once, the thread its title, then the answer (streamed
 * when a language model writes it). A reply in an ordinary DM thread, which
 * Bolt hands the panel too, is answered as before.
 */
export function registerAssistant(app: App, deps: SlackDeps): Registered {
  const assistant = new Assistant({
    threadContextStore: contextStore(deps),
    threadStarted: async ({ event, client, say, setSuggestedPrompts, saveThreadContext }) => {
      await saveThreadContext();
      await say(GREETING);
      const context = event.assistant_thread.context as Record<string, unknown>;
      const prompts = await promptsFor(deps, client, context);
      await quietly(deps, "suggest prompts", () =>
        setSuggestedPrompts({ prompts, title: "Worth asking now" }),
      );
    },
    threadContextChanged: async ({ event, client, saveThreadContext, setSuggestedPrompts }) => {
      await saveThreadContext();
      // The prompts follow the channel the person moved to.
      const prompts = await promptsFor(
        deps,
        client,
        event.assistant_thread.context as Record<string, unknown>,
      );
      await quietly(deps, "suggest prompts", () =>
        setSuggestedPrompts({ prompts, title: "Worth asking now" }),
      );
    },
    userMessage: async ({ message, client, setStatus, setTitle, context }) => {
      if ("bot_id" in message && message.bot_id) return;
      const text = "text" in message && typeof message.text === "string" ? plainText(message.text) : "";
      const userId = "user" in message && typeof message.user === "string" ? message.user : undefined;
      const threadTs =
        "thread_ts" in message && typeof message.thread_ts === "string" ? message.thread_ts : "";
      if (!userId || !text || !threadTs) return;
      const thread = await deps.conversations.assistantThread(message.channel, threadTs);
      if (!thread) {
        await answerInThread(deps, client, {
          channel: message.channel,
          threadTs,
          inThread: true,
          userId,
          text,
        });
        return;
      }
      await quietly(deps, "set the status", () => setStatus("is reading the numbers…"));
      if (!thread.titled) {
        await quietly(deps, "set the title", () => setTitle(cut(text, TITLE_CHARS)));
        await deps.conversations.saveAssistantThread(message.channel, threadTs, { titled: true });
      }
      await answerInAssistantThread(deps, client, {
        channel: message.channel,
        threadTs,
        userId,
        text,
        teamId: context.teamId ?? context.enterpriseId,
      });
    },
  });
  app.assistant(assistant);
  return {
    events: ["assistant_thread_started", "assistant_thread_context_changed", "message.im"],
    assistant: true,
  };
}
