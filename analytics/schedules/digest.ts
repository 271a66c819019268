import { listCampaigns } from "../../db/queries/campaigns.ts";
import { openIncidents } from "../../db/queries/schedules.ts";
import type { ChartSpec } from "../charts/spec.ts";
import type { Core } from "../core.ts";
import { formatDay, formatPercent } from "../format.ts";
import { CHANNELS } from "../ingest/channel.ts";
import { metricByKey } from "../metrics/definitions.ts";
import type { KpiResult } from "../metrics/kpis.ts";
import { formatMetric, kpiReport } from "../metrics/report.ts";
import type { Fact, Report } from "../reports/report.ts";
import { Sections } from "../reports/sections.ts";

import { evaluateRule, incidentPayload } from "./alerts.ts";

export interface DigestContext {
  core: Core;
  grain: "daily" | "weekly";
  now: number;
}

/** What one section adds to the digest; the digest itself knows no section. */
export interface DigestPart {
  facts?: Fact[];
  /** Short lines for the message ("Best channel: Email, $2,777, +38 %"). */
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

export const DIGEST_METRICS = ["revenue", "orders", "visitors", "conversion_rate", "spend", "roas"];

function periodOf(grain: DigestContext["grain"]) {
  return grain === "daily" ? ({ kind: "yesterday" } as const) : ({ kind: "last_week" } as const);
}

/** Best and worst groups by the change of `metric`, among those with something to compare. */
function bestAndWorst(result: KpiResult, metric: string, what: string): string[] {
  const definition = metricByKey(metric)!;
  const moved = result.groups
    .map((g) => ({ g, now: g.current[metric], before: g.previous?.[metric] }))
    .filter(
      (x): x is { g: (typeof result.groups)[number]; now: number; before: number } =>
        typeof x.now === "number" && typeof x.before === "number" && x.before > 0,
    )
    .map((x) => ({ ...x, change: x.now / x.before - 1 }))
    .sort((a, b) => b.change - a.change);
  if (moved.length < 2) return [];
  const line = (x: (typeof moved)[number]) =>
    `${x.g.label}: ${formatMetric(definition, x.now, result.currency)} (${x.change >= 0 ? "+" : "−"}${formatPercent(Math.abs(x.change), 0)})`;
  return [`Best ${what}: ${line(moved[0]!)}`, `Worst ${what}: ${line(moved.at(-1)!)}`];
}

export const kpiSection: DigestSection = {
  id: "kpis",
  order: 10,
  title: "KPIs",
  async build({ core, grain }) {
    const result = await core.kpis({
      metrics: DIGEST_METRICS,
      period: periodOf(grain),
      compare: "previous",
      by: "none",
      filter: {},
    });
    const trend = kpiReport(
      await core.kpis({
        metrics: ["revenue"],
        period: { kind: "last_days", n: 30 },
        compare: "none",
        by: "day",
        filter: {},
      }),
    );
    const chart = trend.charts[0];
    return { facts: kpiReport(result).facts, ...(chart ? { chart } : {}), warnings: result.warnings };
  },
};

export const channelSection: DigestSection = {
  id: "channels",
  order: 20,
  title: "Channels",
  async build({ core, grain }) {
    const result = await core.kpis({
      metrics: ["revenue", "visitors", "orders"],
      period: periodOf(grain),
      compare: "previous",
      by: "channel",
      filter: {},
    });
    const revenue = metricByKey("revenue")!;
    return {
      lines: bestAndWorst(result, "revenue", "channel"),
      details: [
        "Revenue by channel:",
        ...result.groups.map(
          (g) =>
            `  ${g.label.padEnd(14)} ${formatMetric(revenue, g.current["revenue"], result.currency).padStart(12)}`,
        ),
      ],
    };
  },
};

export const campaignSection: DigestSection = {
  id: "campaigns",
  order: 30,
  title: "Campaigns",
  async build({ core, grain }) {
    if ((await listCampaigns(core.db)).length === 0) return null;
    const result = await core.kpis({
      metrics: ["revenue", "spend", "roas"],
      period: periodOf(grain),
      compare: "previous",
      by: "campaign",
      filter: {},
    });
    const roas = metricByKey("roas")!;
    return {
      lines: bestAndWorst(result, "roas", "campaign (ROAS)"),
      details: [
        "ROAS by campaign:",
        ...result.groups.map(
          (g) =>
            `  ${g.label.slice(0, 28).padEnd(28)} ${formatMetric(roas, g.current["roas"], result.currency).padStart(8)}`,
        ),
      ],
    };
  },
};

/** Metrics and channels the digest scans for days outside their usual weekday range. */
const ANOMALY_SCAN = ["visitors", "orders"];

export const anomalySection: DigestSection = {
  id: "anomalies",
  order: 40,
  title: "Anomalies",
  async build({ core, now }) {
    const found: string[] = [];
    for (const metric of ANOMALY_SCAN) {
      for (const channel of [undefined, ...CHANNELS]) {
        const evaluation = await evaluateRule(
          core,
          { kind: "anomaly", metric, ...(channel ? { channel } : {}) },
          now,
        );
        if (evaluation.state === "firing") found.push(evaluation.headline);
      }
    }
    return found.length > 0
      ? {
          lines: found.slice(0, 5).map((line) => `🔎 ${line}`),
          details: found.length > 5 ? found.slice(5) : [],
        }
      : null;
  },
};

export const alertSection: DigestSection = {
  id: "alerts",
  order: 50,
  title: "Open alerts",
  async build({ core }) {
    const open = await openIncidents(core.db);
    if (open.length === 0) return null;
    return {
      lines: open.slice(0, 5).map((incident) => `🚨 ${incidentPayload(incident).headline}`),
    };
  },
};

export function createDigestSections(): DigestSections {
  const sections = new DigestSections();
  for (const section of [kpiSection, channelSection, campaignSection, anomalySection, alertSection])
    sections.register(section);
  return sections;
}

/** One digest message: every section's part, in order, as a Report. */
export async function buildDigest(sections: DigestSections, context: DigestContext): Promise<Report> {
  const { core, grain } = context;
  const parts = await Promise.all(
    sections.list().map(async (section) => ({ section, part: await section.build(context) })),
  );
  const period = await core.kpis({
    metrics: ["orders"],
    period: periodOf(grain),
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
