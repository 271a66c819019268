import { formatDay } from "../base/format.ts";
import { Registry } from "../base/registry.ts";
import type { PlatformApi } from "../contract/api.ts";
import type { ContextSource, DigestPart, DigestSection } from "../contract/capability.ts";
import { type PeriodSpec, resolvePeriod } from "../metrics/periods.ts";
import { kpiReport } from "../metrics/report.ts";
import type { Report } from "../reports/report.ts";
import { addDays, dayOf, startOfDayMs } from "../time/zone.ts";

/** The sections every digest is made of, in order. */
export class DigestSections extends Registry<DigestSection> {
  constructor() {
    super(
      "digest section",
      (s) => s.id,
      (s) => s.order,
    );
  }
}

/** The period a digest covers: yesterday, or last calendar week. */
export function digestPeriod(grain: "daily" | "weekly"): PeriodSpec {
  return grain === "daily" ? { kind: "yesterday" } : { kind: "last_week" };
}

/**
 * One digest message: every section's part, in order, as a Report. A section
 * that fails is replaced by a one-line note (and logged); the digest still goes out.
 */
export async function buildDigest(
  platform: PlatformApi,
  sections: DigestSections,
  contexts: ContextSource,
  grain: "daily" | "weekly",
  now: number,
): Promise<Report> {
  const zone = platform.settings.timeZone;
  const dated = resolvePeriod(digestPeriod(grain), dayOf(now, zone));
  const days = {
    from: dated.from,
    to: dated.to,
    fromMs: startOfDayMs(dated.from, zone),
    toMs: startOfDayMs(addDays(dated.to, 1), zone),
  };
  const parts = await Promise.all(
    sections.list().map(async (section) => {
      try {
        const context = { ...contexts.contextFor(sections.ownerOf(section)), grain, at: now, days };
        return { section, part: await section.build(context) };
      } catch (error) {
        platform.logger.error(
          { err: error, section: section.id },
          "a digest section failed; the rest is sent",
        );
        const note: DigestPart = { lines: [`⚠️ ${section.title}: could not be built this time (logged).`] };
        return { section, part: note };
      }
    }),
  );
  const period = await platform.kpis({
    metrics: ["orders"],
    period: digestPeriod(grain),
    compare: "previous",
    by: "none",
    filter: {},
  });
  const base = kpiReport(period);
  const label =
    grain === "daily"
      ? formatDay(period.period.from)
      : `week of ${formatDay(period.period.from, { short: true })} – ${formatDay(period.period.to)}`;
  const lines = parts.flatMap(({ part }) => part?.lines ?? []);
  const details = parts.flatMap(({ section, part }) =>
    part?.details && part.details.length > 0 ? [`${section.title}`, ...part.details, ""] : [],
  );
  const chart = parts.find(({ part }) => part?.chart)?.part?.chart;
  const facts = parts.flatMap(({ part }) => part?.facts ?? []);
  const headline = facts
    .slice(0, 3)
    .map((f) => `${f.label} ${f.value}${f.change ? ` (${f.change.text})` : ""}`)
    .join(", ");
  return {
    kind: "digest",
    title: `${grain === "daily" ? "Daily" : "Weekly"} digest · ${label}`,
    summary: `${headline || "No figures for this period yet"}.${lines.length > 0 ? `\n${lines.join("\n")}` : ""}`,
    ...(base.period ? { period: base.period } : {}),
    ...(base.freshness ? { freshness: base.freshness } : {}),
    facts,
    charts: chart ? [chart] : [],
    actions: [
      {
        id: "digest_channels",
        label: "Channels",
        command: grain === "daily" ? "channels yesterday" : "channels last week",
      },
      {
        id: "digest_campaigns",
        label: "Campaigns",
        command: grain === "daily" ? "campaigns yesterday" : "campaigns last week",
      },
    ],
    warnings: [...new Set(parts.flatMap(({ part }) => part?.warnings ?? []))],
    ...(details.length > 0 ? { details } : {}),
  };
}

export type { DigestPart, DigestSection };
