import { execFile } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { demoOptionsFor } from "../analytics/platform/demo/index.ts";
// @ts-expect-error: the build script is a plain .mjs module (no types)
import { build } from "../bot/cli/build.mjs";
import { CACHE, fmt, freshDb, TIME_ZONE } from "./common.ts";

const run = promisify(execFile);
const BIN = new URL("../bot/cli/lift.mjs", import.meta.url).pathname;

/** The full demo workspace ending today, seeded once a day into the cache. */
async function demoDatabase(): Promise<string> {
  const day = new Date().toISOString().slice(0, 10);
  const path = join(CACHE, `demo-${day}.db`);
  if (existsSync(path)) return path;
  const { db, core, path: building } = freshDb(`demo-${day}.building.db`);
  await core.seedDemo(demoOptionsFor(Date.now(), TIME_ZONE));
  db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  renameSync(building, path);
  return path;
}

async function medianOf(runs: number, command: string[], env: Record<string, string> = {}): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run(command[0]!, command.slice(1), { env: { ...process.env, ...env } });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Cold start of the compiled `lift` (what a terminal or cron waits for) against
 * `node -e 0` in the same run, and the CLI digest including start-up.
 */
export async function benchStartup(runs: number) {
  await build();
  const database = await demoDatabase();
  const env = { DATABASE_URL: database, LIFT_TIMEZONE: TIME_ZONE, LIFT_NO_BUILD: "1" };
  await medianOf(1, [process.execPath, BIN, "status"], env);
  const node = await medianOf(runs, [process.execPath, "-e", "0"]);
  const status = await medianOf(runs, [process.execPath, BIN, "status"], env);
  const digest = await medianOf(Math.max(3, Math.floor(runs / 2)), [process.execPath, BIN, "digest"], env);
  return [
    {
      name: "cold start: `lift status` on the demo database (compiled)",
      ratio: status / node,
      goal: "≤ 4",
      detail: `${fmt(status)} ms ÷ node -e 0 ${fmt(node)} ms (median of ${runs})`,
    },
    {
      name: "`lift digest` on the demo database, start-up included",
      ratio: digest / node,
      goal: "< 2 s",
      detail: `${fmt(digest)} ms ÷ node -e 0 ${fmt(node)} ms`,
    },
  ];
}
