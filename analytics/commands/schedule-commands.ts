import { AppError } from "../errors.ts";
import { formatDay } from "../format.ts";
import { channelRef } from "../reports/refs.ts";
import type { Report } from "../reports/report.ts";
import { describeRule, parseAlertRule } from "../schedules/alerts.ts";
import { describeSchedule, readSchedule } from "../schedules/schedule.ts";
import { describeAlert, type Subscription } from "../schedules/subscriptions.ts";
import { dayOf, timeOf } from "../time/zone.ts";
import type { CommandContext, CommandRegistry } from "./registry.ts";

/** `<#C0123>` or `<#C0123|name>` (Slack's channel mention), else the channel asked in, else the console. */
function destination(text: string, context: CommandContext): { channel: string; rest: string } {
  const mention = /<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>/.exec(text);
  if (mention) return { channel: mention[1]!, rest: text.replace(mention[0], " ") };
  if (/(^|\s)#[\w-]+/.test(text)) {
    throw new AppError("invalid_input", "Pick the channel from Slack's list (type # and choose it)", {
      hint: "or run the command in that channel",
    });
  }
  return { channel: context.channelId ?? "console", rest: text };
}

function timeZoneIn(text: string): { timeZone: string | null; rest: string } {
  const match = /(?:^|\s)([A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?|UTC)(?=\s|$)/.exec(text);
  if (!match) return { timeZone: null, rest: text };
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: match[1]! });
  } catch {
    throw new AppError("invalid_input", `“${match[1]}” is not a time zone`, {
      hint: "use an IANA name like Europe/Berlin or America/New_York",
    });
  }
  return { timeZone: match[1]!, rest: text.replace(match[0], " ") };
}

const where = channelRef;

function idIn(args: string, usage: string): number {
  const match = /(?:^|\s)#?(\d+)(?=\s|$)/.exec(args);
  if (!match)
    throw new AppError("invalid_input", "Which one? Give its number", {
      hint: `${usage}; \`subscriptions\` lists the numbers`,
    });
  return Number(match[1]);
}

function confirmation(title: string, summary: string, actions: Report["actions"] = []): Report {
  return { kind: "confirmation", title, summary, facts: [], charts: [], actions, warnings: [] };
}

/** "3d", "1w", "12h" → milliseconds. */
function durationMs(text: string): number | null {
  const match = /(?:^|\s)(\d{1,3})\s?(h|hours?|d|days?|w|weeks?)(?=\s|$)/.exec(text);
  if (!match) return null;
  const n = Number(match[1]);
  return n * (match[2]!.startsWith("h") ? 3600_000 : match[2]!.startsWith("d") ? 86_400_000 : 7 * 86_400_000);
}

function subscriptionTable(list: Subscription[], context: CommandContext, currency: string): Report["table"] {
  const when = (ms: number | null, zone: string) =>
    ms === null ? "—" : `${formatDay(dayOf(ms, zone), { short: true })} ${timeOf(ms, zone)}`;
  return {
    columns: [
      { key: "id", label: "#", format: "text" },
      { key: "what", label: "What", format: "text" },
      { key: "where", label: "Where", format: "text" },
      { key: "when", label: "When", format: "text" },
      { key: "next", label: "Next run", format: "text" },
      { key: "owner", label: "Owner", format: "text" },
    ],
    rows: list.map((s) => [
      String(s.id),
      s.options.kind === "digest"
        ? `${s.options.grain === "daily" ? "Daily" : "Weekly"} digest`
        : `Alert: ${describeAlert(s, currency, context.core.now())}`,
      where(s.channel),
      s.schedule ? `${describeSchedule(s.schedule)} ${s.timeZone}` : "hourly",
      when(s.nextRunAt, s.timeZone),
      s.owner,
    ]),
  };
}

