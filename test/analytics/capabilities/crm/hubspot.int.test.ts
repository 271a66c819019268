import { afterEach, describe, expect, it } from "vitest";
import { automationsApi } from "../../../../analytics/capabilities/automations/index.ts";
import { crmApi } from "../../../../analytics/capabilities/crm/index.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";
import { buyers } from "../../../support/buyers.ts";
import { runLift } from "../../../support/cli.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import { FakeHubSpot } from "../../../support/fake-hubspot.ts";

/*
 * HubSpot both ways against a loopback server speaking its v3 wire format (test/support/
 * fake-hubspot.ts): contacts, companies and deals paged to the end, then searched by modified
 * date; a pull killed half-way resumed with nothing doubled; a segment synced as a static list
 * in batches of 100, a second sync writing nothing, ten membership changes costing two calls;
 * 207 partial failures, 429 waited out, a refused token said plainly; deal revenue only when
 * a question asks for it; a person erased.
 */

let t: TestDb;
let hubspot: FakeHubSpot;
const now = Date.parse("2026-11-24T15:00:00Z");
let waits: number[] = [];

afterEach(async () => {
  await hubspot?.stop();
  t?.cleanup();
});

async function setUp(env: Record<string, string> = {}) {
  hubspot = await new FakeHubSpot().start();
  t = emptyDb({
    now: () => now,
    timeZone: "UTC",
    currency: "USD",
    env: {
      HUBSPOT_TOKEN: hubspot.token,
      HUBSPOT_BASE_URL: hubspot.url,
      HUBSPOT_MIN_INTERVAL_MS: "0",
      LIFT_HASH_KEY: Buffer.alloc(32, 7).toString("base64"),
      ...env,
    },
  });
  waits = [];
  crmApi.of(t.platform).core.sleep = async (ms) => {
    waits.push(ms);
  };
}

const ask = (text: string, userId = "U0ADMIN"): Promise<Report> =>
  t.platform.registries.commands.run(text, { userId, channelId: "C0OWNER" });

const shopCustomers = (n: number, from = 0) => buyers(t.platform, n, from);

const count = (sql: string) => (t.db.sqlite.prepare(sql).get() as { n: number }).n;
const customerCount = () =>
  (t.db.sqlite.prepare("SELECT count(*) AS n FROM customers").get() as { n: number }).n;

