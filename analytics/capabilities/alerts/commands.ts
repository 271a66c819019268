import { formatDay } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import { channelRef } from "../../platform/reports/refs.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import {
  confirmation,
  destination,
  durationMs,
  idIn,
  subscriptionTable,
} from "../../platform/subscriptions/words.ts";
import { dayOf, timeOf } from "../../platform/time/zone.ts";

/** `alert …`: sets an alert of any kind a capability contributed, or mutes, unmutes or deletes one. */
export const alertCommand: Command = {
  name: "alert",
  aliases: [],
  summary: "Watches a KPI (a threshold, a change, an anomaly, no data) or anything a capability adds",
  usage:
    "alert METRIC below|above N daily|weekly · alert METRIC drops N% week over week · alert METRIC anomaly · alert no data for N h · alert mute|unmute|delete NUMBER",
  examples: [
    "alert revenue below 5000 daily",
    "alert conversion rate drops 20% week over week",
    "alert signups anomaly",
    "alert no data for 6 h",
  ],
  mutates: true,
  personal: false,
  run: async (args, context) => {
    const { platform } = context;
    const { schedules } = platform;
    const verb = /^\s*(mute|unmute|delete|remove)\b/i.exec(args)?.[1]?.toLowerCase();
    if (verb) {
      const id = idIn(args.slice(verb.length), `alert ${verb} NUMBER`);
      if (verb === "delete" || verb === "remove") {
        const removed = await schedules.remove(id, context.userId);
        return confirmation("Alert deleted", `Alert ${removed.id} will not be checked any more.`);
      }
      if (verb === "unmute") {
        await schedules.mute(id, null, context.userId);
        return confirmation("Alert unmuted", `Alert ${id} is checked again from its next check.`);
      }
      const ms = durationMs(args.slice(verb.length).replace(/(^|\s)#?\d+(?=\s|$)/, " ")) ?? 86_400_000;
      const until = platform.now() + ms;
      await schedules.mute(id, until, context.userId);
      const zone = platform.settings.timeZone;
      return confirmation(
        "Alert muted",
        `Alert ${id} is muted until ${formatDay(dayOf(until, zone))} ${timeOf(until, zone)} ${zone}.`,
        [{ id: `unmute_${id}`, label: "Unmute", command: `alert unmute ${id}` }],
      );
    }
    const target = destination(args, context);
    const rule = schedules.parseAlert(target.rest);
    const subscription = await schedules.createAlert({
      channel: target.channel,
      owner: context.userId,
      rule,
    });
    return confirmation(
      `Alert set · ${schedules.describeRule(rule)}`,
      `Checked ${schedules.alertCadence(rule) === "hourly" ? "every hour, on complete days only" : schedules.alertCadence(rule)}; a breach is posted once in ${channelRef(subscription.channel)}, with a follow-up in its thread when it resolves. Number ${subscription.id}; \`alert delete ${subscription.id}\` removes it.`,
    );
  },
};

/** `alerts`: every alert, whether it is firing, and mutes. */
export const alertsCommand: Command = {
  name: "alerts",
  aliases: [],
  summary: "Every alert, whether it is firing, and mutes",
  usage: "alerts",
  examples: ["alerts"],
  mutates: false,
  personal: false,
  run: async (_args, context) => {
    const { schedules } = context.platform;
    const list = await schedules.list({ kind: "alert" });
    const open = await Promise.all(list.map((s) => schedules.isOpen(s.id)));
    const table = subscriptionTable(list, context);
    if (table) {
      table.columns.splice(2, 0, { key: "state", label: "State", format: "text" });
      for (const [i, row] of table.rows.entries()) row.splice(2, 0, open[i] ? "firing" : "quiet");
    }
    return simpleReport(
      "alerts",
      "Alerts",
      list.length === 0
        ? "No alerts yet. Try `alert revenue below 5000 daily` or `alert signups anomaly`."
        : `${list.length} alert${list.length === 1 ? "" : "s"}, ${open.filter(Boolean).length} firing.`,
      {
        ...(list.length > 0 && table ? { table } : {}),
        actions: list.slice(0, 10).map((s) => ({
          id: `delete_${s.id}`,
          label: `Delete ${s.id}`,
          command: `alert delete ${s.id}`,
          style: "danger" as const,
          confirm: {
            title: `Delete alert ${s.id}?`,
            text: `“${schedules.describeAlert(s)}” will not be checked any more.`,
            confirm: "Delete",
            deny: "Keep it",
          },
        })),
      },
    );
  },
};
