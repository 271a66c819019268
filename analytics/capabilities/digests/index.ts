import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { digestsVocabulary } from "./ask.ts";
import { digestCommand, subscribeCommand, subscriptionsCommand, unsubscribeCommand } from "./commands.ts";
import { digestPrompts } from "./prompts.ts";
import { deliveryFailuresHome, feedPanel, subscriptionsHome } from "./surfaces.ts";

/** Digests on a schedule and the subscriptions behind them; the feed of what was posted. */
export const digests = defineCapability({
  name: "digests",
  summary: "Scheduled digests (daily, weekdays, weekly) and the subscriptions list",
  setup: () => ({
    prompts: [digestPrompts],
    commands: [subscribeCommand, unsubscribeCommand, subscriptionsCommand, digestCommand],
    homeSections: [subscriptionsHome, deliveryFailuresHome],
    panels: [feedPanel],
    extensions: [contribute(vocabularyPoint, digestsVocabulary)],
  }),
});
