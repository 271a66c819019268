import type { PromptSource } from "../../platform/contract/capability.ts";

/** The assistant panel: the channel being viewed gets a digest, so its digest is worth asking for. */
export const digestPrompts: PromptSource = {
  id: "digests",
  order: 40,
  async build({ platform, channelId }) {
    if (!channelId) return [];
    const digests = await platform.schedules.list({ kind: "digest", channel: channelId });
    if (digests.length === 0) return [];
    const weekly = digests.every((d) => d.options.kind === "digest" && d.options.grain === "weekly");
    return [
      { title: "What does this channel's digest say now?", message: weekly ? "digest weekly" : "digest" },
    ];
  },
};
