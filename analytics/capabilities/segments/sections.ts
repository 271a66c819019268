import { lastComputedDay, segmentsOfPerson, sizesOn } from "../../../db/segments/queries.ts";
import { formatCount, formatPercent } from "../../platform/base/format.ts";
import type { CustomerSection, Panel } from "../../platform/contract/capability.ts";
import type { DigestSection } from "../../platform/digest/digest.ts";
import type { Job } from "../../platform/jobs/jobs.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { addDays, dayOf } from "../../platform/time/zone.ts";
import { segmentsService } from "./api.ts";
import { segmentCommand, segmentsCommand } from "./commands.ts";
import type { Segments } from "./service.ts";

/** Segments whose size moved most between two days: at least 5 customers and 5 %. */
async function movers(segments: Segments, fromDay: string, toDay: string) {
  const [before, after, list] = await Promise.all([
    sizesOn(segments.db, fromDay),
    sizesOn(segments.db, toDay),
    segments.list(),
  ]);
  return list
    .map((s) => ({ segment: s, before: before.get(s.id), after: after.get(s.id) }))
    .filter(
      (m): m is typeof m & { before: number; after: number } =>
        m.before !== undefined && m.after !== undefined,
    )
    .map((m) => ({ ...m, change: m.after - m.before }))
    .filter((m) => Math.abs(m.change) >= 5 && Math.abs(m.change) >= 0.05 * Math.max(1, m.before))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
}

const moveLine = (m: Awaited<ReturnType<typeof movers>>[number]) =>
  `${m.segment.name} ${m.change > 0 ? "grew" : "shrank"} by ${formatCount(Math.abs(m.change))} to ${formatCount(m.after)} (${m.change > 0 ? "+" : "−"}${formatPercent(Math.abs(m.change) / Math.max(1, m.before), 0)})`;

/**
 * Recomputes every segment once a day, on the first run after midnight in the
 * workspace's zone (the job runs hourly so a restart or a change of zone never skips a day).
 */
export const segmentsJob: Job = {
  name: "segments",
  cron: "20 * * * *",
  run: async ({ platform, logger, tables }, now) => {
    const today = dayOf(now, platform.settings.timeZone);
    const last = await lastComputedDay(tables);
    if (last !== null && last >= today) return;
    const results = await segmentsService.of(platform).recompute();
    logger.info(
      {
        segments: results.length,
        joined: results.reduce((s, r) => s + r.joined, 0),
        left: results.reduce((s, r) => s + r.left, 0),
      },
      "segments recomputed",
    );
  },
};

/** The digest: the segments that grew or shrank most in the period. */
export const segmentsSection: DigestSection = {
  id: "segments",
  order: 37,
  title: "Segments",
  async build({ platform, grain, at: now }) {
    const segments = segmentsService.of(platform);
    const today = dayOf(now, platform.settings.timeZone);
    const moved = await movers(segments, addDays(today, grain === "daily" ? -1 : -7), today);
    if (moved.length === 0) return null;
    return {
      lines: moved.slice(0, 3).map((m) => `👥 ${moveLine(m)}`),
      details: moved.slice(3, 10).map(moveLine),
    };
  },
};

/** App Home: the week's biggest segment moves, or where the customers stand. */
export const segmentsHome: HomeSection = {
  id: "segments",
  order: 37,
  async build({ platform }) {
    const segments = segmentsService.of(platform);
    const today = platform.today();
    const moved = await movers(segments, addDays(today, -7), today);
    if (moved.length === 0) return null;
    return simpleReport("segments", "Segments, last 7 days", moved.slice(0, 3).map(moveLine).join("\n"), {
      actions: moved.slice(0, 3).map((m) => ({
        id: `segment_open_${m.segment.id}`,
        label: m.segment.name,
        command: `segment ${m.segment.name}`,
      })),
    });
  },
};

/** The console: the RFM overview and the Champions' profile. */
export const segmentsPanel: Panel = {
  id: "segments",
  title: "Segments",
  order: 37,
  subtitle: "RFM segments, saved segments and what changed",
  async build(context) {
    const overview = await segmentsCommand.run("", context);
    const champions = (await segmentsService.of(context.platform).list()).find((s) => s.name === "champions");
    return champions ? [overview, await segmentCommand.run(champions.name, context)] : [overview];
  },
};

/** The customer page: the segments they are in today. */
export const segmentsCustomerSection: CustomerSection = {
  id: "segments",
  order: 20,
  title: "Segments",
  async build({ tables }, customer) {
    const list = await segmentsOfPerson(tables, customer.id);
    if (list.length === 0) return null;
    const rfm = list.filter((s) => s.kind === "rfm").map((s) => s.name);
    const own = list.filter((s) => s.kind !== "rfm").map((s) => s.name);
    return {
      lines: [
        ...(rfm.length > 0 ? [`RFM: ${rfm.join(", ")}`] : []),
        ...(own.length > 0 ? [`In ${own.join(", ")}`] : []),
      ],
    };
  },
};
