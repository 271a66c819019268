import { afterEach, describe, expect, it } from "vitest";
import { ruleFieldPoint, segmentsService } from "../../../../analytics/capabilities/segments/api.ts";
import { segmentsSection } from "../../../../analytics/capabilities/segments/sections.ts";
import { contribute } from "../../../../analytics/platform/contract/capability.ts";
import { Random } from "../../../../analytics/platform/demo/random.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, emptyDb, type TestDb, withTestCapability } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-23T12:00:00Z");
const CHANNELS = ["email", "paid_search", "affiliate", "organic"] as const;
const COUNTRIES = ["DE", "AT", "FR", "US"] as const;

interface Shop {
  customers: { id: string; country: string; email: string }[];
  orders: { id: string; customer: string; amountMinor: number; at: number; channel: string }[];
  events: { person: string; event: string; at: number }[];
}

/** 200 customers with random orders over 200 days, some carts in the last week. */
function randomShop(seed: number): Shop {
  const r = new Random(seed);
  const shop: Shop = { customers: [], orders: [], events: [] };
  for (let c = 0; c < 200; c++) {
    const id = `c${String(c).padStart(3, "0")}`;
    shop.customers.push({ id, country: r.pick(COUNTRIES), email: `person${c}@example.com` });
    const orders = r.int(0, 6);
    for (let o = 0; o < orders; o++)
      shop.orders.push({
        id: `${id}-o${o}`,
        customer: id,
        amountMinor: r.int(500, 30_000),
        at: NOW - r.int(1, 200 * 24) * 3_600_000 - r.int(0, 3_599_999),
        channel: r.pick(CHANNELS),
      });
    if (r.chance(0.3))
      shop.events.push({ person: id, event: "Product Added", at: NOW - r.int(1, 10 * 24) * 3_600_000 });
    if (r.chance(0.15))
      shop.events.push({ person: id, event: "Checkout Started", at: NOW - r.int(1, 10 * 24) * 3_600_000 });
  }
  return shop;
}

async function load(shop: Shop) {
  const write = async (kind: string, rows: Record<string, unknown>[]) => {
    const result = await t.platform.ingest.write(kind, rows);
    expect(result.rejected).toEqual([]);
  };
  await write(
    "customers",
    shop.customers.map((c) => ({ id: c.id, email: c.email, country: c.country })),
  );
  await write(
    "orders",
    shop.orders.map((o) => ({
      id: o.id,
      customer_id: o.customer,
      amount: (o.amountMinor / 100).toFixed(2),
      currency: "USD",
      timestamp: new Date(o.at).toISOString(),
      channel: o.channel,
    })),
  );
  // Events only (orders come from the orders kind): a "Product Added" and a "Checkout Started".
  await write(
    "events",
    shop.events.map((e, i) => ({
      type: "track",
      event: e.event,
      userId: e.person,
      timestamp: new Date(e.at).toISOString(),
      messageId: `e${i}`,
    })),
  );
}

/** What each customer's orders say, as the rules read them. */
function figures(shop: Shop) {
  const out = new Map<
    string,
    { orders: number; revenue: number; first: number; last: number; channel: string }
  >();
  for (const o of [...shop.orders].sort((a, b) => a.at - b.at)) {
    const f = out.get(o.customer);
    if (!f)
      out.set(o.customer, { orders: 1, revenue: o.amountMinor, first: o.at, last: o.at, channel: o.channel });
    else {
      f.orders++;
      f.revenue += o.amountMinor;
      f.last = o.at;
    }
  }
  return out;
}

const run = (text: string, userId = "U0ADMIN") => t.platform.registries.commands.run(text, { userId });

