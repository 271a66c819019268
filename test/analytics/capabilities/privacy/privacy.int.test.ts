import { readFileSync, statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { crmApi } from "../../../../analytics/capabilities/crm/index.ts";
import { privacyApi } from "../../../../analytics/capabilities/privacy/index.ts";
import { keyedHash } from "../../../../analytics/platform/contract/personal.ts";
import { capabilityRoutes } from "../../../../api/routes/capabilities.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";
import { FakeHubSpot } from "../../../support/fake-hubspot.ts";
import { listen } from "../../../support/server.ts";

/*
 * A person found, exported and erased everywhere, on a copy of the demo workspace (orders,
 * visits, segment memberships, automation sends) with a unique name, a social handle and posts,
 * a stored answer naming them and a HubSpot contact on a loopback server: the erasure takes
 * every row in one transaction, keeps revenue, forwards to HubSpot, refuses their data when it
 * comes again, and leaves none of their identifiers in the database file or its WAL, in plain
 * text or as keyed hashes, outside the erasure and suppression lists.
 */

const KEY = Buffer.alloc(32, 9);
const NAME = "Zephyrine Quillfeather";
const HANDLE = "zquillfeather";

let t: TestDb;
let hubspot: FakeHubSpot | undefined;

afterEach(async () => {
  await hubspot?.stop();
  hubspot = undefined;
  t?.cleanup();
});

const one = <T>(sql: string, ...params: unknown[]) => t.db.sqlite.prepare(sql).get(...params) as T;
const n = (sql: string, ...params: unknown[]) => one<{ n: number }>(sql, ...params).n;

/** A demo customer with orders, sends and segment memberships, made unmistakable. */
async function person(env: Record<string, string> = {}) {
  hubspot = await new FakeHubSpot().start();
  t = demoDb({
    env: {
      LIFT_HASH_KEY: KEY.toString("base64"),
      HUBSPOT_TOKEN: hubspot.token,
      HUBSPOT_BASE_URL: hubspot.url,
      HUBSPOT_MIN_INTERVAL_MS: "0",
      ...env,
    },
  });
  // What the server's jobs derive from the seed: segments computed, automations run.
  const parts = t.platform.registries.demoParts;
  for (const part of parts.list()) await part.finish?.(t.platform.contextFor(parts.ownerOf(part)));
  const { id, email } = one<{ id: string; email: string }>(
    `SELECT c.id, lift_email(c.email) AS email FROM customers c
     WHERE EXISTS (SELECT 1 FROM automation_sends s WHERE s.person_id = c.id)
       AND EXISTS (SELECT 1 FROM segment_members m WHERE m.person_id = c.id)
       AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)
     ORDER BY c.id LIMIT 1`,
  );
  const ingest = t.platform.ingest;
  expect(
    (
      await ingest.write("customers", [
        {
          id,
          email,
          name: NAME,
          twitter: HANDLE,
          phone: "+44 7700 900123",
          updated_at: "2026-11-22T23:00:00Z",
        },
      ])
    ).rejected,
  ).toEqual([]);
  const at = "2026-11-20T10:00:00Z";
  expect(
    (
      await ingest.write("events", [
        { type: "page", anonymousId: "anon-zq-7781", name: "/pricing", timestamp: at, messageId: "zq-m1" },
        {
          type: "identify",
          anonymousId: "anon-zq-7781",
          userId: id,
          traits: { email },
          timestamp: at,
          messageId: "zq-m2",
        },
        {
          type: "track",
          userId: id,
          event: "Signed Up",
          properties: { email, plan: "pro" },
          timestamp: at,
          messageId: "zq-m3",
        },
      ])
    ).rejected,
  ).toEqual([]);
  expect(
    (
      await ingest.write("mentions", [
        {
          platform: "x",
          platform_id: "zq-post-1",
          url: "https://x.example/zq-post-1",
          author: `@${HANDLE}`,
          text: "Loving the new layering jacket, honestly",
          timestamp: at,
        },
      ])
    ).rejected,
  ).toEqual([]);
  hubspot.add("contacts", [{ email }]);
  await crmApi.of(t.platform).pull("hubspot");
  // An admin looked the customer up: the stored answer names them.
  await t.platform.answer(`customer ${email}`, { userId: "U0ADMIN", channelId: "C0PRIV" });
  const orders = (
    t.db.sqlite.prepare("SELECT id FROM orders WHERE customer_id = ?").all(id) as { id: string }[]
  ).map((o) => o.id);
  return { id, email, orders };
}

const revenue = () =>
  one<{ r: number; o: number }>("SELECT sum(amount_minor) AS r, count(*) AS o FROM orders");

describe("a person's data", () => {
  it("is declared by its owner wherever a column looks personal", () => {
    t = demoDb();
    const maps = t.platform.people.maps();
    const declared = new Map(maps.map((m) => [m.table.table, m.table]));
    // Words a personal column is named by (split at underscores): an email, a name, a phone, a
    // handle, an address or ip, free text, a person's or user's id, traits and properties.
    const looksPersonal =
      /^(e?mail|email|name|phone|mobile|handle|author|ip|address|addr|text|body|html|note|notes|comment|recipient|traits|properties|context|question|command|payload|report|detail|error|url|subject|user|person|customer|anonymous|owner|actor|by|from|reply|people|config|options|data|domain|path|member|reason)$/;
    const undeclared: string[] = [];
    const tables = t.db.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'",
      )
      .all() as { name: string }[];
    for (const { name: table } of tables) {
      const columns = t.db.sqlite.prepare("SELECT name FROM pragma_table_info(?)").all(table) as {
        name: string;
      }[];
      const map = declared.get(table);
      for (const { name: column } of columns) {
        if (!column.split("_").some((word) => looksPersonal.test(word))) continue;
        const known =
          map && (column in map.columns || column in (map.notPersonal ?? {}) || column in map.findBy);
        if (!known) undeclared.push(`${table}.${column}`);
      }
    }
    expect(undeclared).toEqual([]);
    // Every declared name is in the schema (a stale map fails here, not in an erasure).
    for (const { table } of maps) {
      const columns = new Set(
        (
          t.db.sqlite.prepare("SELECT name FROM pragma_table_info(?)").all(table.table) as { name: string }[]
        ).map((c) => c.name),
      );
      expect(columns.size, table.table).toBeGreaterThan(0);
      for (const column of [
        ...Object.keys(table.columns),
        ...Object.keys(table.findBy),
        ...Object.keys(table.notPersonal ?? {}),
      ])
        expect(columns.has(column), `${table.table}.${column}`).toBe(true);
    }
  });

  it("is exported as one document with every row about them, raw and derived", async () => {
    const p = await person();
    const { code, out } = await runLift(t, ["privacy", "export", p.email.toUpperCase()]);
    expect(code).toBe(0);
    const document = JSON.parse(out) as {
      identifiers: Record<string, string[]>;
      tables: Record<string, { owner: string; rows: Record<string, unknown>[] }>;
      derived: Record<string, { details: string[] }>;
    };
    // What Lift works out about them (RFM segment, predictions, messages), as their customer page says it.
    expect(document.derived[p.id]!.details).toEqual(
      expect.arrayContaining(["*Segments*", expect.stringMatching(/^RFM: /), "*Messages*"]),
    );
    expect(document.identifiers["customer"]).toEqual([p.id]);
    expect(document.identifiers["anonymous"]).toContain("anon-zq-7781");
    const tables = document.tables;
    expect(tables["customers"]!.rows[0]!["traits"]).toMatchObject({ name: NAME, twitter: HANDLE });
    expect(tables["events"]!.rows.map((r) => r["message_id"])).toEqual(
      expect.arrayContaining(["zq-m1", "zq-m2", "zq-m3"]),
    );
    expect(tables["identities"]!.rows).toContainEqual(
      expect.objectContaining({ anonymous_id: "anon-zq-7781", user_id: p.id }),
    );
    expect(tables["orders"]!.rows.map((r) => r["id"]).sort()).toEqual([...p.orders].sort());
    expect(tables["segment_members"]!.owner).toBe("segments");
    expect(tables["automation_sends"]!.rows.length).toBeGreaterThan(0);
    expect(tables["crm_contacts"]!.rows).toHaveLength(1);
    expect(tables["mentions"]!.rows[0]!["author"]).toBe(`@${HANDLE}`);
    expect(tables["answers"]!.rows.length).toBeGreaterThan(0);
    // The same through the admin API (the console's token in front of it).
    const server = await listen(capabilityRoutes(t.core, "console"));
    try {
      const response = await fetch(`${server.url}/console/privacy/export?person=${encodeURIComponent(p.id)}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { tables: Record<string, unknown> };
      expect(Object.keys(body.tables).sort()).toEqual(Object.keys(tables).sort());
      const missing = await fetch(`${server.url}/console/privacy/export?person=nobody%40example.com`);
      expect(missing.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("is erased everywhere in one transaction: revenue kept, HubSpot told, re-ingest refused, the file clean", async () => {
    const p = await person();
    const before = revenue();
    const customers = n("SELECT count(*) AS n FROM customers");
    const daily = n("SELECT sum(revenue_minor) AS n FROM daily_orders");
    // The scan below finds their ids before the erasure (so its zeros after mean something); their
    // email, name, handle and phone are sealed, so not even then in plain text.
    t.db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const file = readFileSync(t.path);
    for (const needle of [p.id, "anon-zq-7781", p.orders[0]!])
      expect(file.includes(needle), needle).toBe(true);
    for (const needle of [p.email, NAME, HANDLE, "+44 7700 900123"])
      expect(file.includes(needle), needle).toBe(false);
    // Slack and the console confirm first: the plan changes nothing.
    const plan = await t.platform.answer(`privacy erase ${p.email}`, {
      userId: "U0ADMIN",
      channelId: "C0PRIV",
    });
    expect(plan.title).toBe(`Erase ${p.email}?`);
    expect(plan.actions[0]!.command).toBe(`privacy erase ${p.email} confirmed`);
    expect(n("SELECT count(*) AS n FROM customers")).toBe(customers);

    const done = await t.platform.answer(`privacy erase ${p.email} confirmed`, {
      userId: "U0ADMIN",
      channelId: "C0PRIV",
    });
    expect(done.title).toBe("Erased");
    expect(done.details).toContain("HubSpot: the contact permanently deleted (GDPR delete)");
    expect(hubspot!.objects["contacts"]).toHaveLength(0);

    // Revenue as it was; one customer fewer; the orders kept without who or which.
    expect(revenue()).toEqual(before);
    expect(n("SELECT sum(revenue_minor) AS n FROM daily_orders")).toBe(daily);
    expect(n("SELECT count(*) AS n FROM customers")).toBe(customers - 1);
    expect(n("SELECT count(*) AS n FROM orders WHERE id LIKE 'erased-%' AND customer_id IS NULL")).toBe(
      p.orders.length,
    );
    for (const table of ["events", "segment_members", "automation_sends", "crm_contacts", "exposures"])
      expect(
        n(
          `SELECT count(*) AS n FROM ${table} WHERE ${table === "crm_contacts" ? "customer_id" : "person_id"} = ?`,
          p.id,
        ),
        table,
      ).toBe(0);
    expect(n("SELECT count(*) AS n FROM mentions WHERE lift_open(author) = ?", `@${HANDLE}`)).toBe(0);
    // Audited by hash: who erased, never whom.
    const audit = one<{ actor: string; detail: string }>(
      "SELECT actor, detail FROM audit_log WHERE action = 'privacy.erase'",
    );
    expect(audit.actor).toBe("U0ADMIN");
    expect(audit.detail).toMatch(/^erased a person \(hash [0-9a-f]{12}\) via slack: \d+ rows in \d+ tables$/);

    // Their data is refused when it comes again, by any of their identifiers.
    const again = await t.platform.ingest.write("customers", [
      { id: "new-id-1", email: p.email.toUpperCase() },
    ]);
    expect(again.rejected[0]!.reason).toMatch(/^the person with this email was erased at their request/);
    const events = await t.platform.ingest.write("events", [
      {
        type: "track",
        userId: p.id,
        event: "Came Back",
        timestamp: "2026-11-21T10:00:00Z",
        messageId: "zq-m9",
      },
      {
        type: "page",
        anonymousId: "anon-zq-7781",
        name: "/",
        timestamp: "2026-11-21T10:00:00Z",
        messageId: "zq-m10",
      },
      {
        type: "page",
        anonymousId: "someone-else",
        name: "/",
        timestamp: "2026-11-21T10:00:00Z",
        messageId: "zq-m11",
      },
    ]);
    expect(events.rejected.map((r) => r.index)).toEqual([0, 1]);
    expect(events.accepted).toBe(1);
    const orders = await t.platform.ingest.write("orders", [
      { id: p.orders[0], customer_id: "someone-new", amount: "10.00", timestamp: "2026-11-21T10:00:00Z" },
    ]);
    expect(orders.rejected[0]!.reason).toMatch(/^the person with this order was erased/);
    const posts = await t.platform.ingest.write("mentions", [
      {
        platform: "x",
        platform_id: "zq-post-2",
        author: `@${HANDLE}`,
        text: "again",
        timestamp: "2026-11-21T10:00:00Z",
      },
    ]);
    expect(posts.rejected).toHaveLength(1);
    await expect(privacyApi.of(t.platform).export(p.email)).rejects.toThrow(/^That person was erased on /);

    // Nothing of them left in the file or its write-ahead log, in plain text or keyed hash,
    // but the erasure list (each hash once: WITHOUT ROWID) and the suppression list.
    const path = t.path;
    t.db.close();
    const bytes = Buffer.concat([
      readFileSync(path),
      ...(statSync(`${path}-wal`, { throwIfNoEntry: false }) ? [readFileSync(`${path}-wal`)] : []),
    ]);
    const occurrences = (needle: string) => {
      let count = 0;
      for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + 1)) count++;
      return count;
    };
    const plain = [
      p.email,
      p.email.toLowerCase(),
      p.id,
      NAME,
      HANDLE,
      "anon-zq-7781",
      "+44 7700 900123",
      ...p.orders,
    ];
    expect(Object.fromEntries(plain.map((s) => [s, occurrences(s)]))).toEqual(
      Object.fromEntries(plain.map((s) => [s, 0])),
    );
    const hashes = [
      keyedHash(KEY, "email", p.email),
      keyedHash(KEY, "customer", p.id),
      keyedHash(KEY, "anonymous", "anon-zq-7781"),
      ...p.orders.map((o) => keyedHash(KEY, "order", o)),
    ];
    const reopened = (await import("better-sqlite3")).default(path, { readonly: true });
    try {
      for (const hash of hashes) {
        const listed = (
          reopened.prepare("SELECT count(*) AS n FROM erasures WHERE hash = ?").get(hash) as { n: number }
        ).n;
        const suppressed = (
          reopened.prepare("SELECT count(*) AS n FROM suppressions WHERE hash = ?").get(hash) as { n: number }
        ).n;
        expect(listed).toBe(1);
        // The suppression list's rowid table keeps a hash in its row and in its key's index.
        expect(occurrences(hash)).toBe(listed + 2 * suppressed);
      }
    } finally {
      reopened.close();
    }
  });

  it("stops before anything changes here when a CRM does not take the erasure", async () => {
    const p = await person();
    await hubspot!.stop();
    hubspot = undefined;
    const customers = n("SELECT count(*) AS n FROM customers");
    const { code, err } = await runLift(t, ["privacy", "erase", p.id, "--yes"]);
    expect(code).not.toBe(0);
    expect(err).toMatch(/Nothing was erased: a CRM did not take the erasure/);
    expect(n("SELECT count(*) AS n FROM customers")).toBe(customers);
    expect(n("SELECT count(*) AS n FROM erasures")).toBe(0);
  });

  it("asks before erasing on a terminal, and refuses without one unless --yes", async () => {
    const p = await person();
    const noTerminal = await runLift(t, ["privacy", "erase", p.id]);
    expect(noTerminal.code).not.toBe(0);
    expect(noTerminal.err).toContain(`lift privacy erase ${p.id} --yes`);
    expect(n("SELECT count(*) AS n FROM customers WHERE id = ?", p.id)).toBe(1);
    const yes = await runLift(t, ["privacy", "erase", p.id, "--yes"]);
    expect(yes.code).toBe(0);
    expect(yes.out).toMatch(/^Erased/);
    expect(n("SELECT count(*) AS n FROM customers WHERE id = ?", p.id)).toBe(0);
  });
});

describe("retention", () => {
  it("deletes raw events, mentions and sends older than their settings, keeping the rollups", async () => {
    t = demoDb({
      env: { LIFT_RETAIN_EVENTS_DAYS: "30", LIFT_RETAIN_MENTIONS_DAYS: "30", LIFT_RETAIN_SENDS_DAYS: "7" },
    });
    const cutoff = t.platform.now() - 30 * 86_400_000;
    const old = n("SELECT count(*) AS n FROM events WHERE timestamp < ?", cutoff);
    const kept = n("SELECT count(*) AS n FROM events WHERE timestamp >= ?", cutoff);
    const rollups = n("SELECT sum(count) AS n FROM daily_events");
    const mentionsOld = n("SELECT count(*) AS n FROM mentions WHERE timestamp < ?", cutoff);
    expect(old).toBeGreaterThan(0);
    expect(mentionsOld).toBeGreaterThan(0);
    const status = await t.platform.answer("privacy", { userId: "U0ADMIN" });
    expect(status.details).toContain(
      `Raw events: kept 30 days; ${old.toLocaleString("en-US")} rows older now (deleted nightly)`,
    );
    const { code, out } = await runLift(t, ["privacy", "retention"]);
    expect(code).toBe(0);
    expect(out).toContain(`events: ${old.toLocaleString("en-US")} rows deleted`);
    expect(n("SELECT count(*) AS n FROM events WHERE timestamp < ?", cutoff)).toBe(0);
    expect(n("SELECT count(*) AS n FROM events")).toBe(kept);
    expect(n("SELECT sum(count) AS n FROM daily_events")).toBe(rollups);
    expect(n("SELECT count(*) AS n FROM mentions WHERE timestamp < ?", cutoff)).toBe(0);
    // A deleted mention's topics go with it.
    expect(
      n("SELECT count(*) AS n FROM mention_topics WHERE mention_id NOT IN (SELECT id FROM mentions)"),
    ).toBe(0);
    expect(
      n("SELECT count(*) AS n FROM automation_sends WHERE created_at < ?", t.platform.now() - 7 * 86_400_000),
    ).toBe(0);
    expect(
      n("SELECT count(*) AS n FROM automation_clicks WHERE send_id NOT IN (SELECT id FROM automation_sends)"),
    ).toBe(0);
  });
});
