import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { Core } from "../../analytics/core.ts";
import { silentLogger } from "../../analytics/log.ts";
import { type Db, openDatabase } from "../../db/client.ts";
import { DEMO, DEMO_NOW } from "./demo.ts";

export interface TestDb {
  dir: string;
  path: string;
  db: Db;
  core: Core;
  cleanup(): void;
}

function coreFor(
  db: Db,
  options: { timeZone?: string; currency?: string; now?: () => number; fxRates?: Record<string, number> },
) {
  return new Core({
    db,
    logger: silentLogger(),
    settings: {
      timeZone: options.timeZone ?? DEMO.timeZone,
      currency: options.currency ?? DEMO.currency,
      fxRates: options.fxRates ?? {},
    },
    now: options.now ?? (() => DEMO_NOW),
  });
}

function testDb(setup: (path: string) => void, options: Parameters<typeof coreFor>[1]): TestDb {
  const dir = mkdtempSync(join(tmpdir(), "lift-test-"));
  const path = join(dir, "lift.db");
  setup(path);
  const db = openDatabase(path);
  return {
    dir,
    path,
    db,
    core: coreFor(db, options),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An empty Lift database in a temp dir. */
export function emptyDb(options: Parameters<typeof coreFor>[1] = {}): TestDb {
  return testDb(() => {}, options);
}

/** A private copy of the shared small demo database. */
export function demoDb(options: Parameters<typeof coreFor>[1] = {}): TestDb {
  return testDb((path) => copyFileSync(inject("demoDbPath"), path), options);
}

/** Opens a test database again (after a child process wrote to it), keeping its cleanup. */
export function reopenDb(previous: TestDb, options: Parameters<typeof coreFor>[1] = {}): TestDb {
  const db = openDatabase(previous.path);
  return {
    ...previous,
    db,
    core: coreFor(db, options),
    cleanup: () => {
      db.close();
      rmSync(previous.dir, { recursive: true, force: true });
    },
  };
}