describe("segments over a shop's orders", () => {
  it("select exactly the customers each rule describes (the SQL agrees with the rule read by hand)", async () => {
    t = emptyDb({ now: () => NOW, currency: "USD", timeZone: "UTC" });
    const shop = randomShop(5);
    await load(shop);
    const segments = segmentsService.of(t.platform);
    await segments.recompute();
    const f = figures(shop);
    const country = new Map(shop.customers.map((c) => [c.id, c.country]));
    const did = (id: string, event: string) =>
      shop.events.some((e) => e.person === id && e.event === event && e.at >= NOW - 7 * DAY);
    const champions = new Set(
      (await segments.rfm()).scores.filter((s) => s.segment === "Champions").map((s) => s.id),
    );
    expect(champions.size).toBeGreaterThan(0);
    const cases: [string, (id: string) => boolean][] = [
      [
        "orders >= 3 and last_order < 60d and channel = email",
        (id) => f.get(id)!.orders >= 3 && NOW - f.get(id)!.last < 60 * DAY && f.get(id)!.channel === "email",
      ],
      ["country in (DE, AT)", (id) => ["DE", "AT"].includes(country.get(id)!)],
      [
        "revenue > 500 or aov > 100",
        (id) => f.get(id)!.revenue > 50_000 || f.get(id)!.revenue / f.get(id)!.orders > 10_000,
      ],
      ["in segment champions and not country = US", (id) => champions.has(id) && country.get(id) !== "US"],
      [
        'did "Product Added" in 7d and not did "Checkout Started" in 7d',
        (id) => did(id, "Product Added") && !did(id, "Checkout Started"),
      ],
      [
        "first_order > 150d and (channel = affiliate or channel = organic)",
        (id) => NOW - f.get(id)!.first > 150 * DAY && ["affiliate", "organic"].includes(f.get(id)!.channel),
      ],
    ];
    for (const [i, [rule, wanted]] of cases.entries()) {
      const report = await run(`segment create rule ${i} where ${rule}`);
      const expected = [...f.keys()].filter(wanted).sort();
      expect(expected.length, rule).toBeGreaterThan(0);
      expect([...(await segments.members(await segments.get(`rule ${i}`)))].sort(), rule).toEqual(expected);
      expect(report.summary).toContain(`${expected.length.toLocaleString("en-US")} customers now`);
    }
    // Who may see it: the audit log has who created what.
    expect(
      t.db.sqlite.prepare("SELECT actor, action FROM audit_log WHERE action = 'segment.create'").all(),
    ).toHaveLength(cases.length);
  });

  it("keep size and revenue history by day, and who joined and left", async () => {
    let now = NOW;
    t = emptyDb({ now: () => now, currency: "USD", timeZone: "UTC" });
    const write = (rows: Record<string, unknown>[]) => t.platform.ingest.write("orders", rows);
    const order = (id: string, customer: string, amount: number, at: number) => ({
      id,
      customer_id: customer,
      amount,
      currency: "USD",
      timestamp: new Date(at).toISOString(),
      channel: "email",
    });
    await write([
      order("o1", "a", 100, NOW - 10 * DAY),
      order("o2", "a", 100, NOW - 5 * DAY),
      order("o3", "b", 40, NOW - 3 * DAY),
      order("o4", "c", 300, NOW - 20 * DAY),
    ]);
    await run("segment create big spenders where revenue >= 200 and last_order < 23d");
    const segments = segmentsService.of(t.platform);
    const members = async () => [...(await segments.members(await segments.get("Big Spenders")))].sort();
    expect(await members()).toEqual(["a", "c"]);
    // Two days on, b has spent enough to join; c's last order is 22 days old and still counts.
    now = NOW + 2 * DAY;
    await write([order("o5", "b", 250, NOW + DAY)]);
    await segments.recompute();
    expect(await members()).toEqual(["a", "b", "c"]);
    // A day later c's last order is 23 days old: c leaves, as d arrives.
    now = NOW + 3 * DAY;
    await write([order("o6", "d", 500, NOW + 2 * DAY)]);
    await segments.recompute();
    expect(await members()).toEqual(["a", "b", "d"]);
    const big = await segments.get("big spenders");
    expect(await segments.history(big)).toEqual([
      { day: "2026-11-23", size: 2, revenueMinor: 20_000 + 30_000 },
      { day: "2026-11-25", size: 3, revenueMinor: 20_000 + 29_000 + 30_000 },
      { day: "2026-11-26", size: 3, revenueMinor: 20_000 + 29_000 + 50_000 },
    ]);
    expect(await segments.changesSince(big)).toEqual({ joined: ["b", "d"], left: ["c"] });
    const profile = await run("segment big spenders");
    expect(profile.facts.find((f) => f.label === "Joined, 7 days")?.value).toBe("2");
    expect(profile.facts.find((f) => f.label === "Left, 7 days")?.value).toBe("1");
    expect(profile.charts[0]?.kind).toBe("line");
    expect(profile.details?.join("\n")).toContain("Joined this week: b, d");
    expect(profile.details?.join("\n")).toContain("Left this week: c");
  });

  it("refuse what cannot be, saying why and where", async () => {
    t = demoDb();
    await run("segment recompute");
    await expect(run("segment create x where orders >> 3")).rejects.toThrow(/position|expected/i);
    await expect(run("segment create x where in segment nobody")).rejects.toThrow(
      "The rule names segment “nobody”, which does not exist",
    );
    await expect(run("segment create champions where orders > 1")).rejects.toThrow(
      "is an RFM segment Lift keeps itself",
    );
    await expect(run("segment delete champions")).rejects.toThrow("is an RFM segment: Lift keeps it");
    await run("segment create regulars where orders >= 2");
    await run("segment create email regulars where in segment regulars and channel = email");
    await expect(run("segment delete regulars")).rejects.toThrow(
      "Segments email regulars are made from “regulars”",
    );
    await expect(run("segment nobody")).rejects.toThrow("There is no segment “nobody”");
  });
});

