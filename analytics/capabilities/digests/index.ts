import type { Capability } from "../../platform/capability.ts";
import { digestCommand, subscribeCommand, subscriptionsCommand, unsubscribeCommand } from "./commands.ts";
import { deliveryFailuresHome, feedPanel, subscriptionsHome } from "./surfaces.ts";

/** Digests on a schedule and the subscriptions behind them; the feed of what was posted. */
export const digests: Capability = {
  name: "digests",
  summary: "Scheduled digests (daily, weekdays, weekly) and the subscriptions list",
  commands: [subscribeCommand, unsubscribeCommand, subscriptionsCommand, digestCommand],
  homeSections: [subscriptionsHome, deliveryFailuresHome],
  panels: [feedPanel],
};
