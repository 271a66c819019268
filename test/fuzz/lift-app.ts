import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { silentLogger } from "../../analytics/platform/base/log.ts";
import { slackSignature } from "../../bot/slack/signature.ts";
import type { Db } from "../../db/client.ts";
import { parseConfig } from "../../env.ts";
import { type Built, build, createApp, createSlack } from "../../main.ts";
import { FakeSlack } from "../support/fake-slack.ts";

export const CONSOLE_TOKEN = "fuzz-console-token-0123456789";
export const SIGNING_SECRET = "fuzz-slack-signing-secret";
export const SHOPIFY_SECRET = "fuzz-shopify-secret";
export const STRIPE_SECRET = "whsec_fuzz";

/** Lift as it serves in HTTP mode — the API, Slack's receiver, the console, capabilities' routes — in process. */
export interface FuzzLift {
  app: Hono;
  built: Built;
  db: Db;
  fake: FakeSlack;
  writeKey: string;
  /** A customer and an email that exist, for requests that name one. */
  known: { customerId: string; email: string; sendId: number };
  hashKey: Buffer;
  /** Where Slack's requests say to answer (the fake's response_url). */
  responseUrl: string;
  /** Resolves once every Slack request taken has been answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startFuzzLift(logger = silentLogger()): Promise<FuzzLift> {
  const dir = mkdtempSync(join(tmpdir(), "lift-fuzz-"));
  const fake = await FakeSlack.start();
  const hashKey = randomBytes(32);
  const built = await build(
    parseConfig({
      DATABASE_URL: join(dir, "lift.db"),
      LIFT_DEMO: "off",
      LIFT_CONSOLE_TOKEN: CONSOLE_TOKEN,
      SLACK_BOT_TOKEN: "xoxb-fuzz",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
      STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
      LIFT_HASH_KEY: hashKey.toString("base64"),
      LIFT_DATA_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "silent",
    }),
    { logger },
  );
  const slack = await createSlack(built);
  await slack!.start();
  const app = await createApp(built, CONSOLE_TOKEN, slack!.routes ?? null);
  const { key } = await built.core.keys.create("fuzz");
  // A little of everything, so requests that name data find some.
  await built.core.ingest("customers", [
    { id: "c1", email: "grace@example.com", first_seen: "2026-10-01T08:00:00Z", traits: { plan: "pro" } },
    { id: "c2", first_seen: "2026-10-02T08:00:00Z" },
  ]);
  await built.core.ingest("orders", [
    { id: "o1", customer_id: "c1", amount: "40.00", timestamp: "2026-11-01T10:00:00Z", channel: "email" },
  ]);
  await built.core.ingestEvents([
    {
      type: "track",
      event: "Product Viewed",
      userId: "c1",
      messageId: "m1",
      timestamp: "2026-11-01T09:00:00Z",
      properties: {},
    },
  ]);
  return {
    app,
    built,
    db: built.db,
    fake,
    writeKey: key,
    known: { customerId: "c1", email: "grace@example.com", sendId: 1 },
    hashKey,
    responseUrl: fake.newResponseUrl(),
    idle: () => slack!.idle(),
    close: async () => {
      await slack!.stop();
      await built.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tables whose rows are the database's state (not SQLite's own, not the migrations' record). */
function stateTables(db: Db): string[] {
  return (
    db.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
}

/** A hash of every row of each table: equal before and after means nothing was written there. */
export function fingerprint(db: Db): Record<string, string> {
  const tables: Record<string, string> = {};
  for (const table of stateTables(db)) {
    const hash = createHash("sha256");
    for (const row of db.sqlite.prepare(`SELECT * FROM "${table}"`).raw().iterate() as Iterable<unknown[]>)
      hash.update(
        JSON.stringify(row, (_k, v) =>
          Buffer.isBuffer(v) ? v.toString("hex") : typeof v === "bigint" ? String(v) : v,
        ),
      );
    tables[table] = hash.digest("hex");
  }
  return tables;
}

/** The tables whose rows differ between two fingerprints. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}

/** Rows changed on this connection so far (SQLite's total_changes): unchanged means nothing was written. */
export function totalChanges(db: Db): number {
  return (db.sqlite.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
}

/** Waits until every Slack request claimed has been answered (none is left "running"), then for quiet. */
export async function slackSettled(db: Db, maxMs = 10_000): Promise<void> {
  const started = Date.now();
  const running = db.sqlite.prepare("SELECT count(*) AS n FROM slack_events WHERE status = 'running'");
  while ((running.get() as { n: number }).n > 0 && Date.now() - started < maxMs)
    await new Promise((r) => setTimeout(r, 10));
  await settled(db);
}

/** Waits until the connection has written nothing for a moment (Slack answers run after the ack). */
export async function settled(db: Db, maxMs = 3000): Promise<void> {
  const started = Date.now();
  let last = totalChanges(db);
  let quiet = 0;
  while (quiet < 3 && Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 15));
    const now = totalChanges(db);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

export const sign = {
  slack: (body: string, at = Date.now()) => {
    const timestamp = String(Math.floor(at / 1000));
    return {
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
    };
  },
  shopify: (body: string) => createHmac("sha256", SHOPIFY_SECRET).update(body).digest("base64"),
  stripe: (body: string, at = Date.now()) => {
    const t = Math.floor(at / 1000);
    return `t=${t},v1=${createHmac("sha256", STRIPE_SECRET).update(`${t}.${body}`).digest("hex")}`;
  },
};
