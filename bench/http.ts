import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { serve } from "@hono/node-server";
import { WRITER_WORKER } from "../analytics/capabilities/index.ts";
import { WriterThread } from "../analytics/platform/ingest/index.ts";
import { createApi } from "../api/app.ts";
import { type BenchResult, bareInsertRate, coreOn, fmt, freshDb } from "./common.ts";
import { type IdForm, loadBatches, storedRow } from "./events.ts";

const run = promisify(execFile);

async function load(
  url: string,
  key: string,
  requests: number,
  size: number,
  concurrency: number,
  offset: number,
  ids: IdForm = "time",
) {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "bench/load-client.ts",
      url,
      key,
      String(requests),
      String(size),
      String(concurrency),
      String(offset),
      ids,
    ],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout) as { seconds: number; events: number; failures: number };
  if (result.failures > 0) throw new Error(`${result.failures} requests failed against ${url}`);
  return result.events / result.seconds;
}

/** Lift as `npm start` runs it (validation on the main thread, writes on the writer thread), on a fresh database. */
async function liftRate(requests: number, size: number, concurrency: number, ids: IdForm) {
  const lift = freshDb(`http-lift-${ids}.db`);
  const writer = new WriterThread(WRITER_WORKER, lift.path);
  const core = coreOn(lift.db, undefined, writer);
  const { key } = await core.keys.create("bench");
  const app = createApi(core);
  const { url, close } = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}/v1/batch`, close: () => server.close() }),
    );
  });
  await load(url, key, 50, size, concurrency, 10_000_000, ids);
  const cpu = process.cpuUsage();
  const rate = await load(url, key, requests, size, concurrency, 0, ids);
  const { user, system } = process.cpuUsage(cpu);
  close();
  await writer.close();
  const warmup = 50 * size;
  const stored =
    (lift.db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n - warmup;
  lift.db.close();
  if (stored < requests * size * 0.99) throw new Error(`only ${stored} events stored`);
  return { rate, cpuMicros: (user + system) / (requests * size) };
}

/** The storage floor: the same events, in their stored shape, bare into the same indexed table, 100 a transaction. */
function floorRate(requests: number, size: number, ids: IdForm): number {
  const receivedAt = Date.now();
  const rows = loadBatches(requests, size, 0, ids).flatMap((batch) =>
    batch.map((event) => storedRow(event, receivedAt)),
  );
  return bareInsertRate(`http-floor-${ids}.db`, rows, size);
}

/**
 * HTTP /v1/batch (100 events a request, loopback, 32 in flight, client in
 * another process), measured until the last request is answered: Lift answers
 * only once its events are committed with their rollups, so that is when the
 * last event is stored with its rollups current. Two baselines in the same run:
 * bare parsing (a node:http server that only parses the JSON, same client) and
 * the storage floor (the same events, already in their stored shape, inserted
 * bare into the same indexed events table, one transaction per request's 100).
 */
export async function benchHttp(requests: number): Promise<BenchResult[]> {
  const size = 100;
  const concurrency = 32;
  const bare = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"success":true}');
    });
  });
  await new Promise<void>((done) => bare.listen(0, "127.0.0.1", done));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/v1/batch`;
  await load(bareUrl, "x", 50, size, concurrency, 0);
  const bareRate = await load(bareUrl, "x", requests, size, concurrency, 0);
  bare.close();

  const results: BenchResult[] = [];
  let time = { rate: 0, cpuMicros: 0 };
  for (const ids of ["time", "uuid"] as const) {
    const floor = floorRate(requests, size, ids);
    const lift = await liftRate(requests, size, concurrency, ids);
    if (ids === "time") time = lift;
    results.push({
      name: `HTTP /v1/batch ÷ storage floor (${ids === "time" ? "Segment's time-prefixed ids" : "UUID v4 ids"})`,
      ratio: lift.rate / floor,
      goal: "≥ 0.7",
      detail: `Lift ${fmt(lift.rate)} events/s (${fmt(requests)} requests of ${size}, ${concurrency} in flight; its threads used ${fmt(lift.cpuMicros, 1)} µs of CPU an event) ÷ bare indexed insert ${fmt(floor)} events/s (a transaction per request)`,
    });
  }
  results.push({
    name: "HTTP /v1/batch ÷ bare parsing",
    ratio: time.rate / bareRate,
    goal: "≥ 0.3",
    detail: `Lift ${fmt(time.rate)} events/s (time-prefixed ids) ÷ bare node:http JSON.parse ${fmt(bareRate)} events/s`,
  });
  return results;
}