describe("fields other capabilities add to rules", () => {
  it("select by a contributed field, check its type, and refuse a field nobody keeps", async () => {
    // A capability of the test's own keeps a score per customer, as predictions keep p_alive.
    const asked: number[] = [];
    const scores = new Map<string, number>([
      ["c000", 0.9],
      ["c001", 0.2],
      ["c002", 0.75],
    ]);
    t = emptyDb({
      now: () => NOW,
      currency: "USD",
      timeZone: "UTC",
      capabilities: withTestCapability({
        extensions: [
          contribute(ruleFieldPoint, {
            name: "score",
            type: "number",
            description: "a test score",
            values: async (asOf) => {
              asked.push(asOf);
              return scores;
            },
          }),
        ],
      }),
    });
    await load(randomShop(3));
    const f = figures(randomShop(3));
    await run("segment create likely where score > 0.5");
    const segments = segmentsService.of(t.platform);
    // Customers with orders and a score above 0.5: c000 and c002 when they ordered (c001's is 0.2).
    const expected = ["c000", "c002"].filter((id) => f.has(id));
    expect(expected.length).toBeGreaterThan(0);
    expect([...(await segments.members(await segments.get("likely")))].sort()).toEqual(expected);
    expect(asked.length).toBeGreaterThan(0);
    await expect(run("segment create odd where score > high")).rejects.toThrow("a number");
    await expect(run("segment create typo where scroe > 0.5")).rejects.toThrow(
      "No customer has a field or trait “scroe”",
    );
  });
});

describe("segments on the demo workspace", () => {
  it("find the planted groups: loyal email buyers as Champions, lapsing regulars at risk", async () => {
    t = demoDb();
    const segments = segmentsService.of(t.platform);
    await segments.recompute();
    const scores = (await segments.rfm()).scores;
    const planted = (group: string) =>
      scores.filter((s) =>
        t.db.sqlite
          .prepare("SELECT lift_email(email) FROM customers WHERE id = ?")
          .pluck()
          .get(s.id)
          ?.toString()
          .includes(`.${group}.`),
      );
    const share = (group: string, names: string[]) => {
      const list = planted(group);
      expect(list.length, group).toBeGreaterThanOrEqual(6);
      return list.filter((s) => names.includes(s.segment)).length / list.length;
    };
    expect(share("loyal-email", ["Champions", "Loyal", "Potential loyalists"])).toBeGreaterThanOrEqual(0.9);
    expect(share("loyal-email", ["Champions"])).toBeGreaterThanOrEqual(0.5);
    expect(share("lapsing", ["At risk", "Can't lose them", "Need attention"])).toBeGreaterThanOrEqual(0.8);
    // Clusters name the loyal group by its channel and the bargain hunters by theirs, with k given.
    const overview = await run("segments");
    expect(overview.table!.rows.map((r) => r[0])).toContain("Champions");
    expect(overview.summary).toMatch(/customers with orders in \d+ RFM segments/);
    expect(overview.warnings.join(" ")).toMatch(/have one order: tied, they share frequency score/);
  });

  it("are a filter and a breakdown for revenue questions, by today's membership", async () => {
    t = demoDb();
    await run("segment recompute");
    const filtered = await run("revenue and orders last 30 days for segment champions");
    expect(filtered.scope).toBe("segment champions");
    expect(filtered.warnings[0]).toMatch(
      /^By today's segment membership \(computed .*\): past orders are counted/,
    );
    const members = [
      ...(await segmentsService
        .of(t.platform)
        .members(await segmentsService.of(t.platform).get("champions"))),
    ];
    const period = filtered.period!;
    const expected = t.db.sqlite
      .prepare(
        `SELECT count(*) AS n, sum(amount_minor) AS r FROM orders WHERE day BETWEEN ? AND ?
         AND customer_id IN (${members.map(() => "?").join(",")})`,
      )
      .get(period.from, period.to, ...members) as { n: number; r: number };
    const data = filtered.data as unknown as {
      metrics: { key: string; value: number }[];
      filter: { segment?: string };
    };
    expect(data.filter.segment).toBe("champions");
    expect(data.metrics.find((m) => m.key === "orders")!.value).toBe(expected.n);
    expect(data.metrics.find((m) => m.key === "revenue")!.value).toBeCloseTo(expected.r / 100, 6);

    const broken = await run("orders by segment last 30 days");
    const rows = broken.table!.rows;
    const total = broken.table!.totals![1] as number;
    expect(rows.reduce((s, r) => s + (r[1] as number), 0)).toBe(total);
    expect(rows.map((r) => r[0])).toContain("Champions");
    await expect(run("visitors for segment champions")).rejects.toThrow(/Visitors cannot be read by segment/);
    await expect(run("revenue for segment nobody")).rejects.toThrow("There is no segment “nobody”");
  });
});