describe("HubSpot in", () => {
  it("pages contacts, companies and deals to the end, merges contacts by email, keeps deals apart", async () => {
    await setUp();
    await shopCustomers(1);
    hubspot.add(
      "contacts",
      Array.from({ length: 250 }, (_, i) => ({
        email: i === 0 ? "BUYER0@example.com" : `lead${i}@example.org`,
        firstname: `Lead${i}`,
        lastname: "Smith",
        lifecyclestage: i % 2 ? "lead" : "customer",
        hs_analytics_source: i % 3 ? "PAID_SEARCH" : "ORGANIC_SEARCH",
      })),
    );
    hubspot.add("contacts", [{ email: null, firstname: "No email" }]);
    hubspot.add("companies", [{ name: "Acme", domain: "acme.test", industry: "RETAIL" }]);
    const [first] = hubspot.objects["contacts"]!;
    hubspot.add("deals", [
      {
        dealname: "Acme renewal",
        dealstage: "closedwon",
        hs_is_closed_won: "true",
        amount: "1200.50",
        deal_currency_code: "USD",
        closedate: "2026-11-20T10:00:00Z",
        contacts: [first!.id],
      },
      {
        dealname: "Open pipeline",
        dealstage: "qualifiedtobuy",
        hs_is_closed_won: "false",
        amount: "500",
        closedate: "2026-12-20T10:00:00Z",
      },
      {
        dealname: "Euro deal",
        dealstage: "closedwon",
        hs_is_closed_won: "true",
        amount: "300",
        deal_currency_code: "EUR",
        closedate: "2026-11-21T10:00:00Z",
      },
    ]);

    const pulled = await ask("crm pull hubspot");
    expect(pulled.summary).toContain("250 contacts, 1 companies, 2 deals pulled");
    expect(pulled.summary).toContain("1 without email left out");
    expect(pulled.summary).toContain("currency EUR differs from the reporting currency USD");
    // Pages of 100 to the end: 3 for contacts, 1 each for companies and deals.
    expect(hubspot.calls("GET", /^\/crm\/v3\/objects\/contacts$/)).toBe(3);
    // Listed deals come with their contacts: no batch read of associations.
    expect(hubspot.calls("POST", /^\/crm\/v4\/associations/)).toBe(0);
    // The one with a shop account is merged into it (email compared without case), not doubled.
    expect(customerCount()).toBe(250);
    const merged = t.db.sqlite
      .prepare("SELECT id, lift_traits(traits, email) AS traits FROM customers WHERE id = 'c0'")
      .get() as {
      traits: string;
    };
    expect(JSON.parse(merged.traits)).toMatchObject({
      plan: "pro",
      crm: "hubspot",
      crm_source: "ORGANIC_SEARCH",
      // The CRM's name (changed there since) is written over the shop's; the shop's traits stay.
      first_name: "Lead0",
    });
    const deal = t.db.sqlite.prepare("SELECT * FROM crm_deals WHERE name = 'Acme renewal'").get() as Record<
      string,
      unknown
    >;
    expect(deal).toMatchObject({ won: 1, amount_minor: 120050, close_day: "2026-11-20", customer_id: "c0" });

    const status = await ask("crm");
    expect(status.details!.join("\n")).toContain(
      "250 contacts linked (0 made by Lift), 1 company, 2 deals (1 closed-won, $1,200.50)",
    );
    expect(status.details!.join("\n")).toMatch(
      /Contacts by source: PAID_SEARCH 166 \(0 ordered\), ORGANIC_SEARCH 84 \(1 ordered\)/,
    );
    // A deal changed since is searched for, and its contact read in one batch call.
    const acme = hubspot.objects["deals"]!.find((d) => d.properties["dealname"] === "Acme renewal")!;
    hubspot.edit("deals", acme.id, { amount: "1300.00" }, Date.parse("2026-11-22T09:00:00Z"));
    await ask("crm pull hubspot");
    expect(hubspot.calls("POST", /^\/crm\/v4\/associations\/deals\/contacts\/batch\/read$/)).toBe(1);
    expect(
      t.db.sqlite
        .prepare("SELECT amount_minor, customer_id FROM crm_deals WHERE name = 'Acme renewal'")
        .get(),
    ).toEqual({
      amount_minor: 130000,
      customer_id: "c0",
    });
  });

  it("pulls incrementally by modified date, and a pull killed half-way resumes with nothing doubled", async () => {
    await setUp();
    hubspot.add(
      "contacts",
      Array.from({ length: 250 }, (_, i) => ({ email: `p${i}@example.org` })),
    );
    hubspot.breakAfterPages = 1;
    await expect(ask("crm pull hubspot")).rejects.toThrow(/HubSpot answered 502/);
    expect(customerCount()).toBe(100);
    expect((await ask("crm")).warnings.join(" ")).toContain("HubSpot answered 502");

    hubspot.breakAfterPages = null;
    hubspot.log.length = 0;
    await ask("crm pull hubspot");
    // It resumed at the second page, and the first is not read again.
    const reads = hubspot.log.filter((l) => l.path === "/crm/v3/objects/contacts");
    expect(reads).toHaveLength(2);
    expect(customerCount()).toBe(250);
    expect((t.db.sqlite.prepare("SELECT count(*) AS n FROM crm_contacts").get() as { n: number }).n).toBe(
      250,
    );

    // Next pull: a search for what changed since the last one.
    hubspot.edit(
      "contacts",
      hubspot.objects["contacts"]![7]!.id,
      { firstname: "Renamed" },
      Date.parse("2026-11-23T09:00:00Z"),
    );
    hubspot.log.length = 0;
    const again = await ask("crm pull hubspot");
    expect(hubspot.calls("GET", /^\/crm\/v3\/objects\/contacts$/)).toBe(0);
    expect(hubspot.calls("POST", /^\/crm\/v3\/objects\/contacts\/search$/)).toBe(1);
    expect(again.summary).toMatch(/^HubSpot: 2 contacts/); // the changed one, and the last of the previous pull (≥ its mark)
    const renamed = t.db.sqlite
      .prepare("SELECT lift_traits(traits, email) AS traits FROM customers WHERE id = 'p7@example.org'")
      .get() as {
      traits: string;
    };
    expect(JSON.parse(renamed.traits).first_name).toBe("Renamed");
    expect(customerCount()).toBe(250);
  });

  it("starts a search again from the latest modified date before HubSpot's 10,000-result limit", async () => {
    await setUp();
    const contacts = hubspot.add(
      "contacts",
      Array.from({ length: 10_150 }, (_, i) => ({ email: `s${i}@example.org` })),
    );
    await ask("crm pull hubspot");
    // Every contact changed since (a bulk import in HubSpot): more than one search can page through.
    const from = Date.parse("2026-11-20T00:00:00Z");
    for (const [i, c] of contacts.entries())
      hubspot.edit("contacts", c.id, { lifecyclestage: "customer" }, from + i * 1000);
    hubspot.log.length = 0;
    const again = await ask("crm pull hubspot");
    const searches = hubspot.log.filter((l) => l.path === "/crm/v3/objects/contacts/search");
    expect(searches.every((l) => l.status === 200)).toBe(true);
    // 100 pages to the limit, then again from the 10,000th's date: its page once more, and the rest.
    expect(searches).toHaveLength(100 + 2);
    expect((searches[100]!.body as { after?: string }).after).toBeUndefined();
    expect(again.summary).toMatch(/^HubSpot: 10,151 contacts/);
    expect(
      count("SELECT count(*) AS n FROM customers WHERE json_extract(traits, '$.crm_stage') = 'customer'"),
    ).toBe(10_150);
  }, 60_000);
});

