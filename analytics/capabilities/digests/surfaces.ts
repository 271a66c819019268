import type { Panel } from "../../platform/contract/capability.ts";
import { channelRef } from "../../platform/reports/refs.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { describeSchedule } from "../../platform/time/schedule.ts";

/** The person's own digests and alerts, with how to add one. */
export const subscriptionsHome: HomeSection = {
  id: "subscriptions",
  order: 20,
  async build({ platform, userId }) {
    const mine = await platform.schedules.list({ owner: userId });
    return simpleReport(
      "home_subscriptions",
      "Your digests and alerts",
      mine.length === 0
        ? "You have none yet. A digest brings yesterday's KPIs, top channels and anomalies every morning."
        : mine
            .map((s) =>
              s.options.kind === "digest"
                ? `#${s.id} ${s.options.grain} digest to ${s.channel.startsWith("D") ? "your DM" : channelRef(s.channel)}, ${s.schedule ? describeSchedule(s.schedule) : ""} ${s.timeZone}`
                : `#${s.id} alert: ${platform.schedules.describeAlert(s)}`,
            )
            .join("\n"),
      {
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
      },
    );
  },
};

/** Scheduled messages that could not be delivered, so nobody waits for a digest that is not coming. */
export const deliveryFailuresHome: HomeSection = {
  id: "delivery_failures",
  order: 30,
  async build({ platform }) {
    const failed = await platform.failedDeliveries(5);
    if (failed.length === 0) return null;
    return simpleReport(
      "home_failures",
      "Not delivered",
      "These scheduled messages could not be posted after their last retry.",
      {
        warnings: failed.map(
          (f) =>
            `${f.title} → ${channelRef(f.destination)}: ${f.error ?? "unknown error"} (${f.attempts} tries)`,
        ),
      },
    );
  },
};

/**
 * The console's feed: what Lift would have posted to Slack (the local
 * Notifier), newest first, with anything that could not be delivered. Answers
 * asked in the console's own box are not listed here: only scheduled digests
 * and alerts.
 */
export const feedPanel: Panel = {
  id: "feed",
  title: "Digests and alerts",
  subtitle: "scheduled digests and alerts, as Lift would have posted them to Slack",
  order: 90,
  refreshMs: 5000,
  async build({ platform }) {
    const [items, failures] = await Promise.all([platform.feed.list(30), platform.failedDeliveries()]);
    const reports: Report[] = items.map((item) => ({
      ...item.report,
      details: [
        ...(item.report.details ?? []),
        `Posted ${new Date(item.at).toISOString().replace("T", " ").slice(0, 16)} UTC to ${channelRef(item.destination)}${item.replyTo ? ` in the thread of #${item.replyTo}` : ""}`,
      ],
    }));
    if (failures.length > 0) {
      reports.unshift(
        simpleReport(
          "feed_failures",
          "Not delivered",
          "These scheduled messages could not be posted after their last retry.",
          {
            warnings: failures.map(
              (f) =>
                `${f.title} to ${channelRef(f.destination)}: ${f.error ?? "unknown error"} (${f.attempts} tries)`,
            ),
          },
        ),
      );
    }
    if (reports.length === 0) {
      reports.push(
        simpleReport(
          "feed_empty",
          "Nothing scheduled has been sent yet",
          "Subscribe to the digest or set an alert: what Lift would post to Slack shows up here.",
          {
            actions: [
              { id: "feed_digest", label: "See the digest now", command: "digest" },
              { id: "feed_subscriptions", label: "Subscriptions", command: "subscriptions" },
            ],
          },
        ),
      );
    }
    return reports;
  },
};
