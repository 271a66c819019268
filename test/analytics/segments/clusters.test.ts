import { describe, expect, it } from "vitest";
import { Random } from "../../../analytics/demo/random.ts";
import { type CustomerFeatures, clusterCustomers } from "../../../analytics/segments/clusters.ts";
import { adjustedRand } from "../../../analytics/segments/kmeans.ts";

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

  it("adjusted Rand index: 1 for the same partition under other names, about 0 for chance", () => {
    expect(adjustedRand([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    const r = new Random(3);
    const a = Array.from({ length: 2000 }, () => r.int(0, 3));
    const b = Array.from({ length: 2000 }, () => r.int(0, 3));
    expect(Math.abs(adjustedRand(a, b))).toBeLessThan(0.02);
  });
});
