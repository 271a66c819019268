import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { StoredAnswer } from "../../../analytics/platform/answers/index.ts";
import type { SlackDeps } from "../answers.ts";

/** Where a button was clicked: a private answer, a message in a conversation, or the App Home. */
export type ClickedIn =
  | { kind: "ephemeral"; channel: string | undefined }
  | { kind: "message"; channel: string; threadTs: string }
  | { kind: "home" };

export function clickedIn(body: BlockAction): ClickedIn {
  if (body.view?.type === "home") return { kind: "home" };
  const container = body.container as { is_ephemeral?: boolean; channel_id?: string } | undefined;
  const channel = body.channel?.id ?? container?.channel_id;
  if (container?.is_ephemeral || !body.message || !channel) return { kind: "ephemeral", channel };
  const message = body.message as { ts: string; thread_ts?: string };
  return { kind: "message", channel, threadTs: message.thread_ts ?? message.ts };
}

/** A report button's command: its value is the command, or {command, answer} when it came from a stored answer. */
export function buttonCommand(action: unknown): string {
  const value = (action as ButtonAction).value ?? "";
  if (value.startsWith("{")) {
    try {
      const parsed = JSON.parse(value) as { command?: unknown };
      if (typeof parsed.command === "string") return parsed.command;
    } catch {
      // Not JSON after all: a command that starts with a brace.
    }
  }
  return value;
}

/** The stored answer a share button acts on, or a sentence saying why there is none. */
export async function storedAnswer(deps: SlackDeps, action: unknown): Promise<StoredAnswer | string> {
  const id = (action as ButtonAction).value ?? "";
  const stored = await deps.core.answer(id);
  return (
    stored ?? "That answer is no longer kept (answers are kept 30 days): ask again and use the new buttons."
  );
}
