import { auditCommand, auditDownload, auditVerb } from "./access/audit.ts";
import { accessCommand, accessVerb, accessWarning } from "./access/commands.ts";
import { feedbackCommand, feedbackVerb } from "./answers/feedback-command.ts";
import type { Contributions } from "./contract/capability.ts";
import { customerTypeScope } from "./customers/customer-type.ts";
import { customerCommand } from "./customers/page.ts";
import { customersPart, visitsPart } from "./demo/index.ts";
import { campaignsKind } from "./ingest/kinds/campaigns.ts";
import { customersKind } from "./ingest/kinds/customers.ts";
import { eventsKind } from "./ingest/kinds/events.ts";
import { ordersKind } from "./ingest/kinds/orders.ts";
import type { EventObserver } from "./ingest/observers.ts";
import type { Platform } from "./platform.ts";
import { platformPersonalData } from "./privacy/declarations.ts";

/**
 * What the platform itself contributes through the same registries: the data
 * every capability reads (events, customers, orders, campaign spend) and the
 * shop they come from in the demo, and the runs of subscriptions, deliveries
 * and day sets.
 */
export function platformContributions(
  platform: Platform,
  observers: readonly EventObserver[],
): Contributions {
  return {
    commands: [
      customerCommand(platform),
      feedbackCommand(platform),
      accessCommand(platform.access, platform.settings.timeZone),
      auditCommand(platform),
    ],
    cliVerbs: [feedbackVerb, accessVerb, auditVerb],
    downloads: [auditDownload(platform)],
    homeSections: [accessWarning(platform.access)],
    kpiScopes: [customerTypeScope],
    dataKinds: [eventsKind(observers.map((o) => o.step)), customersKind, ordersKind, campaignsKind],
    demo: [customersPart, visitsPart],
    personalData: platformPersonalData,
    jobs: [
      {
        name: "subscriptions",
        cron: "* * * * *",
        // Every minute: queue the digests and alert checks that are due, then send the queue (and its retries).
        run: async ({ notifier, logger }, now) => {
          const summary = await platform.schedules.runDue(now);
          if (summary.sent > 0 || summary.skipped > 0) logger.info(summary, "subscriptions run");
          const counts = await platform.deliveries.process(notifier, now);
          if (counts.sent + counts.retried + counts.failed > 0) logger.info(counts, "deliveries run");
        },
      },
      {
        name: "day-sets",
        cron: "17 * * * *",
        // Hourly: after an upgrade, or late events for past days, the next year-long question reads the
        // day sets of people instead of making them.
        run: async ({ logger }, now) => {
          const made = await platform.prepareDaySets(now);
          if (made > 0) logger.info({ days: made }, "day sets of people made");
        },
      },
    ],
  };
}
