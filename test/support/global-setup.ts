import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { Platform } from "../../analytics/platform/platform.ts";
import { openDatabase } from "../../db/client.ts";
import { depsFor } from "./db.ts";
import { DEMO, DEMO_NOW } from "./demo.ts";

declare module "vitest" {
  export interface ProvidedContext {
    demoDbPath: string;
  }
}

/** Seeds the small demo database once; each test copies it to a temp dir of its own. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "lift-demo-"));
  const path = join(dir, "demo.db");
  const db = openDatabase(path);
  const platform = new Platform(depsFor(db, { now: () => DEMO_NOW }));
  await platform.checkSettings();
  // The raw seed: what the server's jobs derive from it (segments, alerts) is tested on its own, so the
  // suites that count subscriptions or compute segments start from the data alone.
  await platform.seedDemo({
    seed: DEMO.seed,
    end: DEMO.end,
    scale: DEMO.scale,
    timeZone: DEMO.timeZone,
    derive: false,
  });
  // Written sealed: marked so, as a server marks a database it sealed (no pass at its start).
  await platform.people.sealStored();
  db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  project.provide("demoDbPath", path);
  return () => rmSync(dir, { recursive: true, force: true });
}
