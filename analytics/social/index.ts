import type { Capability } from "../capability.ts";
import { blueskyConnector } from "./connectors/bluesky.ts";
import { hackerNewsConnector } from "./connectors/hackernews.ts";
import { mastodonConnector } from "./connectors/mastodon.ts";
import { redditConnector } from "./connectors/reddit.ts";
import { rssConnector } from "./connectors/rss.ts";
import { mentionsKind } from "./data.ts";
import { mentionsDemo } from "./demo.ts";

export { labelFor, mentionRowSchema } from "./data.ts";
export { SPIKE_DAYS_AGO } from "./demo.ts";

/** Social listening: mentions of the brand (pushed, imported or pulled) and their sentiment. */
export const social: Capability = {
  name: "social",
  summary: "Social mentions of the brand and their sentiment",
  dataKinds: [mentionsKind],
  connectors: [rssConnector, mastodonConnector, hackerNewsConnector, redditConnector, blueskyConnector],
  demo: [mentionsDemo],
};
