import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { shopifySignatureOk } from "../../analytics/capabilities/connectors/shopify.ts";
import { pulledSources } from "../../analytics/capabilities/sources/index.ts";
import { Core } from "../../analytics/platform/core.ts";
import { Platform } from "../../analytics/platform/platform.ts";
import { createApi } from "../../api/app.ts";
import type { BenchEntry, BenchResult } from "../common.ts";
import { benchDeps, CACHE } from "../common.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const SECRET = "shpss_bench";

/** The same rows through `lift import` (an NDJSON file, the importer's batches): rows/s. */
async function importRate(name: string, kind: string, rows: Record<string, unknown>[]): Promise<number> {
  const file = join(CACHE, `${name}.ndjson`);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const deps = benchDeps(`${name}.db`, {});
  const platform = new Platform(deps);
  const start = performance.now();
  const summary = await platform.importFile({ kind, path: file });
  const seconds = (performance.now() - start) / 1000;
  deps.db.close();
  if (summary.accepted < rows.length * 0.99)
    throw new Error(`import took ${summary.accepted} of ${rows.length}`);
  return rows.length / seconds;
}

/** Shopify's side in a process of its own (bench/webhook-client.ts), as /v1/batch's benchmark does it. */
async function postWebhooks(url: string, n: number): Promise<{ seconds: number; failures: number }> {
  const client = spawn(
    process.execPath,
    ["--import", "tsx", "bench/webhook-client.ts", url, String(n), "32", SECRET],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const report = await new Promise<string>((resolve, reject) => {
    let out = "";
    client.stdout.on("data", (chunk: Buffer) => {
      out += String(chunk);
    });
    client.once("exit", () => resolve(out));
    client.once("error", reject);
  });
  return JSON.parse(report) as { seconds: number; failures: number };
}

/** The request floor: bare node:http reading each body, checking its HMAC and parsing it, writing nothing. */
async function bareWebhookRate(n: number): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const ok = shopifySignatureOk(raw, req.headers["x-shopify-hmac-sha256"] as string, SECRET);
      JSON.parse(raw.toString("utf8"));
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const { seconds, failures } = await postWebhooks(`http://127.0.0.1:${port}/v1/webhooks/shopify`, n);
  server.close();
  if (failures > 0) throw new Error(`${failures} bare requests failed`);
  return n / seconds;
}

async function adsServer(campaigns: number, days: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/ads-server.ts", String(campaigns), String(days)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(String(chunk).trim()));
    child.once("error", reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

/**
 * The connectors issue's goal: rows/s of (a) 90 days × 200 campaigns pulled from a Google Ads
 * server on loopback in its own process, and (b) 10,000 Shopify order webhooks posted over HTTP
 * (32 in flight, each signed and verified; those arriving together claimed and written in one transaction) — each ÷
 * the same rows through `lift import`. Goal ≥ 0.8.
 */
export const connectorsBench: BenchEntry = {
  name: "connectors",
  async run(context) {
    const results: BenchResult[] = [];
    const campaigns = context.quick ? 50 : 200;
    const server = await adsServer(campaigns, 90);
    const deps = benchDeps("connectors-pull.db", {
      LIFT_SOURCES_ALLOW_PRIVATE: "true",
      GOOGLE_ADS_BASE_URL: server.url,
      GOOGLE_OAUTH_TOKEN_URL: `${server.url}/token`,
      GOOGLE_ADS_DEVELOPER_TOKEN: "dev-token",
      GOOGLE_ADS_CLIENT_ID: "client",
      GOOGLE_ADS_CLIENT_SECRET: "secret",
      GOOGLE_ADS_REFRESH_TOKEN: "refresh-1",
    });
    const platform = new Platform(deps);
    await platform.commands.run("sources add google-ads 1234567890", { userId: "bench" });
    const start = performance.now();
    const [outcome] = await pulledSources.of(platform).pullNow(1);
    const pullSeconds = (performance.now() - start) / 1000;
    await server.close();
    if (!outcome?.ok) throw new Error(`the pull failed: ${outcome?.error}`);
    const pulledRows = (
      deps.db.sqlite.prepare("SELECT * FROM campaign_daily").all() as Record<string, unknown>[]
    ).map((r) => ({
      id: r["campaign_id"],
      day: r["day"],
      impressions: r["impressions"],
      clicks: r["clicks"],
      spend: (Number(r["spend_minor"]) / 100).toFixed(2),
      conversions: r["conversions"],
      revenue: (Number(r["revenue_minor"]) / 100).toFixed(2),
      currency: "USD",
      channel: "paid_search",
    }));
    deps.db.close();
    const pullRate = outcome.accepted / pullSeconds;
    const pullImport = await importRate("connectors-campaigns-import", "campaigns", pulledRows);
    results.push({
      name: `connectors: ${fmt(campaigns)} campaigns × 90 days pulled from Google Ads on loopback`,
      ratio: pullRate / pullImport,
      goal: "≥ 0.8 of the same rows through lift import",
      detail: `Lift ${fmt(pullRate)} rows/s (${fmt(outcome.accepted)} rows in ${fmt(pullSeconds, 2)} s: token, account, searchStream, campaigns kind) vs lift import ${fmt(pullImport)} rows/s`,
    });

    // Webhooks: a real server, signed bodies, 32 in flight.
    const n = context.quick ? 2000 : 10_000;
    const hookDeps = benchDeps("connectors-webhooks.db", { SHOPIFY_WEBHOOK_SECRET: SECRET });
    const core = new Core(hookDeps);
    const app = createApi(core);
    const { url, close } = await new Promise<{ url: string; close: () => void }>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        resolve({ url: `http://127.0.0.1:${info.port}/v1/webhooks/shopify`, close: () => s.close() }),
      );
    });
    const { seconds: hookSeconds, failures: failed } = await postWebhooks(url, n);
    close();
    const stored = (hookDeps.db.sqlite.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
    const orderRows = hookDeps.db.sqlite
      .prepare("SELECT id, customer_id, amount_minor, timestamp FROM orders")
      .all()
      .map((r) => {
        const row = r as { id: string; customer_id: string; amount_minor: number; timestamp: number };
        return {
          id: row.id,
          customer_id: row.customer_id,
          amount: (row.amount_minor / 100).toFixed(2),
          currency: "USD",
          timestamp: new Date(row.timestamp).toISOString(),
        };
      });
    hookDeps.db.close();
    if (failed > 0 || stored !== n) throw new Error(`${failed} webhooks failed; ${stored} of ${n} stored`);
    const hookRate = n / hookSeconds;
    const hookImport = await importRate("connectors-orders-import", "orders", orderRows);
    const bare = await bareWebhookRate(n);
    results.push({
      name: `connectors: ${fmt(n)} Shopify order webhooks over HTTP ÷ the request floor`,
      ratio: hookRate / bare,
      goal: "— (what a request costs on this machine)",
      detail: `Lift ${fmt(hookRate)} webhooks/s vs bare node:http checking each HMAC and parsing each body, writing nothing, ${fmt(bare)} requests/s (the same client, 32 in flight)`,
    });
    results.push({
      name: `connectors: ${fmt(n)} Shopify order webhooks over HTTP`,
      ratio: hookRate / hookImport,
      goal: "≥ 0.8 of the same rows through lift import",
      detail: `Lift ${fmt(hookRate)} webhooks/s (${fmt(hookSeconds, 1)} s; 32 in flight; each verified, those arriving together claimed and written together) vs lift import of the same orders ${fmt(hookImport)} rows/s`,
    });
    return results;
  },
};