/** Digests, subscriptions and KPI alerts: the commands of the schedules capability. */
export function registerScheduleCommands(registry: CommandRegistry): void {
  registry.register({
    name: "subscribe",
    aliases: [],
    summary: "A digest posted on a schedule: daily, weekdays or weekly, at a local time",
    usage: "subscribe digest daily|weekdays|weekly [DAY] HH:MM [TIME ZONE] [#channel]",
    examples: ["subscribe digest daily 09:00", "subscribe digest weekly monday 08:30 Europe/Berlin"],
    details:
      "The time is in the time zone you name, else your Slack time zone, else the workspace's. The figures always use the workspace's reporting days.",
    mutates: true,
    run: async (args, context) => {
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
      const timeZone = zone.timeZone ?? context.userTimeZone ?? context.core.settings.timeZone;
      const grain = read.schedule.every === "week" ? "weekly" : "daily";
      const subscription = await context.core.schedules.subscribeDigest({
        channel: target.channel,
        owner: context.userId,
        schedule: read.schedule,
        timeZone,
        grain,
      });
      const next = subscription.nextRunAt!;
      return confirmation(
        `Subscribed · ${grain === "daily" ? "daily" : "weekly"} digest`,
        `The ${grain} digest will be posted in ${where(subscription.channel)} ${describeSchedule(read.schedule)} ${timeZone}, first on ${formatDay(dayOf(next, timeZone))} at ${timeOf(next, timeZone)}. Figures use ${context.core.settings.timeZone} days. Number ${subscription.id}; \`unsubscribe ${subscription.id}\` stops it.`,
        [{ id: "digest_now", label: "See it now", command: grain === "daily" ? "digest" : "digest weekly" }],
      );
    },
  });
  registry.register({
    name: "unsubscribe",
    aliases: ["stop"],
    summary: "Stops a digest or alert by its number",
    usage: "unsubscribe NUMBER",
    examples: ["unsubscribe 3"],
    mutates: true,
    run: async (args, context) => {
      const removed = await context.core.schedules.remove(idIn(args, "unsubscribe NUMBER"), context.userId);
      return confirmation(
        "Unsubscribed",
        `Number ${removed.id} (${removed.kind}) in ${where(removed.channel)} is stopped.`,
      );
    },
  });
  registry.register({
    name: "subscriptions",
    aliases: ["subs", "schedules"],
    summary: "Every digest and alert, where it goes and when it runs next",
    usage: "subscriptions",
    examples: ["subscriptions"],
    mutates: false,
    run: async (_args, context) => {
      const list = await context.core.schedules.list();
      return {
        kind: "subscriptions",
        title: "Subscriptions",
        summary:
          list.length === 0
            ? "Nothing is scheduled yet. Try `subscribe digest daily 09:00` or `alert revenue below 5000 daily`."
            : `${list.length} scheduled: digests post at their local time, alerts are checked hourly on complete days.`,
        facts: [],
        ...(list.length > 0
          ? { table: subscriptionTable(list, context, context.core.settings.currency) }
          : {}),
        charts: [],
        actions: [],
        warnings: [],
      };
    },
  });
  registry.register({
    name: "digest",
    aliases: ["summary"],
    summary: "The digest now: KPIs, best and worst channels and campaigns, anomalies, open alerts",
    usage: "digest [weekly]",
    examples: ["digest", "digest weekly"],
    mutates: false,
    run: async (args, context) => context.core.schedules.digestNow(/week/i.test(args) ? "weekly" : "daily"),
  });
  registry.register({
    name: "alert",
    aliases: [],
    summary: "Watches a KPI: a threshold, a week-over-week change, an anomaly, or no data",
    usage:
      "alert METRIC below|above N daily|weekly · alert METRIC drops N% week over week · alert METRIC anomaly · alert no data for N h · alert mute|unmute|delete NUMBER",
    examples: [
      "alert revenue below 5000 daily",
      "alert conversion rate drops 20% week over week",
      "alert signups anomaly",
      "alert no data for 6 h",
    ],
    mutates: true,
    run: async (args, context) => {
      const { schedules } = context.core;
      const verb = /^\s*(mute|unmute|delete|remove)\b/i.exec(args)?.[1]?.toLowerCase();
      if (verb) {
        const id = idIn(args.slice(verb.length), `alert ${verb} NUMBER`);
        if (verb === "delete" || verb === "remove") {
          const removed = await schedules.remove(id, context.userId);
          return confirmation("Alert deleted", `Alert ${removed.id} will not be checked any more.`);
        }
        if (verb === "unmute") {
          await schedules.mute(id, null, context.userId);
          return confirmation("Alert unmuted", `Alert ${id} is checked again from the next hour.`);
        }
        const ms = durationMs(args.slice(verb.length).replace(/(^|\s)#?\d+(?=\s|$)/, " ")) ?? 86_400_000;
        const until = context.core.now() + ms;
        await schedules.mute(id, until, context.userId);
        const zone = context.core.settings.timeZone;
        return confirmation(
          "Alert muted",
          `Alert ${id} is muted until ${formatDay(dayOf(until, zone))} ${timeOf(until, zone)} ${zone}.`,
          [{ id: `unmute_${id}`, label: "Unmute", command: `alert unmute ${id}` }],
        );
      }
      const target = destination(args, context);
      const rule = parseAlertRule(target.rest, context.core.today());
      const subscription = await schedules.createAlert({
        channel: target.channel,
        owner: context.userId,
        rule,
      });
      return confirmation(
        `Alert set · ${describeRule(rule, context.core.settings.currency)}`,
        `${rule.kind === "no_data" ? "Checked every hour" : "Checked every hour, on complete days only"}; a breach is posted once in ${where(subscription.channel)}, with a follow-up when it resolves. Number ${subscription.id}; \`alert delete ${subscription.id}\` removes it.`,
      );
    },
  });
  registry.register({
    name: "alerts",
    aliases: [],
    summary: "Every KPI alert, whether it is firing, and mutes",
    usage: "alerts",
    examples: ["alerts"],
    mutates: false,
    run: async (_args, context) => {
      const list = await context.core.schedules.list({ kind: "alert" });
      const open = await Promise.all(list.map((s) => context.core.schedules.isOpen(s.id)));
      const table = subscriptionTable(list, context, context.core.settings.currency);
      if (table) {
        table.columns.splice(2, 0, { key: "state", label: "State", format: "text" });
        for (const [i, row] of table.rows.entries()) row.splice(2, 0, open[i] ? "firing" : "quiet");
      }
      return {
        kind: "alerts",
        title: "Alerts",
        summary:
          list.length === 0
            ? "No alerts yet. Try `alert revenue below 5000 daily` or `alert signups anomaly`."
            : `${list.length} alert${list.length === 1 ? "" : "s"}, ${open.filter(Boolean).length} firing.`,
        facts: [],
        ...(list.length > 0 && table ? { table } : {}),
        charts: [],
        actions: list
          .flatMap((s) => [
            { id: `delete_${s.id}`, label: `Delete ${s.id}`, command: `alert delete ${s.id}` },
          ])
          .slice(0, 10),
        warnings: [],
      };
    },
  });
}
