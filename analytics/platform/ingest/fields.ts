import { CHANNELS, channelNamed } from "./channel.ts";
import type { Normalized } from "./kinds.ts";

/** A non-empty trimmed string, or undefined. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A channel name as people write it → one of Lift's channels, or an error listing them. */
export function channelName(value: string | undefined): Normalized<string | null> {
  if (value === undefined) return { value: null };
  const channel = channelNamed(value);
  return channel ? { value: channel } : { error: `channel "${value}" is not one of ${CHANNELS.join(", ")}` };
}
