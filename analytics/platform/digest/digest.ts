import type { ChartSpec } from "../charts/spec.ts";
import { formatDay } from "../format.ts";
import type { PeriodSpec } from "../metrics/periods.ts";
import { kpiReport } from "../metrics/report.ts";
import type { Platform } from "../platform.ts";
import type { Fact, Report } from "../reports/report.ts";
import { Sections } from "../reports/sections.ts";

export interface DigestContext {
  platform: Platform;
  grain: "daily" | "weekly";
  now: number;
}

/** What one section adds to the digest; the digest itself knows no section. */
export interface DigestPart {
  facts?: Fact[];
  /** Short lines for the message ("Top channel by revenue: Email, $2,777, +38 %"). */
  lines?: string[];
  chart?: ChartSpec;
  /** Longer text for the thread reply. */
  details?: string[];
  warnings?: string[];
}

export interface DigestSection {
  id: string;
  order: number;
  title: string;
  build(context: DigestContext): Promise<DigestPart | null>;
}

export class DigestSections extends Sections<DigestSection> {
  constructor() {
    super("digest");
  }
}

/** The period a digest covers: yesterday, or last calendar week. */
export function digestPeriod(grain: DigestContext["grain"]): PeriodSpec {
  return grain === "daily" ? { kind: "yesterday" } : { kind: "last_week" };
}

/**
 * One digest message: every section's part, in order, as a Report. A section
 * that fails is replaced by a one-line note (and logged); the digest still goes out.
 */
export async function buildDigest(
  platform: Platform,
  grain: "daily" | "weekly",
  now: number,
): Promise<Report> {
  const context: DigestContext = { platform, grain, now };
  const parts = await Promise.all(
    platform.registries.digestSections.list().map(async (section) => {
      try {
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
