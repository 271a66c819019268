import { afterEach, describe, expect, it } from "vitest";
import { automationsApi } from "../../../../analytics/capabilities/automations/index.ts";
import { emailHash } from "../../../../analytics/capabilities/automations/signing.ts";
import { crmApi } from "../../../../analytics/capabilities/crm/index.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";
import { suppress } from "../../../../db/automations/suppressions.ts";
import { buyers } from "../../../support/buyers.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import { FakeSalesforce } from "../../../support/fake-salesforce.ts";

/*
 * Salesforce both ways against a loopback server speaking its REST wire format (test/support/
 * fake-salesforce.ts): client credentials and a renewed session, SOQL paged by nextRecordsUrl,
 * an expired query cursor restarted, Contacts and unconverted Leads in as customers,
 * closed-won Opportunities as deals; out, Lift's fields made through the Tooling API, upserts
 * by external id 200 a call with allOrNone false, a Campaign's members changed by difference,
 * opt-outs carried; the daily API limit said plainly; a person's Lift-made records deleted.
 */

let t: TestDb;
let sf: FakeSalesforce;
const now = Date.parse("2026-11-24T15:00:00Z");

afterEach(async () => {
  await sf?.stop();
  t?.cleanup();
});

async function setUp() {
  sf = await new FakeSalesforce().start();
  sf.pageSize = 50;
  t = emptyDb({
    now: () => now,
    timeZone: "UTC",
    currency: "USD",
    env: {
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.clientId,
      SALESFORCE_CLIENT_SECRET: sf.clientSecret,
      LIFT_HASH_KEY: Buffer.alloc(32, 7).toString("base64"),
    },
  });
  crmApi.of(t.platform).core.sleep = async () => {};
}

const ask = (text: string, userId = "U0ADMIN"): Promise<Report> =>
  t.platform.registries.commands.run(text, { userId, channelId: "C0OWNER" });

const shopCustomers = (n: number, from = 0) => buyers(t.platform, n, from, { last_name: "Jones" });

const count = (sql: string) => (t.db.sqlite.prepare(sql).get() as { n: number }).n;

describe("Salesforce in", () => {
  it("pulls Contacts, unconverted Leads, Accounts and Opportunities to the end of every query", async () => {
    await setUp();
    await shopCustomers(1);
    const contacts = sf.add(
      "Contact",
      Array.from({ length: 120 }, (_, i) => ({
        Email: i === 0 ? "Buyer0@Example.com" : `contact${i}@example.org`,
        FirstName: `C${i}`,
        LastName: "Doe",
        LeadSource: i % 2 ? "Web" : "Partner Referral",
      })),
    );
    sf.add("Lead", [
      {
        Email: "lead1@example.org",
        LastName: "Lee",
        Status: "Open - Not Contacted",
        IsConverted: false,
        LeadSource: "Web",
      },
      { Email: "converted@example.org", LastName: "Gone", Status: "Closed - Converted", IsConverted: true },
    ]);
    sf.add("Account", [{ Name: "Globex", Website: "https://globex.test/about", Industry: "Retail" }]);
    sf.add("Opportunity", [
      {
        Name: "Globex expansion",
        StageName: "Closed Won",
        Amount: 9800.5,
        CloseDate: "2026-11-18",
        IsWon: true,
        IsClosed: true,
        ContactId: contacts[1]!.Id,
        LeadSource: "Partner Referral",
      },
      {
        Name: "Lost one",
        StageName: "Closed Lost",
        Amount: 100,
        CloseDate: "2026-11-18",
        IsWon: false,
        IsClosed: true,
      },
    ]);

    const pulled = await ask("crm pull salesforce");
    expect(pulled.summary).toBe("Salesforce: 121 contacts, 1 companies, 2 deals pulled in 6 pages.");
    expect(sf.logins).toBe(1);
    expect(count("SELECT count(*) AS n FROM customers")).toBe(121);
    expect(
      JSON.parse(
        (
          t.db.sqlite
            .prepare("SELECT lift_traits(traits, email) AS traits FROM customers WHERE id = 'c0'")
            .get() as { traits: string }
        ).traits,
      ),
    ).toMatchObject({
      plan: "pro",
      crm: "salesforce",
      crm_source: "Partner Referral",
    });
    expect(
      t.db.sqlite
        .prepare(
          "SELECT name, won, amount_minor, close_day, channel, customer_id FROM crm_deals ORDER BY name",
        )
        .all(),
    ).toEqual([
      {
        name: "Globex expansion",
        won: 1,
        amount_minor: 980050,
        close_day: "2026-11-18",
        channel: "referral",
        customer_id: "contact1@example.org",
      },
      {
        name: "Lost one",
        won: 0,
        amount_minor: 10000,
        close_day: "2026-11-18",
        channel: "other",
        customer_id: null,
      },
    ]);
    expect(t.db.sqlite.prepare("SELECT domain FROM crm_companies").get()).toEqual({ domain: "globex.test" });
  });

  it("renews an expired session, and restarts a query whose cursor expired with nothing doubled", async () => {
    await setUp();
    sf.add(
      "Contact",
      Array.from({ length: 120 }, (_, i) => ({ Email: `p${i}@example.org`, LastName: "P" })),
    );
    sf.breakAfterPages = 1;
    await expect(ask("crm pull salesforce")).rejects.toThrow(/Salesforce answered 500/);
    expect(count("SELECT count(*) AS n FROM crm_contacts")).toBe(50);

    // Later: the session and the query cursor have both expired.
    sf.breakAfterPages = null;
    sf.expireSessions();
    sf.forgetLocators();
    await ask("crm pull salesforce");
    expect(sf.logins).toBe(2);
    expect(count("SELECT count(*) AS n FROM crm_contacts")).toBe(120);
    expect(count("SELECT count(*) AS n FROM customers")).toBe(120);
  });

  it("says plainly that the daily API limit is reached, and when it tries again", async () => {
    await setUp();
    sf.add("Contact", [{ Email: "a@example.org", LastName: "A" }]);
    await ask("crm pull salesforce");
    sf.overLimit = true;
    await expect(ask("crm pull salesforce")).rejects.toThrow(
      /Salesforce's daily API limit is reached \(REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded\.\)/,
    );
    const status = await ask("crm");
    expect(status.details![1]).toMatch(/^Salesforce: failing, next try in 1 h;/);
  });

  it("refuses wrong client credentials with what to check", async () => {
    await setUp();
    sf.clientSecret = "rotated";
    await expect(ask("crm pull salesforce")).rejects.toThrow(
      "Salesforce refused the client credentials (400 invalid_client: invalid client credentials); check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET",
    );
  });
});

