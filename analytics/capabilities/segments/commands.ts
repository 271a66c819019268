import { AppError } from "../../platform/base/errors.ts";
import { formatCount, formatDay, formatMoney, formatPercent } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import type { Report, ReportPeriod } from "../../platform/reports/report.ts";
import { confirmation } from "../../platform/subscriptions/words.ts";
import { addDays } from "../../platform/time/zone.ts";
import { segmentsService } from "./api.ts";
import { RFM_ACTIONS, RFM_SEGMENTS, segmentKey } from "./service.ts";

/** Segments are read as of a day: the period every segment answer states. */
function asOfPeriod(asOf: string, timeZone: string): ReportPeriod {
  return { label: `as of ${formatDay(asOf)}`, from: asOf, to: asOf, timeZone, partial: false };
}

/** `segments`: the RFM overview (sizes and revenue shares) and the saved segments with their trend. */
// Long on purpose: the segments overview in reading order (RFM table, saved segments, chart, actions).
async function overview(context: CommandContext): Promise<Report> {
  const { platform } = context;
  const segments = segmentsService.of(platform);
  const { scores, withoutCustomer, asOf } = await segments.rfm();
  const currency = platform.settings.currency;
  const total = scores.length;
  const revenue = scores.reduce((s, c) => s + c.revenueMinor, 0);
  const rows = RFM_SEGMENTS.map((name) => {
    const group = scores.filter((s) => s.segment === name);
    const groupRevenue = group.reduce((s, c) => s + c.revenueMinor, 0);
    return { name, size: group.length, revenue: groupRevenue };
  }).filter((r) => r.size > 0);
  const saved = (await segments.list()).filter((s) => s.kind === "rule");
  const lines = await Promise.all(
    saved.map(async (s) => {
      const history = await segments.history(s, 8);
      const now = await segments.size(s);
      const weekAgo = history.find((h) => h.day <= addDays(platform.today(), -7));
      const change = weekAgo ? now - weekAgo.size : null;
      return `${s.name}: ${formatCount(now)} customers${change !== null ? ` (${change >= 0 ? "+" : "−"}${formatCount(Math.abs(change))} in a week)` : ""} — ${s.definition}`;
    }),
  );
  const warnings: string[] = [];
  if (withoutCustomer > 0)
    warnings.push(`${formatCount(withoutCustomer)} orders without a customer id are left out.`);
  if (total === 0) warnings.push("No customers with orders yet: RFM needs orders with a customer_id.");
  // Heavy ties share one score (the rule stated in README): say what that does to the map.
  const byOrders = new Map<number, { n: number; f: number }>();
  for (const c of scores) byOrders.set(c.orders, { n: (byOrders.get(c.orders)?.n ?? 0) + 1, f: c.f });
  const [orders, tie] = [...byOrders].sort((a, b) => b[1].n - a[1].n)[0] ?? [];
  if (orders !== undefined && tie && tie.n / Math.max(1, total) >= 0.4)
    warnings.push(
      `${formatPercent(tie.n / total, 0)} of customers have ${orders === 1 ? "one order" : `${orders} orders`}: tied, they share frequency score ${tie.f}, so frequency does not tell them apart (${tie.f >= 3 ? "recent ones count as Potential loyalists" : "the map reads them as infrequent"}).`,
    );
  const largest = rows.reduce<(typeof rows)[number] | null>(
    (a, r) => (a === null || r.size > a.size ? r : a),
    null,
  );
  return {
    kind: "segments",
    title: `Segments · RFM as of ${formatDay(asOf)}`,
    summary: `${formatCount(total)} customers with orders in ${rows.length} RFM segments${largest ? `; the largest is ${largest.name} (${formatPercent(largest.size / Math.max(1, total), 0)})` : ""}. Champions hold ${formatPercent((rows.find((r) => r.name === "Champions")?.revenue ?? 0) / Math.max(1, revenue), 0)} of revenue.${saved.length > 0 ? ` Saved segments: ${saved.length}.` : ""}`,
    period: asOfPeriod(asOf, platform.settings.timeZone),
    freshness: answerFreshness(await context.platform.freshness()),
    facts: [
      { label: "Customers", value: formatCount(total) },
      { label: "Revenue", value: formatMoney(revenue, currency) },
    ],
    table: {
      columns: [
        { key: "segment", label: "Segment", format: "text" },
        { key: "customers", label: "Customers", format: "count" },
        { key: "share", label: "Share", format: "percent" },
        { key: "revenue", label: "Revenue", format: "money" },
        { key: "revenueShare", label: "Revenue share", format: "percent" },
        { key: "do", label: "What to do", format: "text" },
      ],
      rows: rows.map((r) => [
        r.name,
        r.size,
        r.size / Math.max(1, total),
        r.revenue,
        r.revenue / Math.max(1, revenue),
        RFM_ACTIONS[r.name] ?? null,
      ]),
      currency,
    },
    charts:
      rows.length > 1
        ? [
            {
              kind: "hbar",
              title: `Customers by RFM segment · as of ${formatDay(asOf)}`,
              labels: rows.map((r) => r.name),
              series: [{ name: "customers", values: rows.map((r) => r.size) }],
              format: "count",
            },
          ]
        : [],
    actions: rows.slice(0, 3).map((r) => ({
      id: `segment_${segmentKey(r.name)}`,
      label: r.name,
      command: `segment ${segmentKey(r.name)}`,
    })),
    warnings,
    ...(lines.length > 0 ? { details: ["Saved segments:", ...lines.map((l) => `  ${l}`)] } : {}),
  };
}

