import { afterEach, describe, expect, it } from "vitest";
import { maskEmail } from "../../../../analytics/platform/customers/page.ts";
import { emptyDb, type TestDb, withTestCapability } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const NOW = Date.parse("2026-11-23T12:00:00Z");
const ask = (text: string) => t.platform.registries.commands.run(text, { userId: "U1" });

async function shop() {
  await t.core.ingest("customers", [
    { id: "c1", email: "Ana@Example.com", first_seen: "2026-10-01T08:00:00Z" },
    { id: "c2", first_seen: "2026-10-02T08:00:00Z" },
  ]);
  await t.core.ingest("orders", [
    { id: "o1", customer_id: "c1", amount: "40.00", timestamp: "2026-11-01T10:00:00Z", channel: "email" },
    { id: "o2", customer_id: "c1", amount: "60.00", timestamp: "2026-11-20T10:00:00Z", channel: "email" },
    { id: "o3", customer_id: "c1", amount: "25.50", timestamp: "2026-11-21T10:00:00Z", channel: "organic" },
  ]);
  await t.core.ingestEvents([
    ...["Product Viewed", "Product Viewed", "Product Added"].map((event, i) => ({
      type: "track",
      event,
      userId: "c1",
      messageId: `m${i}`,
      timestamp: `2026-11-22T0${i}:00:00Z`,
    })),
    {
      type: "track",
      event: "Experiment Viewed",
      userId: "c1",
      messageId: "x1",
      timestamp: "2026-11-10T09:00:00Z",
      properties: { experiment_id: "hero", variation_id: "treatment" },
    },
  ]);
}

describe("the customer page", () => {
  it("shows a customer's orders and activity, and what each capability knows of them", async () => {
    t = emptyDb({ now: () => NOW, timeZone: "UTC" });
    await shop();
    await ask("segment create big spenders where revenue >= 100");
    const page = await ask("customer ana@example.com");
    expect(page.title).toBe("Customer c1");
    // Hand-checked against the rows above: 3 orders, $40 + $60 + $25.50.
    expect(page.summary).toBe("3 orders worth $125.50 since Nov 1, 2026, mostly through Email.");
    expect(Object.fromEntries(page.facts.map((f) => [f.label, f.value]))).toEqual({
      Orders: "3",
      Revenue: "$125.50",
      "Last order": "Nov 21, 2026",
      "First seen": "Oct 1, 2026",
      "Last seen": "Nov 22, 2026",
      Events: "4",
    });
    expect(page.scope).toBe("A••@Example.com · days in UTC");
    expect(page.table!.rows.map((row) => row[0])).toEqual(["o3", "o2", "o1"]);
    expect(page.details).toEqual([
      "Most frequent events: Product Viewed (2), Experiment Viewed (1), Product Added (1)",
      "*Segments*",
      "In big spenders",
      "*Experiments*",
      "hero: treatment, since Nov 10, 2026",
    ]);
    expect(JSON.stringify(page)).not.toContain("Ana@Example.com");
  });

  it("says when there is no such customer, and a customer with no orders has none", async () => {
    t = emptyDb({ now: () => NOW, timeZone: "UTC" });
    await shop();
    await expect(ask("customer nobody@example.com")).rejects.toThrow(
      "There is no customer “nobody@example.com”",
    );
    await expect(ask("customer")).rejects.toThrow("Which customer?");
    const quiet = await ask("customer c2");
    expect(quiet.summary).toBe("No orders yet; first seen Oct 2, 2026.");
    expect(quiet.table).toBeUndefined();
  });

  it("turns a section that fails into one line, and shows the others", async () => {
    t = emptyDb({
      now: () => NOW,
      timeZone: "UTC",
      capabilities: withTestCapability({
        customerSections: [
          { id: "broken", order: 1, title: "Broken", build: () => Promise.reject(new Error("boom")) },
        ],
      }),
    });
    await shop();
    const page = await ask("customer c1");
    expect(page.warnings).toEqual(["Broken: could not be read this time (logged)."]);
    expect(page.details).toContain("*Experiments*");
  });

  it("masks emails to their first letter and domain", () => {
    expect(maskEmail("ana@example.com")).toBe("a••@example.com");
    expect(maskEmail("nonsense")).toBe("•••");
  });
});
