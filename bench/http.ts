import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { serve } from "@hono/node-server";
import { WRITER_WORKER } from "../analytics/capabilities/index.ts";
import { WriterThread } from "../analytics/platform/ingest/index.ts";
import { createApi } from "../api/app.ts";
import { coreOn, fmt, freshDb } from "./common.ts";

const run = promisify(execFile);

async function load(
  url: string,
  key: string,
  requests: number,
  size: number,
  concurrency: number,
  offset: number,
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
    ],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout) as { seconds: number; events: number; failures: number };
  if (result.failures > 0) throw new Error(`${result.failures} requests failed against ${url}`);
  return result.events / result.seconds;
}

/**
 * HTTP /v1/batch (100 events a request, loopback, 32 in flight, client in
 * another process) events/s ÷ a bare node:http server that only parses the JSON.
 */
export async function benchHttp(requests: number) {
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

  // As `npm start` runs it: validation on the main thread, writes on the writer thread.
  const lift = freshDb("http-lift.db");
  const writer = new WriterThread(WRITER_WORKER, lift.path);
  const core = coreOn(lift.db, undefined, writer);
  const { key } = await core.keys.create("bench");
  const app = createApi(core);
  const { url, close } = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}/v1/batch`, close: () => server.close() }),
    );
  });
  await load(url, key, 50, size, concurrency, 10_000_000);
  const liftRate = await load(url, key, requests, size, concurrency, 0);
  close();
  await writer.close();
  const warmup = 50 * size;
  const stored =
    (lift.db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n - warmup;
  lift.db.close();
  if (stored < requests * size * 0.99) throw new Error(`only ${stored} events stored`);
  return {
    name: "HTTP /v1/batch (100 events/request)",
    ratio: liftRate / bareRate,
    goal: "≥ 0.4",
    detail: `Lift ${fmt(liftRate)} events/s ÷ bare node:http JSON.parse ${fmt(bareRate)} events/s (${fmt(requests)} requests, ${concurrency} in flight)`,
  };
}
