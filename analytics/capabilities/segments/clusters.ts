import { Random } from "../../platform/demo/random.ts";
import { kmeans, silhouette, standardize } from "./kmeans.ts";

/*
 * Behavioural clusters of customers, explained in words: k-means on
 * standardised features (the skewed ones log-transformed), k chosen by
 * silhouette unless given, clusters in a canonical order (largest first) so
 * their ids and names hold from one night to the next.
 */

export const CHANNEL_FEATURES = [
  "email",
  "paid_search",
  "paid_social",
  "affiliate",
  "organic",
  "referral",
  "direct",
] as const;

const CHANNEL_WORDS: Record<string, string> = {
  email: "email",
  paid_search: "paid search",
  paid_social: "paid social",
  affiliate: "affiliates",
  organic: "organic search",
  referral: "referrals",
  direct: "direct visits",
};

export interface CustomerFeatures {
  id: string;
  recencyDays: number;
  orders: number;
  /** Revenue in major units of the reporting currency. */
  revenue: number;
  tenureDays: number;
  /** Events in the 90 days before the as-of day. */
  events: number;
  /** Share of their orders per channel. */
  channels: Partial<Record<string, number>>;
}

export interface ClusterOptions {
  /** Clusters wanted; chosen by silhouette over 2…8 when not given. */
  k?: number;
  seed?: number;
  /** At most this many customers are clustered; the rest join the nearest centre. */
  sampleSize?: number;
  /** Rows the silhouette is measured on. */
  silhouetteSample?: number;
  /** Rows each candidate k is fitted on when k is chosen. */
  selectionSample?: number;
}

export interface Cluster {
  /** 1, 2, … by size. */
  id: number;
  name: string;
  size: number;
  share: number;
  revenueShare: number;
  /** What sets it apart, in the features' own units. */
  traits: string[];
  means: {
    recencyDays: number;
    orders: number;
    aov: number;
    tenureDays: number;
    events: number;
    revenue: number;
  };
  topChannel: { channel: string; share: number } | null;
}

export interface Clustering {
  k: number;
  silhouette: number;
  /** Customers clustered (the rest were assigned to the nearest centre). */
  sampled: number;
  clusters: Cluster[];
  /** Customer id → cluster id. */
  assignment: Map<string, number>;
}

function featureRow(c: CustomerFeatures): number[] {
  const aov = c.orders > 0 ? c.revenue / c.orders : 0;
  return [
    Math.log1p(c.recencyDays),
    Math.log1p(c.orders),
    Math.log1p(c.revenue),
    Math.log1p(aov),
    Math.log1p(c.tenureDays),
    Math.log1p(c.events),
    ...CHANNEL_FEATURES.map((ch) => c.channels[ch] ?? 0),
  ];
}

function sampleIndices(n: number, size: number, random: Random): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random.next() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}

const money = (x: number) => `$${x >= 100 ? Math.round(x) : x.toFixed(2)}`;
const times = (x: number) => `${x >= 10 ? Math.round(x) : x.toFixed(1)}×`;

