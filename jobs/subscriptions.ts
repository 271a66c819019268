import type { Job, JobDeps } from "./registry.ts";

/** Queues every digest and alert check that is due. */
export async function runDueSubscriptions(deps: JobDeps, now: number): Promise<void> {
  const summary = await deps.core.schedules.runDue(now);
  if (summary.sent > 0 || summary.skipped > 0) deps.logger.info(summary, "subscriptions run");
}

/** Sends what the queue holds: new messages, and retries whose backoff is over. */
export async function runDeliveries(deps: JobDeps, now: number): Promise<void> {
  const counts = await deps.core.deliveries.process(deps.notifier, now);
  if (counts.sent + counts.retried + counts.failed > 0) deps.logger.info(counts, "deliveries run");
}

/** Every minute: queue what is due, then send it (and any retries). */
export const subscriptionsJob: Job = {
  name: "subscriptions",
  cron: "* * * * *",
  run: async (deps, now) => {
    await runDueSubscriptions(deps, now);
    await runDeliveries(deps, now);
  },
};
