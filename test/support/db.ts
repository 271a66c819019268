import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inject } from "vitest";
import { CAPABILITIES } from "../../analytics/capabilities/index.ts";
import { type Logger, silentLogger } from "../../analytics/platform/base/log.ts";
import {
  type Capability,
  type Contributions,
  defineCapability,
} from "../../analytics/platform/contract/capability.ts";
import { Core } from "../../analytics/platform/core.ts";
import { type CoreSettings, Platform, type PlatformDeps } from "../../analytics/platform/platform.ts";
import { DATA_KEY_FILE, type Db, HASH_KEY_FILE, openDatabase } from "../../db/client.ts";
import { DEMO, DEMO_NOW } from "./demo.ts";
import { capabilitySettings } from "./settings.ts";

export { capabilitySettings };

export interface TestDb {
  dir: string;
  path: string;
  db: Db;
  /** What the edges see. */
  core: Core;
  /** What capabilities see (the same database). */
  platform: Platform;
  cleanup(): void;
}

export interface TestOptions {
  timeZone?: string;
  currency?: string;
  now?: () => number;
  fxRates?: Record<string, number>;
  settings?: Partial<CoreSettings>;
  /** Capability settings as environment variables (LIFT_SOURCES_ALLOW_PRIVATE: "true" …). */
  env?: Record<string, string>;
  /** The platform's logger (silent unless a test reads the log). */
  logger?: Logger;
  /** Another capability list than the real one (a test's own capability). */
  capabilities?: readonly Capability[];
}

/** The dependencies a core or platform over `db` is built from, with the test's settings and clock. */
export function depsFor(db: Db, options: TestOptions = {}): PlatformDeps {
  const capabilities = options.capabilities ?? CAPABILITIES;
  return {
    db,
    logger: options.logger ?? silentLogger(),
    capabilities,
    settings: {
      timeZone: options.timeZone ?? DEMO.timeZone,
      currency: options.currency ?? DEMO.currency,
      fxRates: options.fxRates ?? {},
      capabilities: capabilitySettings(capabilities, options.env),
      ...options.settings,
    },
    now: options.now ?? (() => DEMO_NOW),
  };
}

/** Keys a test gives as environment variables (LIFT_HASH_KEY, LIFT_DATA_KEY), as main.ts reads them. */
function envKeys(env: Record<string, string> | undefined) {
  return {
    ...(env?.["LIFT_HASH_KEY"] ? { hash: Buffer.from(env["LIFT_HASH_KEY"], "base64") } : {}),
    ...(env?.["LIFT_DATA_KEY"]
      ? { data: env["LIFT_DATA_KEY"].split(",").map((k) => Buffer.from(k, "base64")) }
      : {}),
  };
}

function open(dir: string, path: string, options: TestOptions): TestDb {
  const db = openDatabase(path, { keys: envKeys(options.env) });
  const deps = depsFor(db, options);
  return {
    dir,
    path,
    db,
    core: new Core(deps),
    platform: new Platform(deps),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function testDb(setup: (path: string) => void, options: TestOptions): TestDb {
  const dir = mkdtempSync(join(tmpdir(), "lift-test-"));
  const path = join(dir, "lift.db");
  setup(path);
  return open(dir, path, options);
}

/** An empty Lift database in a temp dir. */
export function emptyDb(options: TestOptions = {}): TestDb {
  return testDb(() => {}, options);
}

/** A database file and the keys beside it (without them its sealed values cannot be read). */
export function copyWithKeys(from: string, to: string): void {
  copyFileSync(from, to);
  for (const file of [DATA_KEY_FILE, HASH_KEY_FILE]) {
    const key = join(dirname(from), file);
    if (existsSync(key)) copyFileSync(key, join(dirname(to), file));
  }
}

/** A private copy of the shared small demo database. */
export function demoDb(options: TestOptions = {}): TestDb {
  return testDb((path) => copyWithKeys(inject("demoDbPath"), path), options);
}

/** Opens a test database again (after a child process wrote to it), keeping its cleanup. */
export function reopenDb(previous: TestDb, options: TestOptions = {}): TestDb {
  return open(previous.dir, previous.path, options);
}

/**
 * A platform with the real capabilities over an empty in-memory database: for
 * tests of what capabilities contribute (commands, alert kinds, grammar words)
 * that read no data.
 */
export function memoryPlatform(options: TestOptions = {}): Platform {
  return new Platform(depsFor(openDatabase(":memory:"), options));
}

/** The real capabilities and one of the test's own that contributes `contributions`. */
export function withTestCapability(contributions: Contributions): readonly Capability[] {
  return [
    ...CAPABILITIES,
    defineCapability({ name: "test", summary: "a test's own contributions", setup: () => contributions }),
  ];
}
