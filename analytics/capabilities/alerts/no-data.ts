import { formatAgo } from "../../platform/base/format.ts";
import { every } from "../../platform/contract/alerts.ts";
import type { AlertKind } from "../../platform/contract/capability.ts";
import { phrase } from "./words.ts";

export interface NoDataRule {
  kind: "no_data";
  hours: number;
  [field: string]: unknown;
}

/** "no data for 6 h": no events have arrived for that long. Checked every 5 minutes, so a silence is heard soon. */
export const noDataAlert: AlertKind<NoDataRule> = {
  kind: "no_data",
  order: 10,
  examples: ["no data for 6 h"],
  cadence: "every 5 minutes",
  nextCheck: every(5 * 60_000),
  parse(text) {
    const match = /\sno (?:data|events)(?: for)? (\d{1,3}) ?(?:h|hours?)\s/.exec(phrase(text));
    return match ? { kind: "no_data", hours: Number(match[1]) } : null;
  },
  describe: (rule) => `No events for ${rule.hours} h`,
  async evaluate({ platform }, rule, now) {
    const extents = await platform.dataExtents();
    const last = extents.events.lastReceivedAt;
    const silentMs = last === null ? Number.POSITIVE_INFINITY : now - last;
    const firing = silentMs >= rule.hours * 3600_000;
    return {
      state: firing ? "firing" : "ok",
      period: last === null ? "never" : String(last),
      headline:
        last === null
          ? "No events have arrived yet."
          : firing
            ? `No events have arrived for ${formatAgo(last, now).replace(/ ago$/, "")} (the last ${formatAgo(last, now)}).`
            : `Events are arriving (the last ${formatAgo(last, now)}).`,
      facts: [],
    };
  },
};