export function clusterCustomers(customers: CustomerFeatures[], options: ClusterOptions = {}): Clustering {
  const seed = options.seed ?? 2026;
  const random = new Random(seed);
  const n = customers.length;
  if (n < 4) return { k: 0, silhouette: 0, sampled: n, clusters: [], assignment: new Map() };
  const rows = customers.map(featureRow);
  const { data: all, sds } = standardize(rows);
  const d = rows[0]!.length;
  // The channel mix, standardised, would be seven features to the behaviour's six
  // and one-hot for most customers: it would split customers by channel alone.
  // Scaled so the whole mix weighs as much as one behavioural feature.
  const first = d - CHANNEL_FEATURES.length;
  const used = sds.slice(first).filter((sd) => sd > 0).length;
  if (used > 1)
    for (let i = 0; i < n; i++) for (let j = first; j < d; j++) all[i * d + j]! /= Math.sqrt(used);
  const picked = sampleIndices(n, options.sampleSize ?? 100_000, random);
  const data = new Float64Array(picked.length * d);
  picked.forEach((row, i) => {
    data.set(all.subarray(row * d, row * d + d), i * d);
  });
  const rowsOf = (from: Float64Array, rows: number[]) => {
    const out = new Float64Array(rows.length * d);
    rows.forEach((row, i) => {
      out.set(from.subarray(row * d, row * d + d), i * d);
    });
    return out;
  };
  // k by silhouette: each candidate fitted on a selection sample (20,000 rows) and scored on
  // 5,000 of them; the chosen k is then fitted on the whole clustering sample.
  let chosen = options.k ?? 0;
  let score = 0;
  if (!options.k) {
    const selection = sampleIndices(picked.length, options.selectionSample ?? 20_000, random);
    const selectionData = rowsOf(data, selection);
    const scored = sampleIndices(selection.length, options.silhouetteSample ?? 5000, random);
    const scoredData = rowsOf(selectionData, scored);
    score = Number.NEGATIVE_INFINITY;
    for (const k of [2, 3, 4, 5, 6, 7, 8].filter((k) => k < selection.length)) {
      const fit = kmeans(selectionData, d, k, { seed });
      const labels = Int32Array.from(scored, (row) => fit.labels[row]!);
      const s = silhouette(scoredData, d, labels, k);
      if (s > score) {
        score = s;
        chosen = k;
      }
    }
  }
  const k = chosen;
  const { centers } = kmeans(data, d, k, { seed });
  // Every customer to the nearest centre (the sample's own labels are the same).
  const raw = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let bestC = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (all[i * d + j]! - centers[c * d + j]!) ** 2;
      if (dist < bestDist) {
        bestDist = dist;
        bestC = c;
      }
    }
    raw[i] = bestC;
  }
  // Canonical order: by size, then revenue, then the centre's coordinates.
  const stats = Array.from({ length: k }, (_, c) => ({ c, size: 0, revenue: 0 }));
  for (let i = 0; i < n; i++) {
    stats[raw[i]!]!.size++;
    stats[raw[i]!]!.revenue += customers[i]!.revenue;
  }
  const order = [...stats]
    .sort((a, b) => b.size - a.size || b.revenue - a.revenue || a.c - b.c)
    .map((s) => s.c);
  const idOf = new Map(order.map((c, rank) => [c, rank + 1]));
  const assignment = new Map<string, number>();
  customers.forEach((c, i) => {
    assignment.set(c.id, idOf.get(raw[i]!)!);
  });
  const clusters = explain(customers, assignment, k);
  return { k, silhouette: score, sampled: picked.length, clusters, assignment };
}

function means(group: CustomerFeatures[]) {
  const n = Math.max(1, group.length);
  const sum = (f: (c: CustomerFeatures) => number) => group.reduce((s, c) => s + f(c), 0) / n;
  const orders = group.reduce((s, c) => s + c.orders, 0);
  const revenue = group.reduce((s, c) => s + c.revenue, 0);
  return {
    recencyDays: sum((c) => c.recencyDays),
    orders: sum((c) => c.orders),
    aov: orders > 0 ? revenue / orders : 0,
    tenureDays: sum((c) => c.tenureDays),
    events: sum((c) => c.events),
    revenue: sum((c) => c.revenue),
  };
}

function topChannel(group: CustomerFeatures[]): { channel: string; share: number } | null {
  const totals = new Map<string, number>();
  let all = 0;
  for (const c of group)
    for (const [channel, share] of Object.entries(c.channels)) {
      const orders = (share ?? 0) * c.orders;
      totals.set(channel, (totals.get(channel) ?? 0) + orders);
      all += orders;
    }
  const [channel, orders] = [...totals].sort((a, b) => b[1] - a[1])[0] ?? [];
  return channel && all > 0 ? { channel, share: orders! / all } : null;
}

