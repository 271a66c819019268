import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.ts";
import { Sealer, TamperedError } from "../../db/sealer.ts";
import { runLift } from "../support/cli.ts";
import { demoDb, emptyDb, reopenDb, type TestDb } from "../support/db.ts";

/*
 * Personal values sealed at rest (db/sealer.ts): AES-256-GCM round trips, a changed byte or an
 * unknown key fails loudly, the demo's file holds none of its customers' addresses in plain
 * text, lookups by email go through the blind index, a database from before sealing is sealed
 * once, and a key rotation seals everything again and drops the old key.
 */

let t: TestDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

const key = () => randomBytes(32);

describe("the sealer", () => {
  it("seals with a random IV each time and opens what it sealed; plain text passes through", () => {
    const sealer = new Sealer([key()], key());
    const a = sealer.seal("grace@example.com");
    const b = sealer.seal("grace@example.com");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^enc1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
    expect(sealer.open(a)).toBe("grace@example.com");
    expect(sealer.open("written before sealing")).toBe("written before sealing");
    // 12 bytes of IV and 16 of tag around the text.
    expect(Buffer.from(a.slice(14), "base64url").length).toBe(12 + 17 + 16);
  });

  it("fails loudly on a changed byte, a value cut short, or a key it does not hold", () => {
    const sealer = new Sealer([key()], key());
    const sealed = sealer.seal("grace@example.com");
    const body = Buffer.from(sealed.slice(14), "base64url");
    body[20]! ^= 1;
    expect(() => sealer.open(`${sealed.slice(0, 14)}${body.toString("base64url")}`)).toThrow(TamperedError);
    expect(() => sealer.open(sealed.slice(0, 30))).toThrow(/cut short|authentication tag/);
    expect(() => new Sealer([key()], key()).open(sealed)).toThrow(/which this Lift does not have/);
    // The key id is authenticated: a value relabelled with another key's id fails.
    const other = new Sealer([key(), ...sealer.keys], key());
    expect(other.open(sealed)).toBe("grace@example.com");
    expect(() => other.open(sealed.replace(/^enc1:[0-9a-f]{8}/, `enc1:${other.keyId}`))).toThrow(
      TamperedError,
    );
  });

  it("seals an email, a phone or an ip anywhere in JSON, a name only in a person's traits", () => {
    const sealer = new Sealer([key()], key());
    const event = JSON.parse(
      sealer.sealJsonText(
        JSON.stringify({
          name: "Layering jacket",
          email: "grace@example.com",
          nested: { phone: "+44 7700 900123" },
          traits: { name: "Grace", plan: "pro" },
        }),
      ),
    ) as Record<string, Record<string, string> & string>;
    expect(event["name"]).toBe("Layering jacket");
    expect(event["email"]).toMatch(/^enc1:/);
    expect(event["nested"]!["phone"]).toMatch(/^enc1:/);
    expect(event["traits"]!["name"]).toMatch(/^enc1:/);
    expect(event["traits"]!["plan"]).toBe("pro");
    const traits = JSON.parse(sealer.sealJsonText('{"name":"Grace","country":"GB"}', true)) as Record<
      string,
      string
    >;
    expect(traits["name"]).toMatch(/^enc1:/);
    expect(traits["country"]).toBe("GB");
    expect(sealer.sealJsonText('{"path":"/pricing"}')).toBe('{"path":"/pricing"}');
  });
});

