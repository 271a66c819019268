import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Platform } from "../analytics/platform/platform.ts";
import { openDatabase } from "../db/client.ts";
import { CAPABILITY_BENCHES } from "./capabilities/index.ts";
import { benchChart } from "./chart.ts";
import { type BenchContext, type BenchResult, CACHE, fmt, freshDb, medianMs, platformOn } from "./common.ts";
import { benchHttp } from "./http.ts";
import { benchImport } from "./import.ts";
import { buildLarge, LARGE_NOW } from "./large.ts";
import { benchLevers } from "./levers.ts";
import { benchSlackAck } from "./slack.ts";
import { benchStartup } from "./startup.ts";

/**
 * `npm run bench`: each figure as a ratio against a baseline measured in the
 * same run, with the absolute figures beside it. The platform's own benchmarks
 * (import, HTTP, chart, Slack ack) run first, then every capability's, from
 * the capability list. Large databases are built once into bench/.cache and reused.
 * Options: --quick (smaller sizes), --only <name> (import, http, chart, slack, startup, or a capability's;
 * `levers` runs the ingest write-path experiments, which are not part of the default run).
 */
const { values } = parseArgs({ options: { quick: { type: "boolean" }, only: { type: "string" } } });
const quick = Boolean(values.quick);
const only = values.only;
mkdirSync(CACHE, { recursive: true });

const results: BenchResult[] = [];
const print = (result: BenchResult) => {
  results.push(result);
  process.stdout.write(
    `${result.name}\n  ratio ${fmt(result.ratio, 3)}  (goal ${result.goal})  ${result.detail}\n`,
  );
};

let large: Platform | null = null;
const context: BenchContext = {
  quick,
  cacheDir: CACHE,
  freshPlatform: (name) => platformOn(freshDb(name).db),
  largePlatform: async () => {
    if (!large) {
      const path = await buildLarge(quick ? 1_000_000 : 10_000_000, quick ? 50_000 : 500_000);
      large = platformOn(openDatabase(path), () => LARGE_NOW);
    }
    return large;
  },
  medianMs,
  python: (script, env = {}) =>
    new Promise((resolve) => {
      const child = spawn("/usr/bin/python3", ["-"], { env: { ...process.env, ...env } });
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
      });
      child.on("error", () => resolve(null));
      child.on("close", (code) => resolve(code === 0 ? out : null));
      child.stdin.end(script);
    }),
};

process.stdout.write(
  `Lift benchmarks · node ${process.version} · ${new Date().toISOString()}${quick ? " · quick" : ""}\n\n`,
);
if (!only || only === "import") print(await benchImport(quick ? 50_000 : 200_000));
if (!only || only === "http") for (const result of await benchHttp(quick ? 500 : 2_000)) print(result);
if (only === "levers") for (const result of benchLevers(quick ? 50_000 : 200_000)) print(result);
if (!only || only === "chart") print(await benchChart());
if (!only || only === "slack") print(await benchSlackAck(quick ? 200 : 1_000));
if (!only || only === "startup") for (const result of await benchStartup(quick ? 5 : 11)) print(result);
for (const entry of CAPABILITY_BENCHES) {
  if (only && only !== entry.name) continue;
  for (const result of await entry.run(context)) print(result);
}
writeFileSync(join(CACHE, "last.json"), `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
