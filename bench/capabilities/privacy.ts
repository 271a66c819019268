import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { privacyApi } from "../../analytics/capabilities/privacy/index.ts";
import { type Db, openDatabase, tablesOf } from "../../db/client.ts";
import { customerIdsByEmail } from "../../db/connectors/queries.ts";
import { findCustomer } from "../../db/platform/queries/customer-page.ts";
import type { BenchEntry, BenchResult } from "../common.ts";
import { CACHE, fmt, platformOn } from "../common.ts";

/*
 * What sealing personal data costs: customers and identified events taken in, and customers
 * looked up by email, with sealing on ÷ the same with it off (the baseline, in the same run);
 * and one person erased from a workspace of that size.
 */

const NOW = Date.parse("2026-11-23T08:30:00Z");

function open(name: string, seal: boolean): Db {
  mkdirSync(CACHE, { recursive: true });
  const dir = join(CACHE, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return openDatabase(join(dir, "lift.db"), { seal });
}

function customers(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    email: `Person.${i}@Example.com`,
    name: `Person Number${i}`,
    phone: `+44 7700 ${String(100000 + i).slice(-6)}`,
    plan: i % 3 ? "free" : "pro",
    country: ["GB", "US", "DE"][i % 3],
    updated_at: "2026-11-01T00:00:00Z",
  }));
}

/** A day of a shop's events: pages, product views, a few identifies and orders that carry the email. */
function events(n: number, people: number) {
  return Array.from({ length: n }, (_, i) => {
    const person = i % people;
    const timestamp = new Date(NOW - 86_400_000 + (i % 86_400) * 1000).toISOString();
    const base = { messageId: `m${i}`, userId: `c${person}`, anonymousId: `a${person}`, timestamp };
    if (i % 10 === 0)
      return {
        ...base,
        type: "identify",
        traits: { email: `person.${person}@example.com`, name: `Person ${person}` },
      };
    if (i % 10 === 1)
      return {
        ...base,
        type: "track",
        event: "Order Completed",
        properties: { order_id: `o${i}`, revenue: 42, email: `person.${person}@example.com` },
      };
    if (i % 10 < 5)
      return {
        ...base,
        type: "track",
        event: "Product Viewed",
        properties: { product_id: `p${i % 50}`, name: "Jacket" },
      };
    return { ...base, type: "page", name: "/pricing", properties: { path: "/pricing" } };
  });
}

async function ingestSeconds(db: Db, kind: string, rows: Record<string, unknown>[]): Promise<number> {
  const platform = platformOn(db, () => NOW);
  const start = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    const result = await platform.ingest.write(kind, rows.slice(i, i + 1000));
    if (result.rejected.length > 0) throw new Error(`${kind}: ${result.rejected[0]!.reason}`);
  }
  return (performance.now() - start) / 1000;
}

export const privacyBench: BenchEntry = {
  name: "privacy",
  async run(context) {
    const n = context.quick ? 20_000 : 100_000;
    const nEvents = context.quick ? 50_000 : 250_000;
    const people = customers(n);
    const stream = events(nEvents, n);
    const results: BenchResult[] = [];
    // Alternating on and off, five times each: the median of each (this machine varies by ±10 % a run).
    type Figures = { customers: number[]; events: number[]; identities: number[]; lookups: number[] };
    const runs: Record<"on" | "off", Figures> = {
      on: { customers: [], events: [], identities: [], lookups: [] },
      off: { customers: [], events: [], identities: [], lookups: [] },
    };
    let erase = { ms: 0, rows: 0 };
    for (let round = 0; round < 5; round++) {
      for (const mode of ["off", "on"] as const) {
        const db = open(`privacy-${mode}`, mode === "on");
        runs[mode].customers.push(n / (await ingestSeconds(db, "customers", people)));
        runs[mode].events.push(nEvents / (await ingestSeconds(db, "events", stream)));
        const emails = Array.from({ length: 10_000 }, (_, i) => `person.${(i * 7919) % n}@EXAMPLE.com`);
        // Who an email is (what connectors and CRM pulls merge by): the blind index alone.
        const idStart = performance.now();
        for (let i = 0; i < emails.length; i += 100) {
          const found = await customerIdsByEmail(tablesOf(db), emails.slice(i, i + 100));
          if (found.size !== 100) throw new Error("a customer was not found by email");
        }
        runs[mode].identities.push(emails.length / ((performance.now() - idStart) / 1000));
        const start = performance.now();
        for (const email of emails)
          if (!(await findCustomer(db, email))) throw new Error(`${email} not found`);
        runs[mode].lookups.push(emails.length / ((performance.now() - start) / 1000));
        if (mode === "on" && round === 0) {
          const platform = platformOn(db, () => NOW);
          const privacy = privacyApi.of(platform);
          const t = performance.now();
          const result = await privacy.erase("person.4242@example.com", "bench", "cli");
          erase = { ms: performance.now() - t, rows: result.rows };
        }
        db.close();
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [what, unit, label] of [
      ["customers", "customers/s", `${fmt(n)} customers (email, name, phone, traits) taken in`],
      [
        "events",
        "events/s",
        `${fmt(nEvents)} events (1 in 10 an identify with email and name, 1 in 10 an order with the email) taken in`,
      ],
      ["identities", "lookups/s", `10,000 emails (any case) resolved to their customer among ${fmt(n)}`],
      [
        "lookups",
        "lookups/s",
        `10,000 customers found by email and read whole (the customer page's lookup) among ${fmt(n)}`,
      ],
    ] as const) {
      const on = median(runs.on[what]);
      const off = median(runs.off[what]);
      results.push({
        name: `privacy: ${label}, sealed ÷ not sealed`,
        ratio: on / off,
        goal: "≥ 0.8",
        detail: `sealed ${fmt(on)} ${unit} vs not sealed ${fmt(off)} ${unit} (median of 5 alternating runs)`,
      });
    }
    results.push({
      name: `privacy: one person erased from ${fmt(n)} customers and ${fmt(nEvents)} events`,
      ratio: 1,
      goal: "— (one transaction, then the WAL truncated)",
      detail: `${fmt(erase.ms)} ms for ${fmt(erase.rows)} rows (found through every declared table, erased, listed, audited, checkpointed)`,
    });
    return results;
  },
};
