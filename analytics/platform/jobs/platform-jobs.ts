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

/**
 * Keeps the day sets of people made (hourly): after an upgrade, or late events
 * for past days, the next year-long question reads them instead of making them.
 */
export const daySetsJob: Job = {
  name: "day-sets",
  cron: "17 * * * *",
  run: async ({ platform, logger }, now) => {
    const made = await platform.prepareDaySets(now);
    if (made > 0) logger.info({ days: made }, "day sets of people made");
  },
};