/** `segment NAME`: profile, trend, what changed, what to do. */
// Long on purpose: a segment's profile in reading order (facts against all customers, action, history chart, changes).
async function profile(name: string, context: CommandContext): Promise<Report> {
  const { platform } = context;
  const segments = segmentsService.of(platform);
  const segment = await segments.get(name);
  const { scores, asOf } = await segments.rfm();
  // An RFM segment as scored now; a rule segment as last computed.
  const members =
    segment.kind === "rfm"
      ? new Set(scores.filter((s) => segmentKey(s.segment) === segment.name).map((s) => s.id))
      : await segments.members(segment);
  const inSegment = scores.filter((s) => members.has(s.id));
  const currency = platform.settings.currency;
  const mean = (list: typeof scores, f: (s: (typeof scores)[number]) => number) =>
    list.length > 0 ? list.reduce((a, s) => a + f(s), 0) / list.length : 0;
  const orders = mean(inSegment, (s) => s.orders);
  const allOrders = mean(scores, (s) => s.orders);
  const revenue = inSegment.reduce((a, s) => a + s.revenueMinor, 0);
  const totalRevenue = scores.reduce((a, s) => a + s.revenueMinor, 0);
  const recency = mean(inSegment, (s) => s.recencyDays);
  const allRecency = mean(scores, (s) => s.recencyDays);
  const aov =
    inSegment.reduce((a, s) => a + s.orders, 0) > 0
      ? revenue / inSegment.reduce((a, s) => a + s.orders, 0)
      : 0;
  const allAov =
    scores.reduce((a, s) => a + s.orders, 0) > 0
      ? totalRevenue / scores.reduce((a, s) => a + s.orders, 0)
      : 0;
  const history = await segments.history(segment, 90);
  const changes = await segments.changesSince(segment, 7);
  const traits = [
    `${orders.toFixed(1)} orders each (all customers ${allOrders.toFixed(1)})`,
    `${formatMoney(aov, currency)} an order (all ${formatMoney(allAov, currency)})`,
    `last ordered ${Math.round(recency)} days ago on average (all ${Math.round(allRecency)})`,
  ];
  const suggestion =
    segment.kind === "rfm"
      ? (RFM_ACTIONS[RFM_SEGMENTS.find((s) => segmentKey(s) === segment.name) ?? ""] ?? null)
      : recency > allRecency * 1.5
        ? "they have gone quiet: worth a win-back email"
        : orders > allOrders * 1.5
          ? "your regulars: reward them and ask for referrals"
          : null;
  const summary = `${formatCount(inSegment.length)} customers (${formatPercent(inSegment.length / Math.max(1, scores.length), 0)} of customers, ${formatPercent(revenue / Math.max(1, totalRevenue), 0)} of revenue) who ${traits[2]}${suggestion ? `; ${suggestion}` : ""}.`;
  return {
    kind: "segment",
    title: `Segment · ${segment.name}`,
    scope: `segment ${segment.name}`,
    summary,
    period: asOfPeriod(asOf, platform.settings.timeZone),
    freshness: answerFreshness(await context.platform.freshness()),
    facts: [
      { label: "Customers", value: formatCount(inSegment.length) },
      { label: "Revenue", value: formatMoney(revenue, currency) },
      { label: "Joined, 7 days", value: formatCount(changes.joined.length) },
      { label: "Left, 7 days", value: formatCount(changes.left.length) },
    ],
    table: {
      columns: [{ key: "trait", label: "Compared with all customers", format: "text" }],
      rows: traits.map((t) => [t]),
    },
    charts:
      history.length > 1
        ? [
            {
              kind: "line",
              title: `${segment.name} · customers by day`,
              labels: history.map((h) => formatDay(h.day, { short: true })),
              series: [{ name: "customers", values: history.map((h) => h.size) }],
              format: "count",
            },
          ]
        : [],
    actions: [
      {
        id: `segment_export_${segment.id}`,
        label: "Send CSV to me",
        command: `segment export ${segment.name}`,
      },
    ],
    warnings: history.length <= 1 ? ["No history yet: it builds up with each nightly recompute."] : [],
    // "Download CSV" under the profile gives its members, not the profile's summary lines.
    download: memberDownload(segment),
    details: [
      `Definition: ${segment.kind === "rfm" ? `RFM segment ${segment.definition} (the rfm package's map)` : segment.definition}`,
      ...(changes.joined.length > 0
        ? [
            `Joined this week: ${changes.joined.slice(0, 10).join(", ")}${changes.joined.length > 10 ? " …" : ""}`,
          ]
        : []),
      ...(changes.left.length > 0
        ? [`Left this week: ${changes.left.slice(0, 10).join(", ")}${changes.left.length > 10 ? " …" : ""}`]
        : []),
    ],
  };
}

async function clustersReport(k: number | undefined, context: CommandContext): Promise<Report> {
  const { platform } = context;
  const result = await segmentsService.of(platform).clusters(k === undefined ? {} : { k });
  if (result.k === 0)
    return {
      kind: "clusters",
      title: "Clusters",
      summary: "Too few customers with orders to cluster.",
      facts: [],
      charts: [],
      actions: [],
      warnings: [],
    };
  return {
    kind: "clusters",
    title: `Clusters · ${result.k} groups of customers`,
    summary: result.clusters
      .map(
        (c) =>
          `${c.name} (${formatPercent(c.share, 0)} of customers, ${formatPercent(c.revenueShare, 0)} of revenue): ${c.traits.join(", ")}.`,
      )
      .join("\n"),
    freshness: answerFreshness(await context.platform.freshness()),
    facts: [
      { label: "Customers", value: formatCount(result.assignment.size) },
      { label: "Silhouette", value: result.silhouette ? result.silhouette.toFixed(2) : "k given" },
    ],
    table: {
      columns: [
        { key: "id", label: "#", format: "text" },
        { key: "name", label: "Cluster", format: "text" },
        { key: "size", label: "Customers", format: "count" },
        { key: "revenueShare", label: "Revenue share", format: "percent" },
        { key: "traits", label: "What sets it apart", format: "text" },
      ],
      rows: result.clusters.map((c) => [String(c.id), c.name, c.size, c.revenueShare, c.traits.join("; ")]),
    },
    charts: [],
    actions: [],
    warnings:
      result.withoutCustomer > 0
        ? [`${formatCount(result.withoutCustomer)} orders without a customer id are left out.`]
        : [],
    details: [
      `k-means on standardised recency, frequency, revenue, order value, tenure and site activity (log scale) and the channel mix; k-means++ seeding, 10 starts, seed 2026; ${result.sampled < result.assignment.size ? `clustered on a sample of ${formatCount(result.sampled)}, the rest joined the nearest centre; ` : ""}${k === undefined ? "k chosen by silhouette (5,000 customers) over 2–8" : `k = ${k} as asked`}.`,
    ],
  };
}

const CHANGES = /^\s*(create|delete|remove|export|recompute)\b/i;

/** `segments`: the overview. */
export const segmentsCommand: Command = {
  name: "segments",
  aliases: [],
  summary: "Customer segments: RFM sizes and revenue shares, saved segments with their trend",
  usage: "segments",
  examples: ["segments"],
  mutates: false,
  personal: false,
  run: async (_args, context) => overview(context),
};

/** `segment NAME`; `segment create NAME where RULE`; `segment delete NAME`; `segment clusters [k]`; `segment export NAME`. */
export const segmentCommand: Command = {
  name: "segment",
  aliases: [],
  summary: "One segment's profile, trend and what changed; create, delete or export segments; clusters",
  usage:
    "segment NAME · segment create NAME where RULE · segment delete NAME · segment clusters [K] · segment export NAME",
  examples: [
    "segment champions",
    "segment create email vips where orders >= 3 and channel = email",
    "segment clusters",
  ],
  details:
    'Rules: orders, revenue, aov (amounts), last_order and first_order (days ago: `last_order < 60d`), channel (of the first order), email, any customer trait (country, plan …); = != < <= > >=, in (…), `in segment NAME`, `did "Event" in 7d`, and/or/not, brackets.',
  mutates: false,
  personal: false,
  mutatesWith: (args) => CHANGES.test(args),
  run: async (args, context) => {
    const { platform } = context;
    const segments = segmentsService.of(platform);
    const create = /^\s*create\s+(.+?)\s+where\s+(.+)$/is.exec(args);
    if (create) {
      const { segment, size } = await segments.create(
        create[1]!.replace(/^"|"$/g, ""),
        create[2]!.trim(),
        context.userId,
      );
      await platform.audit(context.userId, "segment.create", {
        segment: segment.name,
        definition: segment.definition,
        size,
      });
      return confirmation(
        `Segment ${segment.name}`,
        `${formatCount(size)} customers now; recomputed every night (and on \`segment recompute\`). Ask \`segment ${segment.name}\`, or use it in questions: \`revenue last 30 days for segment ${segment.name}\`.`,
        [{ id: `segment_open_${segment.id}`, label: "Show it", command: `segment ${segment.name}` }],
      );
    }
    if (/^\s*create\b/i.test(args))
      throw new AppError("invalid_input", "segment create NAME where RULE", {
        hint: "segment create email vips where orders >= 3 and channel = email",
      });
    const remove = /^\s*(?:delete|remove)\s+(.+)$/i.exec(args);
    if (remove) {
      const gone = await segments.delete(remove[1]!.replace(/^"|"$/g, ""));
      await platform.audit(context.userId, "segment.delete", {
        segment: gone.name,
        definition: gone.definition,
      });
      return confirmation("Segment deleted", `${gone.name} and its history are gone.`);
    }
    if (/^\s*recompute\s*$/i.test(args)) {
      const results = await segments.recompute();
      return confirmation(
        "Segments recomputed",
        results.map((r) => `${r.name} ${formatCount(r.size)} (+${r.joined} −${r.left})`).join(", "),
      );
    }
    const exported = /^\s*export\s+(.+)$/i.exec(args);
    if (exported) {
      const segment = await segments.get(exported[1]!.replace(/^"|"$/g, ""));
      const size = await segments.size(segment);
      return {
        kind: "segment",
        title: `Segment export · ${segment.name}`,
        summary: `${formatCount(size)} customers: customer id, email, orders, total spent and last order, as CSV (Download CSV; \`lift segments export ${segment.name} --csv\` from a terminal).`,
        facts: [{ label: "Customers", value: formatCount(size) }],
        charts: [],
        actions: [],
        warnings: [],
        download: memberDownload(segment),
      };
    }
    const clusters = /^\s*clusters?(?:\s+(\d{1,2}))?\s*$/i.exec(args);
    if (clusters) return clustersReport(clusters[1] ? Number(clusters[1]) : undefined, context);
    if (!args.trim()) return overview(context);
    return profile(args.trim().replace(/^"|"$/g, ""), context);
  },
};

/** A segment's members as the answer's download: id, email, orders, total spent, last order. */
function memberDownload(segment: { name: string }): NonNullable<Report["download"]> {
  return {
    source: "segment",
    key: segment.name,
    filename: `segment-${segment.name.replace(/[^\p{L}\p{N}]+/gu, "-")}.csv`,
  };
}
