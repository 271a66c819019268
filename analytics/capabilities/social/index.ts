import type { Capability } from "../../platform/capability.ts";
import { sentimentSpikeAlert } from "./alert.ts";
import { socialBench } from "./bench.ts";
import { sentimentVerb, spikesVerb } from "./cli.ts";
import { mentionsCommand, sentimentCommand, topicCommand } from "./commands.ts";
import { blueskyConnector } from "./connectors/bluesky.ts";
import { hackerNewsConnector } from "./connectors/hackernews.ts";
import { mastodonConnector } from "./connectors/mastodon.ts";
import { redditConnector } from "./connectors/reddit.ts";
import { rssConnector } from "./connectors/rss.ts";
import { socialContext } from "./context.ts";
import { mentionsKind } from "./data.ts";
import { mentionsDemo } from "./demo.ts";
import { mentionsPanel, rescoreJob, sentimentHome, sentimentSection } from "./sections.ts";

export { labelFor, mentionRowSchema } from "./data.ts";
export { SPIKE_DAYS_AGO } from "./demo.ts";

/** Social listening: mentions of the brand (pushed, imported or pulled) and their sentiment. */
export const social: Capability = {
  name: "social",
  summary:
    "Social listening: mentions pulled from feeds and networks, sentiment for social text, topics, spike alerts",
  commands: [sentimentCommand, mentionsCommand, topicCommand],
  cliVerbs: [sentimentVerb, spikesVerb],
  alertKinds: [sentimentSpikeAlert],
  contextProviders: [socialContext],
  digestSections: [sentimentSection],
  homeSections: [sentimentHome],
  panels: [mentionsPanel],
  jobs: [rescoreJob],
  dataKinds: [mentionsKind],
  bench: [socialBench],
  connectors: [rssConnector, mastodonConnector, hackerNewsConnector, redditConnector, blueskyConnector],
  demo: [mentionsDemo],
};
