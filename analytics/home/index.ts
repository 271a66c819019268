import type { Core } from "../core.ts";
import { TODAY_QUERY } from "../metrics/dashboard.ts";
import { channelRef } from "../reports/refs.ts";
import type { Report } from "../reports/report.ts";
import { Sections } from "../reports/sections.ts";
import { describeSchedule } from "../schedules/schedule.ts";
import { describeAlert } from "../schedules/subscriptions.ts";

export interface HomeContext {
  core: Core;
  /** Slack user id (or "console"). */
  userId: string;
}

/** A part of a person's home (Slack's App Home tab): each capability contributes its own. */
export interface HomeSection {
  id: string;
  /** Lower comes first. */
  order: number;
  /** A report to show, or null when the section has nothing to say to this person. */
  build(context: HomeContext): Promise<Report | null>;
}

/** The sections of the home, in order; a section that fails says so instead of hiding the rest. */
export class HomeSections extends Sections<HomeSection> {
  constructor() {
    super("home");
  }

  async build(context: HomeContext): Promise<Report[]> {
    const built = await Promise.all(
      this.sections.map(async (section): Promise<Report | null> => {
        try {
          return await section.build(context);
        } catch (error) {
          context.core.logger.error({ err: error, section: section.id }, "a home section failed");
          return {
            kind: "home_error",
            title: section.id,
            summary: "This part of the home could not be built just now; it has been logged.",
            facts: [],
            charts: [],
            actions: [],
            warnings: [],
          };
        }
      }),
    );
    return built.filter((report): report is Report => report !== null);
  }
}

/** Quick questions offered on the home, as buttons. */
export const QUICK_COMMANDS: { label: string; command: string }[] = [
  { label: "Revenue by channel, 30 days", command: "kpi revenue last 30 days by channel" },
  { label: "Channels this month", command: "channels this month" },
  { label: "Campaigns and pacing", command: "campaigns this month" },
  { label: "What can I ask?", command: "help" },
];

/** Today so far against the same hours a week earlier, with the quick questions. */
export const todaySection: HomeSection = {
  id: "today",
  order: 10,
  async build({ core }) {
    const report = await core.kpiReport(TODAY_QUERY);
    return {
      ...report,
      title: "Today so far",
      charts: [],
      actions: QUICK_COMMANDS.map((quick, i) => ({
        id: `home_${i}`,
        label: quick.label,
        command: quick.command,
      })),
    };
  },
};

/** The person's own digests and alerts, with how to add one. */
export const subscriptionsSection: HomeSection = {
  id: "subscriptions",
  order: 20,
  async build({ core, userId }) {
    const mine = await core.schedules.list({ owner: userId });
    const currency = core.settings.currency;
    return {
      kind: "home_subscriptions",
      title: "Your digests and alerts",
      summary:
        mine.length === 0
          ? "You have none yet. A digest brings yesterday's KPIs, best and worst channels and anomalies every morning."
          : mine
              .map((s) =>
                s.options.kind === "digest"
                  ? `#${s.id} ${s.options.grain} digest to ${s.channel.startsWith("D") ? "your DM" : channelRef(s.channel)}, ${s.schedule ? describeSchedule(s.schedule) : ""} ${s.timeZone}`
                  : `#${s.id} alert: ${describeAlert(s, currency, core.now())}`,
              )
              .join("\n"),
      facts: [],
      charts: [],
      actions:
        mine.length === 0
          ? [
              {
                id: "home_subscribe",
                label: "Daily digest at 09:00 in my DM",
                command: "subscribe digest daily 09:00",
              },
            ]
          : [{ id: "home_subscriptions", label: "All subscriptions", command: "subscriptions" }],
      warnings: [],
    };
  },
};

/** Scheduled messages that could not be delivered, so nobody waits for a digest that is not coming. */
export const deliveryFailuresSection: HomeSection = {
  id: "delivery_failures",
  order: 30,
  async build({ core }) {
    const failed = await core.failedDeliveries(5);
    if (failed.length === 0) return null;
    return {
      kind: "home_failures",
      title: "Not delivered",
      summary: "These scheduled messages could not be posted after their last retry.",
      facts: [],
      charts: [],
      actions: [],
      warnings: failed.map(
        (f) =>
          `${f.title} → ${channelRef(f.destination)}: ${f.error ?? "unknown error"} (${f.attempts} tries)`,
      ),
    };
  },
};

export function createHomeSections(): HomeSections {
  const sections = new HomeSections();
  sections.register(todaySection);
  sections.register(subscriptionsSection);
  sections.register(deliveryFailuresSection);
  return sections;
}