describe("HubSpot out", () => {
  it("syncs a segment as a static list: 100 a call, nothing the second time, only the changes after", async () => {
    await setUp();
    await shopCustomers(250);
    await ask('segment create testers where plan = "pro"');

    const plan = await ask('crm sync "testers" to hubspot');
    expect(plan.title).toBe("Sync testers to HubSpot?");
    expect(plan.facts.map((f) => [f.label, f.value])).toEqual([
      ["In the segment", "250"],
      ["To add", "250"],
      ["To remove", "0"],
      ["Records to write", "250"],
    ]);
    expect(hubspot.log).toHaveLength(0);
    expect(plan.actions[0]!.command).toBe('crm sync "testers" to hubspot as list "Lift: testers" confirmed');

    const done = await ask(plan.actions[0]!.command);
    expect(done.facts.map((f) => f.value)).toEqual(["250", "250", "0", "0"]);
    expect(hubspot.calls("POST", /batch\/upsert$/)).toBe(3);
    expect(hubspot.calls("POST", /properties\/contacts\/batch\/create$/)).toBe(1);
    const list = [...hubspot.lists.values()][0]!;
    expect(list.name).toBe("Lift: testers");
    expect(list.members.size).toBe(250);
    const contact = hubspot.objects["contacts"]!.find((c) => c.properties["email"] === "buyer3@example.com")!;
    expect(contact.properties).toMatchObject({ firstname: "Buyer3", lift_email_opt_out: "false" });
    expect(contact.properties["lift_rfm_segment"]).toBeTruthy();

    // Nothing changed: no write at all.
    hubspot.log.length = 0;
    const second = await ask('crm sync "testers" to hubspot confirmed');
    expect(second.facts.map((f) => f.value)).toEqual(["0", "0", "0", "0"]);
    expect(hubspot.log.filter((l) => l.method !== "GET")).toHaveLength(0);

    // Ten leave the segment and ten join: one upsert (the ten new) and one membership call.
    t.db.sqlite
      .prepare(
        "UPDATE customers SET traits = json_set(traits, '$.plan', 'free') WHERE id IN (SELECT id FROM customers ORDER BY id LIMIT 10)",
      )
      .run();
    await shopCustomers(10, 1000);
    await ask("segment recompute");
    hubspot.log.length = 0;
    const third = await ask('crm sync "testers" to hubspot confirmed');
    expect(third.facts.map((f) => f.value)).toEqual(["10", "10", "10", "0"]);
    expect(hubspot.log.filter((l) => l.method !== "GET").map((l) => `${l.method} ${l.path}`)).toEqual([
      "POST /crm/v3/objects/contacts/batch/upsert",
      `PUT /crm/v3/lists/${[...hubspot.lists.keys()][0]}/memberships/add-and-remove`,
    ]);
    expect(list.members.size).toBe(250);
    const audit = t.db.sqlite.prepare("SELECT action FROM audit_log WHERE action = 'crm.sync'").all();
    expect(audit).toHaveLength(3);
  });

  it("reports each record HubSpot refuses (207) by email and reason and keeps the rest", async () => {
    await setUp();
    await shopCustomers(5);
    await ask('segment create testers where plan = "pro"');
    hubspot.refuse.set(
      "buyer2@example.com",
      'Property values were not valid: [{"isValid":false,"message":"Email address buyer2@example.com is invalid"}]',
    );
    const done = await ask('crm sync "testers" to hubspot confirmed');
    expect(done.facts.map((f) => [f.label, f.value])).toContainEqual(["Refused", "1"]);
    expect(done.details).toEqual([
      'Refused: buyer2@example.com — Property values were not valid: [{"isValid":false,"message":"Email address buyer2@example.com is invalid"}]',
    ]);
    expect([...hubspot.lists.values()][0]!.members.size).toBe(4);
    expect((await ask("crm")).details!.join("\n")).toContain(
      "buyer2@example.com — Property values were not valid",
    );
    // The refused one is tried again next time; the four are not.
    hubspot.refuse.clear();
    hubspot.log.length = 0;
    const again = await ask('crm sync "testers" to hubspot confirmed');
    expect(again.facts.map((f) => f.value)).toEqual(["1", "1", "0", "0"]);
  });

  it("sends one record an email: a second customer with the same address is said, not sent", async () => {
    await setUp();
    await shopCustomers(3);
    await buyers(t.platform, 1, 900, { email: "buyer1@example.com" });
    await ask('segment create testers where plan = "pro"');
    const done = await ask('crm sync "testers" to hubspot confirmed');
    expect(done.facts.map((f) => f.value)).toEqual(["3", "3", "0", "1"]);
    expect(done.details).toEqual([
      "Refused: buyer1@example.com — another customer in the segment has this email address",
    ]);
    expect(hubspot.objects["contacts"]).toHaveLength(3);
  });

  it("waits out 429s by Retry-After or HubSpot's rate-limit headers, and never fails the sync for them", async () => {
    await setUp();
    await shopCustomers(3);
    await ask('segment create testers where plan = "pro"');
    hubspot.rateLimit = { times: 2, headers: { "retry-after": "2" } };
    await ask('crm sync "testers" to hubspot confirmed');
    hubspot.rateLimit = {
      times: 1,
      headers: {
        "x-hubspot-ratelimit-interval-milliseconds": "10000",
        "x-hubspot-ratelimit-remaining": "0",
        "x-hubspot-ratelimit-max": "100",
      },
    };
    await ask("crm pull hubspot");
    expect(waits).toEqual([2000, 2000, 10_000]);
    expect([...hubspot.lists.values()][0]!.members.size).toBe(3);
  });

  it("stops a sync whose rate limit outlasts the wait, and the next sync sends only what did not go", async () => {
    await setUp({ LIFT_CRM_MAX_WAIT_SECONDS: "5" });
    await shopCustomers(250);
    await ask('segment create testers where plan = "pro"');
    // The properties read and made, two upserts, then 429s that ask for a minute each.
    hubspot.rateLimit = { after: 4, times: 3, headers: { "retry-after": "60" } };
    await expect(ask('crm sync "testers" to hubspot confirmed')).rejects.toThrow(/HubSpot rate limit \(429/);
    expect((await ask("crm")).details![0]).toMatch(/^HubSpot: failing, next try in 1 min;/);
    expect(hubspot.calls("POST", /batch\/upsert$/)).toBe(2);
    hubspot.rateLimit = { times: 0, headers: {} };
    hubspot.log.length = 0;
    const resumed = await ask('crm sync "testers" to hubspot confirmed');
    expect(resumed.facts.map((f) => f.value)).toEqual(["50", "250", "0", "0"]);
    expect(hubspot.calls("POST", /batch\/upsert$/)).toBe(1);
    expect([...hubspot.lists.values()][0]!.members.size).toBe(250);
  });

  it("says plainly when HubSpot refuses the token, and marks the connection", async () => {
    await setUp();
    hubspot.token = "another";
    await expect(ask("crm pull hubspot")).rejects.toThrow(
      /HubSpot refused the token \(401: Authentication credentials not found/,
    );
    const status = await ask("crm");
    expect(status.details![0]).toMatch(/^HubSpot: refused;/);
    expect(status.warnings[0]).toContain("check HUBSPOT_TOKEN");
  });
});

describe("HubSpot from the CLI", () => {
  it("pulls and pushes now with exit codes, and syncs at once when the CLI says so", async () => {
    await setUp();
    await shopCustomers(3);
    await ask('segment create testers where plan = "pro"');
    hubspot.add("contacts", [{ email: "new@example.org" }]);
    const pulled = await runLift(t, ["crm", "pull"]);
    expect(pulled).toMatchObject({ code: 0, err: "" });
    expect(pulled.out).toBe("HubSpot: 1 contact, 0 companies, 0 deals pulled in 3 pages.\n");
    const synced = await runLift(t, ["crm", "sync", "testers", "to", "hubspot"]);
    expect(synced.code).toBe(0);
    expect(synced.out).toContain("3 records written, 3 added to and 0 removed from “Lift: testers”");
    const pushed = await runLift(t, ["crm", "push", "hubspot"]);
    expect(pushed.out).toBe("0 records written, 0 added to and 0 removed from “Lift: testers” (0 calls).\n");
    hubspot.token = "revoked";
    const refused = await runLift(t, ["crm", "pull", "hubspot"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("HubSpot refused the token (401");
    expect((await runLift(t, ["crm", "pull", "salesforce"])).err).toContain("Salesforce is not connected");
  });
});

describe("HubSpot lists kept up to date", () => {
  it("brings every kept list up to date, and leaves one whose segment was deleted as it was", async () => {
    await setUp();
    await shopCustomers(4);
    await ask('segment create testers where plan = "pro"');
    await ask('segment create early where plan = "pro"');
    await ask('crm sync "testers" to hubspot confirmed');
    await ask('crm sync "early" to hubspot confirmed');
    await ask("segment delete early");
    await shopCustomers(1, 50);
    await ask("segment recompute");
    const results = await crmApi.of(t.platform).pushAll(null, "lift");
    expect(results.map((r) => [r.list, r.added])).toEqual([["Lift: testers", 1]]);
    expect([...hubspot.lists.values()].map((l) => [l.name, l.members.size])).toEqual([
      ["Lift: testers", 5],
      ["Lift: early", 4],
    ]);
  });
});

describe("HubSpot in questions", () => {
  it("reads a request to sync a segment as the sync's plan behind a Confirm, and status questions as `crm`", async () => {
    await setUp();
    await shopCustomers(3);
    await ask('segment create testers where plan = "pro"');
    const request = await ask("sync testers to hubspot");
    expect(request.kind).toBe("confirm");
    expect(request.actions[0]!.command).toBe('crm sync "testers" to hubspot');
    const plan = await ask(request.actions[0]!.command);
    expect(plan.title).toBe("Sync testers to HubSpot?");
    expect(hubspot.log).toHaveLength(0);
    // Salesforce is not connected here: Lift says it can't, with what it can do instead.
    const other = await ask("push the testers to salesforce");
    expect(other.title).toBe("Lift can't sync to Salesforce: it is not connected");
    expect(other.actions.map((a) => a.command)).toEqual(["segment export testers", "crm"]);
    expect((await ask("is hubspot connected?")).kind).toBe("crm-status");
  });
});

describe("HubSpot from automations", () => {
  it("adds the people an automation reaches to a CRM list, each once, in one call a pass", async () => {
    await setUp();
    await shopCustomers(6);
    await ask('segment create testers where plan = "pro"');
    await expect(
      ask('automation create vip-crm when customer enters segment "testers" add to crm list "VIP"'),
    ).rejects.toThrow("Say which CRM the list is in");
    const made = await ask(
      'automation create vip-crm when customer enters segment "testers" including current members add to crm list "VIP" in hubspot',
    );
    expect(made.summary).toContain("add to HubSpot list “VIP”");
    await ask("automation start vip-crm");
    const automations = automationsApi.of(t.platform);
    await automations.runNow(null);
    await automations.runNow(null);
    const list = [...hubspot.lists.values()].find((l) => l.name === "VIP")!;
    expect(list.members.size).toBe(6);
    expect(hubspot.calls("POST", /batch\/upsert$/)).toBe(1);
    expect(hubspot.calls("PUT", /add-and-remove$/)).toBe(1);
    const sends = t.db.sqlite
      .prepare("SELECT status, count(*) AS n FROM automation_sends GROUP BY status")
      .all();
    expect(sends).toEqual([{ status: "sent", n: 6 }]);
    // A later segment push leaves the automation's list alone.
    expect(await crmApi.of(t.platform).pushAll("hubspot", "cli")).toEqual([]);
  });
});

describe("deals in answers, and erasure", () => {
  it("leaves deals out of revenue and says what they would add; `including deals` adds them", async () => {
    await setUp();
    await shopCustomers(2);
    const [c] = hubspot.add("contacts", [{ email: "buyer0@example.com" }]);
    hubspot.add("deals", [
      {
        dealname: "Big one",
        dealstage: "closedwon",
        hs_is_closed_won: "true",
        amount: "48200",
        deal_currency_code: "USD",
        closedate: "2026-11-10T10:00:00Z",
        contacts: [c!.id],
      },
    ]);
    await ask("crm pull hubspot");
    const plain = await ask("kpi revenue 2026-11-01..2026-11-23");
    expect(plain.facts[0]!.value).toBe("$40.00");
    expect(plain.warnings.concat(plain.details ?? [], plain.lead ?? []).join(" ")).toContain(
      "Shop orders only: `… including deals` adds 1 closed-won deal, $48,200.00.",
    );
    const withDeals = await ask("kpi revenue 2026-11-01..2026-11-23 including deals");
    expect(withDeals.facts[0]!.value).toBe("$48,240.00");
  });

  it("erases a person in HubSpot (GDPR delete) and forgets their links", async () => {
    await setUp();
    await shopCustomers(2);
    hubspot.add("contacts", [{ email: "buyer1@example.com" }]);
    await ask("crm pull hubspot");
    const lines = await crmApi.of(t.platform).erase("buyer1@example.com");
    expect(lines).toEqual(["HubSpot: the contact permanently deleted (GDPR delete)"]);
    expect(hubspot.objects["contacts"]).toHaveLength(0);
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM crm_contacts").get()).toEqual({ n: 0 });
  });
});
