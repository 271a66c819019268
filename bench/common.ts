import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { CAPABILITIES } from "../analytics/capabilities/index.ts";
import { silentLogger } from "../analytics/platform/base/log.ts";
import { parseSettings } from "../analytics/platform/contract/settings.ts";
import { Core } from "../analytics/platform/core.ts";
import type { EventCommitter } from "../analytics/platform/ingest/index.ts";
import { Platform, type PlatformDeps } from "../analytics/platform/platform.ts";
import { type Db, openDatabase } from "../db/client.ts";

export const CACHE = join(dirname(fileURLToPath(import.meta.url)), ".cache");
export const TIME_ZONE = "Europe/Berlin";

export function freshDb(name: string): { db: Db; core: Core; path: string } {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, name);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  return { db, path, core: coreOn(db) };
}

function depsOn(db: Db, now?: () => number, committer?: EventCommitter): PlatformDeps {
  return {
    db,
    logger: silentLogger(),
    capabilities: CAPABILITIES,
    settings: { timeZone: TIME_ZONE, currency: "USD", fxRates: {} },
    ...(now ? { now } : {}),
    ...(committer ? { committer } : {}),
  };
}

export function coreOn(db: Db, now?: () => number, committer?: EventCommitter): Core {
  return new Core(depsOn(db, now, committer));
}

export function platformOn(db: Db, now?: () => number): Platform {
  return new Platform(depsOn(db, now));
}

/** Median of a few timed runs of `fn`, in milliseconds. */
export async function medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One figure of `npm run bench`: a ratio against a baseline measured in the same run, and the absolute figure beside it. */
export interface BenchResult {
  name: string;
  ratio: number;
  goal: string;
  detail: string;
}

/** What a capability's benchmark gets from `npm run bench`. */
export interface BenchContext {
  quick: boolean;
  /** bench/.cache: for databases built once and reused. */
  cacheDir: string;
  /** A fresh platform on a new database file under the cache. */
  freshPlatform(name: string): Platform;
  /** The 10M-event workspace (1M with --quick), built once into the cache. */
  largePlatform(): Promise<Platform>;
  /** Median of a few timed runs, in milliseconds. */
  medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number>;
  /** /usr/bin/python3 with a script on stdin: stdout, or null when Python (or a module) is missing. */
  python(script: string, env?: Record<string, string>): Promise<string | null>;
}

/**
 * A capability's benchmark: in bench/capabilities/, never in the capability's folder, so the
 * build (dist/) carries none, and its bare-SQL baselines stay out of analytics/.
 */
export interface BenchEntry {
  /** The word for `npm run bench -- --only <name>`. */
  name: string;
  run(context: BenchContext): Promise<BenchResult[]>;
}

/** The events table's columns, in the order the baselines' rows hold them (see storedRow). */
export const EVENT_COLUMNS =
  "message_id, type, event, person_id, user_id, anonymous_id, channel, properties, context, timestamp, day, received_at";
export const EVENT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** One prepared insert a row: the bare way in. */
export const insertOneByOne = (sqlite: Database.Database) => {
  const insert = sqlite.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${EVENT_ROW}`);
  return (batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  };
};

/**
 * Rows per second of `prepare`'s write over `rows` (already in their stored shape) into a fresh
 * database's events table with all its indexes, one transaction per `perTransaction` rows;
 * `pragmas` set first, `around` run just inside the clock. Every row must be stored.
 */
export function insertRate(
  name: string,
  rows: unknown[][],
  perTransaction: number,
  prepare: (sqlite: Database.Database) => (batch: unknown[][]) => void,
  pragmas: string[] = [],
  around?: { before(sqlite: Database.Database): void; after(sqlite: Database.Database): void },
): number {
  const { db } = freshDb(name);
  for (const pragma of pragmas) db.sqlite.pragma(pragma);
  const write = db.sqlite.transaction(prepare(db.sqlite));
  const t = performance.now();
  around?.before(db.sqlite);
  for (let i = 0; i < rows.length; i += perTransaction) write(rows.slice(i, i + perTransaction));
  around?.after(db.sqlite);
  const seconds = (performance.now() - t) / 1000;
  const count = (db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  db.close();
  if (count !== rows.length) throw new Error(`${name}: ${count} of ${rows.length} rows stored`);
  return rows.length / seconds;
}

/** The bare indexed insert: the storage floor and the raw-insert baseline. */
export function bareInsertRate(name: string, rows: unknown[][], perTransaction: number): number {
  return insertRate(name, rows, perTransaction, insertOneByOne);
}

/**
 * Customers c<from>…c<from+n-1> (c<i>@example.com, the traits given) with one order each on
 * 2026-06-01, by bare prepared inserts in one transaction: the shoppers capability benchmarks
 * start from (segments are of customers who ordered).
 */
export function seedBuyers(
  sqlite: Database.Database,
  n: number,
  traits: Record<string, unknown>,
  options: { from?: number; amountMinor?: (i: number) => number } = {},
): void {
  const from = options.from ?? 0;
  const amount = options.amountMinor ?? (() => 2000);
  const customer = sqlite.prepare(
    "INSERT INTO customers (id, email, traits, first_seen, last_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const order = sqlite.prepare(
    "INSERT INTO orders (id, customer_id, amount_minor, original_amount_minor, original_currency, timestamp, day, channel, origin, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, '2026-06-01', 'email', 'import', ?)",
  );
  const at = Date.parse("2026-06-01T12:00:00Z");
  const text = JSON.stringify(traits);
  sqlite.transaction(() => {
    for (let i = from; i < from + n; i++) {
      customer.run(`c${i}`, `c${i}@example.com`, text, at, at, at);
      order.run(`o${i}`, `c${i}`, amount(i), amount(i), at, at);
    }
  })();
}

/** When the capability benchmarks run: the tests' day (2026-11-24 15:00 UTC). */
export const BENCH_NOW = Date.parse("2026-11-24T15:00:00Z");

/**
 * A fresh database under the cache and the dependencies of a platform on it, in UTC and USD at
 * BENCH_NOW, with the capabilities' settings read from `env` as env.ts reads them.
 */
export function benchDeps(name: string, env: Record<string, string>): PlatformDeps & { path: string } {
  const { db, path } = freshDb(name);
  const settings: Record<string, unknown> = {};
  for (const capability of CAPABILITIES)
    settings[capability.name] = parseSettings(capability.settings, env).value;
  return {
    db,
    path,
    logger: silentLogger(),
    capabilities: CAPABILITIES,
    settings: { timeZone: "UTC", currency: "USD", fxRates: {}, capabilities: settings },
    now: () => BENCH_NOW,
  };
}