/** Sizes, revenue shares, what sets each cluster apart in words, and a name. */
export function explain(
  customers: CustomerFeatures[],
  assignment: Map<string, number>,
  k: number,
): Cluster[] {
  const overall = means(customers);
  const totalRevenue = customers.reduce((s, c) => s + c.revenue, 0);
  const clusters: Cluster[] = [];
  for (let id = 1; id <= k; id++) {
    const group = customers.filter((c) => assignment.get(c.id) === id);
    if (group.length === 0) continue;
    const m = means(group);
    const channel = topChannel(group);
    const ratio = (a: number, b: number) => (b > 0 ? a / b : 1);
    const traits: string[] = [];
    const frequency = ratio(m.orders, overall.orders);
    if (frequency >= 1.3) traits.push(`order ${times(frequency)} as often as the average customer`);
    else if (frequency <= 0.77) traits.push(`order ${times(frequency)} as often as the average customer`);
    const value = ratio(m.aov, overall.aov);
    if (value >= 1.25 || value <= 0.8)
      traits.push(`spend ${money(m.aov)} an order (average ${money(overall.aov)})`);
    const recency = ratio(m.recencyDays, overall.recencyDays);
    if (recency >= 1.4 || recency <= 0.6)
      traits.push(
        `last ordered ${Math.round(m.recencyDays)} days ago on average (all customers: ${Math.round(overall.recencyDays)})`,
      );
    const tenure = ratio(m.tenureDays, overall.tenureDays);
    if (tenure <= 0.5)
      traits.push(
        `customers for ${Math.round(m.tenureDays)} days (average ${Math.round(overall.tenureDays)})`,
      );
    const engagement = ratio(m.events, overall.events);
    if (overall.events > 0 && (engagement >= 1.5 || engagement <= 0.5))
      traits.push(engagement < 0.1 ? "hardly any site activity" : `${times(engagement)} the site activity`);
    if (channel && channel.share >= 0.5)
      traits.push(
        `mostly from ${CHANNEL_WORDS[channel.channel] ?? channel.channel} (${Math.round(channel.share * 100)} % of their orders)`,
      );
    if (traits.length === 0) traits.push("close to the average customer on every measure");
    clusters.push({
      id,
      name: nameOf(
        { frequency, value, recency, tenure, revenue: ratio(m.revenue, overall.revenue) },
        channel,
      ),
      size: group.length,
      share: group.length / customers.length,
      revenueShare: totalRevenue > 0 ? group.reduce((s, c) => s + c.revenue, 0) / totalRevenue : 0,
      traits,
      means: m,
      topChannel: channel,
    });
  }
  // Two clusters with one name get told apart by their size order.
  const seen = new Map<string, number>();
  for (const c of clusters) {
    const count = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, count);
    if (count > 1) c.name = `${c.name} (${count})`;
  }
  return clusters;
}

/** A name a marketer reads: who they are, and where they come from when one channel dominates. */
export function nameOf(
  r: { frequency: number; value: number; recency: number; tenure: number; revenue: number },
  channel: { channel: string; share: number } | null,
): string {
  let who: string;
  // The strongest signals first: gone quiet, just arrived, buying much, buying cheap
  // (at the thresholds the traits are stated at, so a name never contradicts its traits).
  if (r.recency >= 1.4) who = r.frequency >= 1 ? "Lapsing regulars" : "Lapsed one-time buyers";
  else if (r.tenure <= 0.25) who = "New customers";
  else if (r.frequency >= 1.5 && r.revenue >= 1.5) who = "Loyal high-value customers";
  else if (r.value <= 0.8) who = "Bargain hunters";
  else if (r.tenure <= 0.5) who = "New customers";
  else if (r.frequency >= 1.3) who = "Regulars";
  else if (r.value >= 1.25) who = "Big-basket buyers";
  else who = "Occasional buyers";
  if (!channel || channel.share < 0.5) return who;
  return `${who} from ${CHANNEL_WORDS[channel.channel] ?? channel.channel}`;
}