describe("a database", () => {
  it("holds none of the demo customers' addresses or names in plain text, and finds them by email", async () => {
    t = demoDb();
    const customers = t.db.sqlite
      .prepare(
        "SELECT id, lift_email(email) AS email, lift_traits(traits, email) AS traits FROM customers LIMIT 50",
      )
      .all() as { id: string; email: string; traits: string }[];
    expect(customers.length).toBe(50);
    t.db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const file = readFileSync(t.path);
    const plain = customers.map((c) => c.email).filter((email) => file.includes(email));
    expect(plain).toEqual([]);
    // By email, any case, through the blind index (the index is used: no scan of customers).
    const page = await t.platform.answer(`customer ${customers[7]!.email.toUpperCase()}`, {
      userId: "U0ADMIN",
    });
    expect(page.title).toContain(customers[7]!.id);
    const plan = t.db.sqlite
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM customers WHERE email_index = ?")
      .all("x") as { detail: string }[];
    expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING INDEX customers_email_index/);
  });

  it("made before sealing is sealed once at start, its lookups rebuilt", async () => {
    t = emptyDb();
    await t.platform.ingest.write("customers", [
      { id: "c1", email: "Old@Example.com", name: "Olga", plan: "pro", updated_at: "2026-11-01T00:00:00Z" },
    ]);
    // As a database from the version before sealing holds it: plain, with no blind index.
    t.db.sqlite
      .prepare("UPDATE customers SET email = ?, email_index = NULL, traits = ? WHERE id = 'c1'")
      .run("Old@Example.com", '{"name":"Olga","plan":"pro"}');
    t.db.sqlite.prepare("DELETE FROM meta WHERE key = 'sealed_with'").run();
    expect(await t.core.sealStored()).toBe(true);
    const row = t.db.sqlite.prepare("SELECT email, email_index, traits FROM customers").get() as Record<
      string,
      string
    >;
    // The email and the personal traits sealed as one value; the rest of the traits plain.
    expect(row["email"]).toMatch(/^enc1:/);
    expect(JSON.parse(row["traits"]!)).toEqual({ plan: "pro" });
    expect(
      JSON.parse(
        t.db.sqlite.prepare("SELECT lift_traits(traits, email) FROM customers").pluck().get() as string,
      ),
    ).toEqual({ name: "Olga", plan: "pro" });
    expect(row["email_index"]).toBe(t.db.sealer.blind("email", "old@example.com"));
    expect((await t.platform.answer("customer old@example.com", { userId: "U0ADMIN" })).title).toContain(
      "c1",
    );
    // Once: the next start finds it done.
    expect(await t.core.sealStored()).toBe(false);
  });

  it("rotates its data key: everything sealed again, the old key dropped, another connection follows", async () => {
    t = demoDb();
    const before = t.db.sealer.keyId;
    const sample = () =>
      t!.db.sqlite
        .prepare("SELECT email FROM customers WHERE email IS NOT NULL LIMIT 1")
        .pluck()
        .get() as string;
    expect(sample().startsWith(`enc1:${before}:`)).toBe(true);
    // A second connection (another process) opened with the old key.
    const other = openDatabase(t.path, { migrate: false });
    try {
      const { code, out } = await runLift(t, ["privacy", "rotate-key"]);
      expect(code).toBe(0);
      expect(out).toMatch(
        /^Every personal value is sealed under key [0-9a-f]{8} \([\d,]+ rows sealed again\)\.\n/,
      );
      const after = t.db.sealer.keyId;
      expect(after).not.toBe(before);
      expect(sample().startsWith(`enc1:${after}:`)).toBe(true);
      const keyFile = join(dirname(t.path), "lift-data.key");
      expect(readFileSync(keyFile, "utf8").trim().split("\n")).toHaveLength(1);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      // The other connection reads the new key from the file when it meets a value sealed with it.
      const email = other.sqlite
        .prepare("SELECT lift_email(email) FROM customers LIMIT 1")
        .pluck()
        .get() as string;
      expect(email).toMatch(/@/);
      expect(
        t.db.sqlite
          .prepare("SELECT count(*) FROM customers WHERE email NOT LIKE ?")
          .pluck()
          .get(`enc1:${after}:%`),
      ).toBe(0);
    } finally {
      other.close();
    }
  });

  it("with LIFT_DATA_KEY, rotates to its first key and says the old can go; one key is refused", async () => {
    const oldKey = key().toString("base64");
    const newKey = key().toString("base64");
    t = emptyDb({ env: { LIFT_DATA_KEY: oldKey } });
    await t.platform.ingest.write("customers", [{ id: "c1", email: "a@example.com" }]);
    const once = await runLift(t, ["privacy", "rotate-key"]);
    expect(once.code).toBe(1);
    expect(once.err).toContain("LIFT_DATA_KEY holds one key");
    expect(existsSync(join(dirname(t.path), "lift-data.key"))).toBe(false);
    t.db.close();
    t = reopenDb(t, { env: { LIFT_DATA_KEY: `${newKey},${oldKey}` } });
    const { code, out } = await runLift(t, ["privacy", "rotate-key"]);
    expect(code).toBe(0);
    expect(out).toContain("The old keys can go from LIFT_DATA_KEY now: keep only the first.");
    t.db.close();
    t = reopenDb(t, { env: { LIFT_DATA_KEY: newKey } });
    expect(t.db.sqlite.prepare("SELECT lift_email(email) FROM customers").pluck().get()).toBe(
      "a@example.com",
    );
  });
});
