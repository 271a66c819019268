import { spawn } from "node:child_process";
import { CONTACT_PROPERTIES } from "../../analytics/capabilities/crm/hubspot-records.ts";
import { crmApi } from "../../analytics/capabilities/crm/index.ts";
import { Platform } from "../../analytics/platform/platform.ts";
import { FakeHubSpot } from "../../test/support/fake-hubspot.ts";
import type { BenchEntry, BenchResult } from "../common.ts";
import { benchDeps, seedBuyers } from "../common.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The HubSpot server with `n` contacts in a process of its own: its address, and how to stop it. */
async function hubspotServer(n: number): Promise<{ url: string; token: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/crm-server.ts", String(n)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [port, token] = await new Promise<string[]>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(String(chunk).trim().split(" ")));
    child.once("error", reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    token: token!,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

function platformFor(name: string, env: Record<string, string>) {
  const deps = benchDeps(name, env);
  return { db: deps.db, platform: new Platform(deps) };
}

/**
 * The CRM issue's goals. A full pull of N contacts (100,000; 20,000 with --quick) from a HubSpot
 * server on loopback in its own process, through @hubspot/api-client, the customers data kind
 * and the links — against the same pages fetched bare (fetch and JSON.parse, `after` to the
 * end). And a segment of 10,000 customers synced as a static list: the upsert calls (goal ≤ 100),
 * the writes of a second sync with nothing changed (goal 0), and the calls after 10 members
 * changed (goal: calls for those 10 only).
 */
export const crmBench: BenchEntry = {
  name: "crm",
  async run(context) {
    const results: BenchResult[] = [];
    const n = context.quick ? 20_000 : 100_000;
    const server = await hubspotServer(n);
    const env = {
      HUBSPOT_TOKEN: server.token,
      HUBSPOT_BASE_URL: server.url,
      HUBSPOT_MIN_INTERVAL_MS: "0",
      LIFT_HASH_KEY: Buffer.alloc(32, 3).toString("base64"),
    };

    // Bare: the same pages, fetched and parsed, nothing kept.
    const bareStart = performance.now();
    let bareRecords = 0;
    for (let after: string | null = ""; after !== null; ) {
      const query = new URLSearchParams({ limit: "100", archived: "false" });
      if (after) query.set("after", after);
      for (const p of CONTACT_PROPERTIES) query.append("properties", p);
      const response = await fetch(`${server.url}/crm/v3/objects/contacts?${query}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      const page = (await response.json()) as { results: unknown[]; paging?: { next?: { after: string } } };
      bareRecords += page.results.length;
      after = page.paging?.next?.after ?? null;
    }
    const bareSeconds = (performance.now() - bareStart) / 1000;

    const pulling = platformFor(`crm-pull-${n}.db`, env);
    const pullStart = performance.now();
    const summary = await crmApi.of(pulling.platform).pull("hubspot");
    const pullSeconds = (performance.now() - pullStart) / 1000;
    pulling.db.close();
    await server.close();
    // HUBSPOT_MIN_INTERVAL_MS=0: a local server has no rate limit, so the client's limiter is off.
    results.push({
      name: `crm: full pull of ${fmt(n)} HubSpot contacts from a loopback server`,
      ratio: bareSeconds / pullSeconds,
      goal: "< 30 s (the ratio: the same pages fetched bare ÷ Lift's pull)",
      detail: `Lift ${fmt(pullSeconds, 1)} s (${fmt(summary.contacts)} contacts → customers and links, ${fmt(summary.pages)} pages, ${fmt(summary.contacts / pullSeconds)} contacts/s) vs bare fetch + JSON.parse ${fmt(bareSeconds, 1)} s (${fmt(bareRecords)} records)`,
    });

    // Sync: 10,000 customers with an order each, one segment of them all.
    const hubspot = await new FakeHubSpot().start();
    const syncing = platformFor("crm-sync.db", {
      ...env,
      HUBSPOT_TOKEN: hubspot.token,
      HUBSPOT_BASE_URL: hubspot.url,
    });
    const m = 10_000;
    const sqlite = syncing.db.sqlite;
    const buyer = { first_name: "Alex", plan: "pro" };
    seedBuyers(sqlite, m, buyer, { amountMinor: (i) => 1000 + (i % 50) * 100 });
    const asker = { userId: "bench", channelId: "console" };
    await syncing.platform.commands.run('segment create everyone where plan = "pro"', asker);
    const service = crmApi.of(syncing.platform);
    const syncStart = performance.now();
    const first = await service.sync("everyone", "hubspot", undefined, "bench");
    const syncSeconds = (performance.now() - syncStart) / 1000;
    hubspot.log.length = 0;
    await service.sync("everyone", "hubspot", undefined, "bench");
    const secondWrites = hubspot.log.filter((l) => l.method !== "GET").length;
    sqlite
      .prepare(
        "UPDATE customers SET traits = json_set(traits, '$.plan', 'free') WHERE id IN ('c1','c2','c3','c4','c5')",
      )
      .run();
    seedBuyers(sqlite, 5, buyer, { from: m, amountMinor: () => 1000 });
    await syncing.platform.commands.run("segment recompute", asker);
    hubspot.log.length = 0;
    const third = await service.sync("everyone", "hubspot", undefined, "bench");
    const thirdCalls = hubspot.log
      .filter((l) => l.method !== "GET")
      .map((l) => `${l.method} ${l.path.replace(/\/\d+\//, "/ID/")}`);
    syncing.db.close();
    await hubspot.stop();
    results.push({
      name: `crm: a segment of ${fmt(m)} customers synced to HubSpot as a static list`,
      ratio: 100 / first.calls.upserts,
      goal: "≤ 100 upsert calls (the ratio: 100 ÷ the calls made)",
      detail: `${fmt(first.calls.upserts)} upsert calls + ${fmt(first.calls.memberships)} membership + ${fmt(first.calls.setup)} to find or make the properties and the list, ${fmt(first.written)} records in ${fmt(syncSeconds, 1)} s; second sync with nothing changed: ${secondWrites} writes (goal 0); 5 left and 5 joined: ${third.written} written, ${third.added} added, ${third.removed} removed in ${thirdCalls.length} calls (${thirdCalls.join(", ")})`,
    });
    return results;
  },
};
