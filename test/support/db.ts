import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { registries } from "../../analytics/capabilities/index.ts";
import { Core } from "../../analytics/platform/core.ts";
import { silentLogger } from "../../analytics/platform/log.ts";
import { type CoreSettings, Platform, type PlatformDeps } from "../../analytics/platform/platform.ts";
import type { Registries } from "../../analytics/platform/registries.ts";
import { type Db, openDatabase } from "../../db/client.ts";
import { DEMO, DEMO_NOW } from "./demo.ts";

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
  /** Other contributions than the real capability list (a test's own capability). */
  registries?: Registries;
}

/** The dependencies a core or platform over `db` is built from, with the test's settings and clock. */
export function depsFor(db: Db, options: TestOptions = {}): PlatformDeps {
  return {
    db,
    logger: silentLogger(),
    registries: options.registries ?? registries(),
    settings: {
      timeZone: options.timeZone ?? DEMO.timeZone,
      currency: options.currency ?? DEMO.currency,
      fxRates: options.fxRates ?? {},
      ...options.settings,
    },
    now: options.now ?? (() => DEMO_NOW),
  };
}

function open(dir: string, path: string, options: TestOptions): TestDb {
  const db = openDatabase(path);
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

/** A private copy of the shared small demo database. */
export function demoDb(options: TestOptions = {}): TestDb {
  return testDb((path) => copyFileSync(inject("demoDbPath"), path), options);
}

/** Opens a test database again (after a child process wrote to it), keeping its cleanup. */
export function reopenDb(previous: TestDb, options: TestOptions = {}): TestDb {
  return open(previous.dir, previous.path, options);
}
