import { describe, expect, it } from "vitest";
import {
  type CustomerFeatures,
  clusterCustomers,
} from "../../../../analytics/capabilities/segments/clusters.ts";
import { adjustedRand, kmeans, silhouette } from "../../../../analytics/capabilities/segments/kmeans.ts";
import { Random } from "../../../../analytics/platform/demo/random.ts";

/** Four planted groups: loyal big spenders by email, lapsing regulars, affiliate bargain hunters, new paid-social buyers. */
function planted(seed: number, perGroup = 300): { customers: CustomerFeatures[]; truth: number[] } {
  const r = new Random(seed);
  const around = (x: number, spread: number) => Math.max(0, x * (1 + spread * r.normal()));
  const groups = [
    () => ({
      recencyDays: around(8, 0.4),
      orders: Math.round(around(9, 0.25)),
      aov: around(120, 0.15),
      tenureDays: around(400, 0.2),
      events: around(80, 0.3),
      channel: "email",
    }),
    () => ({
      recencyDays: around(160, 0.2),
      orders: Math.round(around(5, 0.25)),
      aov: around(60, 0.15),
      tenureDays: around(500, 0.2),
      events: around(2, 0.5),
      channel: "organic",
    }),
    () => ({
      recencyDays: around(30, 0.4),
      orders: Math.round(around(2, 0.3)),
      aov: around(22, 0.15),
      tenureDays: around(120, 0.3),
      events: around(15, 0.4),
      channel: "affiliate",
    }),
    () => ({
      recencyDays: around(6, 0.5),
      orders: 1,
      aov: around(55, 0.15),
      tenureDays: around(8, 0.5),
      events: around(10, 0.4),
      channel: "paid_social",
    }),
  ];
  const customers: CustomerFeatures[] = [];
  const truth: number[] = [];
  groups.forEach((make, g) => {
    for (let i = 0; i < perGroup; i++) {
      const c = make();
      const orders = Math.max(1, c.orders);
      customers.push({
        id: `g${g}-${i}`,
        recencyDays: c.recencyDays,
        orders,
        revenue: orders * c.aov,
        tenureDays: Math.max(c.tenureDays, c.recencyDays),
        events: c.events,
        channels: { [c.channel]: r.chance(0.85) ? 1 : 0.6, direct: r.chance(0.85) ? 0 : 0.4 },
      });
      truth.push(g);
    }
  });
  return { customers, truth };
}

describe("customer clusters", () => {
  it("find planted groups (adjusted Rand index ≥ 0.9), choosing k by silhouette", () => {
    for (const seed of [1, 2, 3]) {
      const { customers, truth } = planted(seed);
      const result = clusterCustomers(customers, { seed: 7 });
      expect(result.k).toBe(4);
      const labels = customers.map((c) => result.assignment.get(c.id)!);
      expect(adjustedRand(truth, labels)).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("are reproducible and in a canonical order (largest first), whatever the input order", () => {
    const { customers } = planted(4);
    const a = clusterCustomers(customers, { seed: 7, k: 4 });
    const b = clusterCustomers([...customers].reverse(), { seed: 7, k: 4 });
    expect(b.clusters.map((c) => [c.id, c.size, c.name])).toEqual(
      a.clusters.map((c) => [c.id, c.size, c.name]),
    );
    expect(a.clusters.map((c) => c.size)).toEqual([...a.clusters.map((c) => c.size)].sort((x, y) => y - x));
  });

  it("explain each cluster in words and name it", () => {
    const { customers } = planted(5);
    const result = clusterCustomers(customers, { seed: 7, k: 4 });
    const names = result.clusters.map((c) => c.name).sort();
    expect(names).toEqual(
      [
        "Bargain hunters from affiliates",
        "Lapsing regulars from organic search",
        "Loyal high-value customers from email",
        "New customers from paid social",
      ].sort(),
    );
    const loyal = result.clusters.find((c) => c.name.startsWith("Loyal"))!;
    expect(loyal.traits.join("; ")).toMatch(/order \d+(\.\d)?× as often as the average customer/);
    expect(loyal.traits.join("; ")).toMatch(/spend \$1\d\d an order/);
    expect(loyal.traits.join("; ")).toMatch(/mostly from email/);
    expect(result.clusters.reduce((s, c) => s + c.revenueShare, 0)).toBeCloseTo(1, 9);
  });

  // 30 points in three groups (numpy RandomState(0), rounded to 3 decimals) and labels with two moved.
  // Reference values: /usr/bin/python3, Debian python3-sklearn 1.2.1, numpy 1.24.2:
  //   sklearn.metrics.silhouette_score(x, labels) → 0.2647317718864317
  //   min over random_state 0…4 of KMeans(n_clusters=3, n_init=10).fit(x).inertia_ → 86.40839810281386
  const X = [
    [1.764, 0.4, 0.979],
    [2.241, 1.868, -0.977],
    [0.95, -0.151, -0.103],
    [0.411, 0.144, 1.454],
    [0.761, 0.122, 0.444],
    [0.334, 1.494, -0.205],
    [0.313, -0.854, -2.553],
    [0.654, 0.864, -0.742],
    [2.27, -1.454, 0.046],
    [-0.187, 1.533, 1.469],
    [0.155, 0.378, -0.888],
    [-1.981, -0.348, 0.156],
    [4.845, 4.804, 2.419],
    [2.547, 1.427, 0.87],
    [0.441, 5.926, 2.236],
    [2.343, 1.121, 4.166],
    [0.579, 2.681, 1.657],
    [3.58, 2.234, 1.229],
    [2.958, 3.642, 3.1],
    [3.454, 2.049, 2.456],
    [1.991, 2.461, 1.78],
    [0.411, 3.266, 2.397],
    [-1.141, 5.324, 0.365],
    [0.036, 5.51, 1.09],
    [0.798, 4.136, 1.282],
    [-0.479, 4.39, 0.595],
    [-0.218, 5.039, 0.184],
    [0.631, 5.326, -0.075],
    [1.042, 6.327, 1.825],
    [-0.126, 4.25, 1.738],
  ];
  const LABELS = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2];

  it("silhouette as scikit-learn computes it", () => {
    expect(silhouette(Float64Array.from(X.flat()), 3, Int32Array.from(LABELS), 3)).toBeCloseTo(
      0.2647317718864317,
      12,
    );
  });

  it("k-means reaches scikit-learn's inertia with 10 starts, from any seed", () => {
    for (const seed of [0, 1, 2, 3]) {
      const result = kmeans(Float64Array.from(X.flat()), 3, 3, { seed });
      expect(result.inertia).toBeLessThanOrEqual(86.40839810281386 * (1 + 1e-9));
      expect(result.inertia).toBeGreaterThanOrEqual(86.40839810281386 * (1 - 1e-9));
    }
  });

  it("adjusted Rand index: 1 for the same partition under other names, about 0 for chance", () => {
    expect(adjustedRand([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    const r = new Random(3);
    const a = Array.from({ length: 2000 }, () => r.int(0, 3));
    const b = Array.from({ length: 2000 }, () => r.int(0, 3));
    expect(Math.abs(adjustedRand(a, b))).toBeLessThan(0.02);
  });
});
