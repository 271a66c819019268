import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { connectorPoint } from "../sources/index.ts";
import { sentimentSpikeAlert } from "./alert.ts";
import { socialService } from "./api.ts";
import { socialVocabulary } from "./ask.ts";
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
import { socialPersonalData } from "./personal.ts";
import { socialPrompts } from "./prompts.ts";
import { mentionsPanel, rescoreJob, sentimentHome, sentimentSection } from "./sections.ts";
import { Social } from "./service.ts";
import { socialSettings } from "./settings.ts";

export { labelFor, mentionRowSchema } from "./data.ts";
export { SPIKE_DAYS_AGO } from "./demo.ts";

/** Social listening: mentions of the brand (pushed, imported or pulled) and their sentiment. */
export const social = defineCapability({
  name: "social",
  summary:
    "Social listening: mentions pulled from feeds and networks, sentiment for social text, topics, spike alerts",
  settings: socialSettings,
  setup(context) {
    socialService.provide(context, new Social(context));
    const { settings } = context;
    return {
      personalData: socialPersonalData,
      prompts: [socialPrompts],
      commands: [sentimentCommand, mentionsCommand, topicCommand],
      cliVerbs: [sentimentVerb, spikesVerb],
      alertKinds: [sentimentSpikeAlert],
      contextProviders: [socialContext],
      digestSections: [sentimentSection],
      homeSections: [sentimentHome],
      panels: [mentionsPanel],
      jobs: [rescoreJob],
      dataKinds: [mentionsKind],
      demo: [mentionsDemo(context.platform)],
      extensions: [
        contribute(vocabularyPoint, socialVocabulary),
        contribute(
          connectorPoint,
          rssConnector,
          mastodonConnector(settings),
          hackerNewsConnector(settings),
          redditConnector(settings),
          blueskyConnector(settings),
        ),
      ],
      counts: async () => ({ mentions: await socialService.of(context.platform).count() }),
    };
  },
});