describe("Salesforce out", () => {
  it("makes its fields, upserts 200 a call by external id, keeps a campaign's members by difference", async () => {
    await setUp();
    await shopCustomers(250);
    await ask('segment create testers where plan = "pro"');
    // Someone unsubscribed from Lift's email: their record carries the opt-out.
    const automations = automationsApi.of(t.platform).core;
    await suppress(
      automations.context.tables,
      emailHash(await automations.key(), "buyer7@example.com"),
      "unsubscribed",
      now,
    );
    sf.refuseEmails.set("buyer9@example.com", "Email: invalid email address: buyer9@example.com");

    const done = await ask('crm sync testers to salesforce as list "Q4 win-back" confirmed');
    expect(done.facts.map((f) => [f.label, f.value])).toEqual([
      ["Written", "249"],
      ["Added", "249"],
      ["Removed", "0"],
      ["Refused", "1"],
    ]);
    expect(done.details).toEqual([
      "Refused: buyer9@example.com — INVALID_EMAIL_ADDRESS: Email: invalid email address: buyer9@example.com",
    ]);
    expect(sf.calls("PATCH", /composite\/sobjects\/Contact\/Lift_Id__c$/)).toBe(2);
    expect(sf.calls("POST", /composite\/sobjects$/)).toBe(2);
    expect(sf.custom["Contact"]!.has("Lift_Id__c")).toBe(true);
    expect(sf.custom["Contact"]!.has("Lift_Rfm_Segment__c")).toBe(true);
    expect(sf.custom["Lead"]!.has("Lift_Cluster__c")).toBe(true);
    const [campaign] = sf.objects["Campaign"]!;
    expect(campaign!["Name"]).toBe("Q4 win-back");
    expect(sf.objects["CampaignMember"]).toHaveLength(249);
    const seven = sf.objects["Contact"]!.find((c) => c["Email"] === "buyer7@example.com")!;
    expect(seven).toMatchObject({
      HasOptedOutOfEmail: true,
      Lift_Id__c: "c7",
      LastName: "Jones",
      FirstName: "Buyer7",
    });

    sf.refuseEmails.clear();
    sf.log.length = 0;
    const again = await ask('crm sync testers to salesforce as list "Q4 win-back" confirmed');
    expect(again.facts.map((f) => f.value)).toEqual(["1", "1", "0", "0"]);

    // Ten leave: one delete call; no record is written again.
    t.db.sqlite
      .prepare(
        "UPDATE customers SET traits = json_set(traits, '$.plan', 'free') WHERE id IN ('c1','c2','c3','c4','c5','c6','c10','c11','c12','c13')",
      )
      .run();
    await ask("segment recompute");
    sf.log.length = 0;
    const third = await ask('crm sync testers to salesforce as list "Q4 win-back" confirmed');
    expect(third.facts.map((f) => f.value)).toEqual(["0", "0", "10", "0"]);
    expect(sf.log.filter((l) => l.method !== "GET").map((l) => `${l.method} ${l.path}`)).toEqual([
      "DELETE /services/data/v60.0/composite/sobjects",
    ]);
    expect(sf.objects["CampaignMember"]).toHaveLength(240);
  });

  it("erases a person: the records Lift made are deleted, others left to their owners", async () => {
    await setUp();
    await shopCustomers(3);
    await ask('segment create testers where plan = "pro"');
    sf.add("Contact", [{ Email: "buyer2@example.com", LastName: "Theirs" }]);
    await ask("crm pull salesforce");
    await ask("crm sync testers to salesforce confirmed");
    expect(await crmApi.of(t.platform).erase("buyer1@example.com")).toEqual([
      "Salesforce: 1 record Lift made deleted",
    ]);
    expect(sf.objects["Contact"]!.map((c) => c["Email"]).sort()).toEqual([
      "buyer0@example.com",
      "buyer2@example.com",
    ]);
    expect(await crmApi.of(t.platform).erase("c2")).toEqual([
      "Salesforce: 0 records Lift made deleted; 1 your team made left for them to erase",
    ]);
    expect(count("SELECT count(*) AS n FROM crm_contacts WHERE customer_id IN ('c1','c2')")).toBe(0);
  });
});
