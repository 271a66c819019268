import { AppError } from "../base/errors.ts";
import { formatDay } from "../base/format.ts";
import type { CommandContext } from "../contract/capability.ts";
import { channelRef } from "../reports/refs.ts";
import { type Action, type Report, simpleReport } from "../reports/report.ts";
import { describeSchedule } from "../time/schedule.ts";
import { dayOf, timeOf } from "../time/zone.ts";
import type { Subscription } from "./subscriptions.ts";

/*
 * Words the subscription commands share (digests, alerts, and any capability
 * that subscribes a channel): where a message goes, which number is meant,
 * how long a mute lasts, and the table of subscriptions.
 */

/** `<#C0123>` or `<#C0123|name>` (Slack's channel mention), else the channel asked in, else the console. */
export function destination(text: string, context: CommandContext): { channel: string; rest: string } {
  const mention = /<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>/.exec(text);
  if (mention) return { channel: mention[1]!, rest: text.replace(mention[0], " ") };
  if (/(^|\s)#[\w-]+/.test(text)) {
    throw new AppError("invalid_input", "Pick the channel from Slack's list (type # and choose it)", {
      hint: "or run the command in that channel",
    });
  }
  return { channel: context.channelId ?? "console", rest: text };
}

export function timeZoneIn(text: string): { timeZone: string | null; rest: string } {
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

/** The number a command names ("unsubscribe 3", "alert mute #4 2d"). */
export function idIn(args: string, usage: string): number {
  const match = /(?:^|\s)#?(\d+)(?=\s|$)/.exec(args);
  if (!match)
    throw new AppError("invalid_input", "Which one? Give its number", {
      hint: `${usage}; \`subscriptions\` lists the numbers`,
    });
  return Number(match[1]);
}

export function confirmation(title: string, summary: string, actions: Action[] = []): Report {
  return simpleReport("confirmation", title, summary, { actions });
}

/** "3d", "1w", "12h" → milliseconds. */
export function durationMs(text: string): number | null {
  const match = /(?:^|\s)(\d{1,3})\s?(h|hours?|d|days?|w|weeks?)(?=\s|$)/.exec(text);
  if (!match) return null;
  const n = Number(match[1]);
  return n * (match[2]!.startsWith("h") ? 3600_000 : match[2]!.startsWith("d") ? 86_400_000 : 7 * 86_400_000);
}

/** Digests and alerts as a table: number, what, where, when, next run, owner. */
export function subscriptionTable(list: Subscription[], context: CommandContext): Report["table"] {
  const { schedules } = context.platform;
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
        : `Alert: ${schedules.describeAlert(s)}`,
      channelRef(s.channel),
      s.schedule
        ? `${describeSchedule(s.schedule)} ${s.timeZone}`
        : s.options.kind === "alert"
          ? cadenceOf(s, context)
          : "",
      when(s.nextRunAt, s.timeZone),
      s.owner,
    ]),
  };
}

function cadenceOf(subscription: Subscription, context: CommandContext): string {
  if (subscription.options.kind !== "alert") return "";
  try {
    return context.platform.schedules.alertCadence(subscription.options.rule);
  } catch {
    return "—";
  }
}
