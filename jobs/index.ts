import { type Job, type JobDeps, JobRegistry } from "./registry.ts";
import { runDeliveries, runDueSubscriptions, subscriptionsJob } from "./subscriptions.ts";

export { runJobOnce, Scheduler } from "./scheduler.ts";
export { type Job, type JobDeps, JobRegistry, runDeliveries, runDueSubscriptions };

/** The jobs Lift runs; later capabilities (experiment checks, source pulls) register theirs the same way. */
export function createJobs(): JobRegistry {
  const registry = new JobRegistry();
  registry.register(subscriptionsJob);
  return registry;
}
