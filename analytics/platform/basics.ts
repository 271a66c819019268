import { sourcesCommands, sourcesHome, sourcesJob } from "../capabilities/sources/commands.ts";
import type { Capability } from "./capability.ts";
import { customersPart, visitsPart } from "./demo/index.ts";
import { customersKind, eventsKind, ordersKind } from "./ingest/index.ts";
import { daySetsJob, subscriptionsJob } from "./jobs/platform-jobs.ts";

/**
 * What the platform itself contributes through the same contract: the data
 * every capability reads (events, customers, orders) and the shop they come
 * from in the demo, pulled sources, and the per-minute run of subscriptions
 * and deliveries.
 */
export const basics: Capability = {
  name: "basics",
  summary: "Events, customers and orders; pulled sources; scheduled delivery",
  commands: sourcesCommands,
  dataKinds: [eventsKind, customersKind, ordersKind],
  demo: [customersPart, visitsPart],
  jobs: [subscriptionsJob, sourcesJob, daySetsJob],
  homeSections: [sourcesHome],
};
