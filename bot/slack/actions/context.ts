import type { BlockAction, ButtonAction } from "@slack/bolt";

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

export function buttonCommand(action: unknown): string {
  return (action as ButtonAction).value ?? "";
}