describe("segments from the CLI, the job and the digest", () => {
  it("stream RFM, clusters and a segment's members as CSV", async () => {
    t = demoDb();
    const rfm = await runLift(t, ["segments", "rfm", "--csv"]);
    expect(rfm.code).toBe(0);
    const lines = rfm.out.trim().split("\n");
    expect(lines[0]).toBe("customer_id,recency_days,frequency,monetary,r,f,m,segment");
    const customers = t.db.sqlite
      .prepare(
        "SELECT count(DISTINCT customer_id) FROM orders WHERE customer_id IS NOT NULL AND customer_id <> ''",
      )
      .pluck()
      .get() as number;
    expect(lines).toHaveLength(customers + 1);
    const first = await runLift(t, ["segments", "rfm", "--ties", "first", "--as-of", "2026-11-01", "--csv"]);
    expect(first.out.split("\n").length).toBeLessThan(lines.length + 1);
    expect((await runLift(t, ["segments", "rfm", "--ties", "max", "--csv"])).err).toMatch(
      /--ties is average or first/,
    );

    const clusters = await runLift(t, ["segments", "clusters", "--k", "3", "--csv"]);
    const rows = clusters.out.trim().split("\n");
    expect(rows[0]).toBe("customer_id,cluster,cluster_name");
    expect(rows).toHaveLength(customers + 1);
    expect(new Set(rows.slice(1).map((r) => r.split(",")[1]))).toEqual(new Set(["1", "2", "3"]));

    await runLift(t, ["segments", "recompute"]);
    const exported = await runLift(t, ["segments", "export", "champions", "--csv"]);
    const members = exported.out.trim().split("\n");
    expect(members[0]).toBe("customer_id,email,orders,total_spent_usd,last_order");
    const segments = segmentsService.of(t.platform);
    expect(members).toHaveLength((await segments.size(await segments.get("champions"))) + 1);
    expect(members[1]).toMatch(/^cust-[^,]+,[^,]+@example\.com,\d+,\d+\.\d{2},\d{4}-\d{2}-\d{2}$/);
    // Each member's orders, total spent and last order day as the orders table has them.
    const [id, , orders, spent, last] = members[1]!.split(",");
    const raw = t.db.sqlite
      .prepare(
        "SELECT count(*) AS n, sum(amount_minor) AS minor, max(timestamp) AS at FROM orders WHERE customer_id = ?",
      )
      .get(id) as { n: number; minor: number; at: number };
    expect([Number(orders), Math.round(Number(spent) * 100)]).toEqual([raw.n, raw.minor]);
    expect(last).toBe(new Date(raw.at).toLocaleDateString("en-CA", { timeZone: t.core.settings.timeZone }));
  });

  it("recompute once a day in the workspace's zone, and the digest says which segments moved", async () => {
    let now = NOW;
    t = emptyDb({ now: () => now, currency: "USD", timeZone: "UTC" });
    const orders = (from: number, count: number, at: number) =>
      t.platform.ingest.write(
        "orders",
        Array.from({ length: count }, (_, i) => ({
          id: `o${from + i}`,
          customer_id: `c${from + i}`,
          amount: 50,
          currency: "USD",
          timestamp: new Date(at).toISOString(),
          channel: "email",
        })),
      );
    await orders(0, 20, NOW - DAY);
    await run("segment create email buyers where channel = email");
    expect(await t.core.runJob("segments", now, t.core.consoleNotifier)).toBe("ran");
    const history = () => t.db.sqlite.prepare("SELECT count(*) FROM segment_history").pluck().get() as number;
    const after = history();
    expect(await t.core.runJob("segments", now + 3_600_000, t.core.consoleNotifier)).toBe("ran");
    expect(history()).toBe(after);
    now = NOW + DAY;
    await orders(20, 30, NOW + 3_600_000);
    expect(await t.core.runJob("segments", now, t.core.consoleNotifier)).toBe("ran");
    expect(history()).toBeGreaterThan(after);
    const part = await segmentsSection.build({
      ...t.platform.contextFor("segments"),
      days: { from: "", to: "", fromMs: 0, toMs: 0 },
      grain: "daily",
      at: now,
    });
    expect(part?.lines?.[0]).toBe("👥 email buyers grew by 30 to 50 (+150%)");
  });
});
