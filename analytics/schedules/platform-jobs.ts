import type { Job } from "./jobs.ts";

/** Every minute: queue the digests and alert checks that are due, then send the queue (and its retries). */
export const subscriptionsJob: Job = {
  name: "subscriptions",
  cron: "* * * * *",
  run: async ({ platform, notifier, logger }, now) => {
    const summary = await platform.schedules.runDue(now);
    if (summary.sent > 0 || summary.skipped > 0) logger.info(summary, "subscriptions run");
    const counts = await platform.deliveries.process(notifier, now);
    if (counts.sent + counts.retried + counts.failed > 0) logger.info(counts, "deliveries run");
  },
};
