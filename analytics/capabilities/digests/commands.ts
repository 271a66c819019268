import { AppError } from "../../platform/base/errors.ts";
import { formatDay } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import { channelRef } from "../../platform/reports/refs.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import {
  confirmation,
  destination,
  idIn,
  subscriptionTable,
  timeZoneIn,
} from "../../platform/subscriptions/words.ts";
import { describeSchedule, readSchedule } from "../../platform/time/schedule.ts";
import { dayOf, timeOf } from "../../platform/time/zone.ts";

export const subscribeCommand: Command = {
  name: "subscribe",
  aliases: [],
  summary: "A digest posted on a schedule: daily, weekdays or weekly, at a local time",
  usage: "subscribe digest daily|weekdays|weekly [DAY] HH:MM [TIME ZONE] [#channel]",
  examples: ["subscribe digest daily 09:00", "subscribe digest weekly monday 08:30 Europe/Berlin"],
  details:
    "The time is in the time zone you name, else your Slack time zone, else the workspace's. The figures always use the workspace's reporting days.",
  mutates: true,
  personal: false,
  run: async (args, context) => {
    const { platform } = context;
    let text = args.replace(/^\s*(?:to\s+)?(?:the\s+)?digests?\b/i, " ");
    if (
      text === args &&
      /\S/.test(args) &&
      !/^\s*(daily|weekly|weekdays|every|mon|tue|wed|thu|fri|sat|sun|\d)/i.test(args)
    ) {
      throw new AppError("invalid_input", "Lift can subscribe you to the digest", {
        hint: "e.g. `subscribe digest daily 09:00`; for alerts use `alert …`",
      });
    }
    const target = destination(text, context);
    const zone = timeZoneIn(target.rest);
    text = zone.rest;
    const read = readSchedule(text || "daily 09:00");
    if (!read)
      throw new AppError("invalid_input", "When should the digest come?", {
        hint: "e.g. `subscribe digest daily 09:00` or `weekly monday 08:30`",
      });
    if (read.rest.replace(/\b(at|on|in|to|for|the|me|us|please)\b/g, "").trim() !== "") {
      throw new AppError("invalid_input", `I could not read “${read.rest}”`, {
        hint: "`help subscribe` shows the form",
      });
    }
    const timeZone = zone.timeZone ?? context.userTimeZone ?? platform.settings.timeZone;
    const grain = read.schedule.every === "week" ? "weekly" : "daily";
    const subscription = await platform.schedules.subscribeDigest({
      channel: target.channel,
      owner: context.userId,
      schedule: read.schedule,
      timeZone,
      grain,
    });
    const next = subscription.nextRunAt!;
    return confirmation(
      `Subscribed · ${grain === "daily" ? "daily" : "weekly"} digest`,
      `The ${grain} digest will be posted in ${channelRef(subscription.channel)} ${describeSchedule(read.schedule)} ${timeZone}, first on ${formatDay(dayOf(next, timeZone))} at ${timeOf(next, timeZone)}. Figures use ${platform.settings.timeZone} days. Number ${subscription.id}; \`unsubscribe ${subscription.id}\` stops it.`,
      [{ id: "digest_now", label: "See it now", command: grain === "daily" ? "digest" : "digest weekly" }],
    );
  },
};

export const unsubscribeCommand: Command = {
  name: "unsubscribe",
  aliases: ["stop"],
  summary: "Stops a digest or alert by its number",
  usage: "unsubscribe NUMBER",
  examples: ["unsubscribe 3"],
  mutates: true,
  personal: false,
  run: async (args, context) => {
    const removed = await context.platform.schedules.remove(idIn(args, "unsubscribe NUMBER"), context.userId);
    return confirmation(
      "Unsubscribed",
      `Number ${removed.id} (${removed.kind}) in ${channelRef(removed.channel)} is stopped.`,
    );
  },
};

export const subscriptionsCommand: Command = {
  name: "subscriptions",
  aliases: ["subs", "schedules"],
  summary: "Every digest and alert, where it goes and when it runs next",
  usage: "subscriptions",
  examples: ["subscriptions"],
  mutates: false,
  personal: false,
  run: async (_args, context) => {
    const list = await context.platform.schedules.list();
    return simpleReport(
      "subscriptions",
      "Subscriptions",
      list.length === 0
        ? "Nothing is scheduled yet. Try `subscribe digest daily 09:00` or `alert revenue below 5000 daily`."
        : `${list.length} scheduled: digests post at their local time, alerts are checked at their own cadence.`,
      list.length > 0 ? { table: subscriptionTable(list, context) } : {},
    );
  },
};

export const digestCommand: Command = {
  name: "digest",
  aliases: ["summary"],
  summary:
    "The digest now: KPIs, top channels and campaigns, anomalies, open alerts, and every capability's section",
  usage: "digest [weekly]",
  examples: ["digest", "digest weekly"],
  mutates: false,
  personal: false,
  run: async (args, context) => context.platform.schedules.digestNow(/week/i.test(args) ? "weekly" : "daily"),
};
