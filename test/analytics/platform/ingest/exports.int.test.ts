import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importExitCode } from "../../../../bot/cli/data.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";

/*
 * The fixtures in test/fixtures/exports/ are written by hand in each
 * platform's documented column layout:
 * - shopify-orders.csv: Shopify Help Center, "Exporting orders" (Orders ›
 *   Export): one row per line item, the order's fields on its first row only;
 *   `Name` is the order number, `Created at` is "2026-11-02 10:15:00 -0500".
 * - woocommerce-analytics-orders.csv: WooCommerce docs, "Analytics › Orders"
 *   download (Date, Order #, Status, Customer, Customer type, Product(s),
 *   Items sold, Coupon(s), Net Sales, Attribution).
 * - woocommerce-orders.csv: the order_* / billing_* columns of WooCommerce's
 *   order export plugins (statuses written wc-completed).
 * - stripe-payments.csv: Stripe Dashboard › Payments › Export, default
 *   columns ("Created date (UTC)", amounts in major units, lower-case currency).
 */
const FIXTURES = join(import.meta.dirname, "../../../fixtures/exports");

let t: TestDb;
afterEach(() => t?.cleanup());

const orders = (db: TestDb) =>
  db.db.sqlite
    .prepare(
      "SELECT id, customer_id AS customer, amount_minor AS amount, timestamp AS ts FROM orders ORDER BY id",
    )
    .all() as { id: string; customer: string | null; amount: number; ts: number }[];

describe("imports of platform exports", () => {
  it("reads a Shopify orders export: line items folded into their order, refunded orders left out", async () => {
    t = emptyDb();
    const summary = await t.core.importFile({ kind: "orders", path: join(FIXTURES, "shopify-orders.csv") });
    expect(summary).toMatchObject({
      profile: "Shopify orders export",
      rows: 6,
      accepted: 2,
      continuationRows: 3,
      rejectedCount: 1,
    });
    expect(summary.rejections).toEqual([
      { row: 3, reason: "status refunded: not a completed order (left out of orders and revenue)" },
    ]);
    expect(orders(t)).toEqual([
      // "2026-11-02 10:15:00 -0500" is 15:15 UTC.
      { id: "#1001", customer: "ana@example.com", amount: 6332, ts: Date.UTC(2026, 10, 2, 15, 15) },
      { id: "#1003", customer: "cleo@example.com", amount: 129900, ts: Date.UTC(2026, 10, 3, 12, 44, 30) },
    ]);
    expect(importExitCode(summary)).toBe(3);
  });

  it("reads WooCommerce's Analytics orders download: net sales, completed and processing orders only", async () => {
    t = emptyDb({ timeZone: "UTC" });
    const path = join(FIXTURES, "woocommerce-analytics-orders.csv");
    const summary = await t.core.importFile({ kind: "orders", path });
    expect(summary).toMatchObject({
      profile: "WooCommerce Analytics orders export",
      accepted: 2,
      rejectedCount: 3,
    });
    expect(summary.rejections.map((r) => r.reason)).toEqual([
      "status Pending payment: not a completed order (left out of orders and revenue)",
      "status On hold: not a completed order (left out of orders and revenue)",
      "status Refunded: not a completed order (left out of orders and revenue)",
    ]);
    expect(orders(t)).toEqual([
      { id: "2041", customer: "Ana Ortiz", amount: 5400, ts: Date.UTC(2026, 10, 2, 10, 15) },
      { id: "2042", customer: "Ben Li", amount: 108000, ts: Date.UTC(2026, 10, 2, 11, 40) },
    ]);
  });

  it("reads a WooCommerce order export: the order number, not the internal id; the billing email as customer", async () => {
    t = emptyDb({ timeZone: "UTC", currency: "EUR" });
    const summary = await t.core.importFile({
      kind: "orders",
      path: join(FIXTURES, "woocommerce-orders.csv"),
    });
    expect(summary).toMatchObject({ profile: "WooCommerce order export", accepted: 2, rejectedCount: 1 });
    expect(summary.rejections[0]!.reason).toContain("status wc-failed");
    expect(orders(t)).toEqual([
      { id: "3101", customer: "ana@example.com", amount: 4205, ts: Date.UTC(2026, 10, 2, 9, 12, 44) },
      { id: "3103", customer: "ben@example.com", amount: 12000, ts: Date.UTC(2026, 10, 3, 8, 1, 15) },
    ]);
  });

  it("reads a Stripe payments export: times in its (UTC) column as UTC, failed and refunded payments left out", async () => {
    // A reporting zone far from UTC: a naive "Created date (UTC)" read as local time would be 8 hours off.
    t = emptyDb({ timeZone: "America/Los_Angeles" });
    const summary = await t.core.importFile({ kind: "orders", path: join(FIXTURES, "stripe-payments.csv") });
    expect(summary).toMatchObject({ profile: "Stripe payments export", accepted: 2, rejectedCount: 2 });
    expect(orders(t)).toEqual([
      {
        id: "ch_3QaB1cD2eF3gH4iJ0kLmN0pQ",
        customer: "cus_R1a2B3c4",
        amount: 4900,
        ts: Date.UTC(2026, 10, 2, 23, 30, 12),
      },
      {
        id: "py_3QaB1cD2eF3gH4iJ0kLmN3pQ",
        customer: "cus_R1a2B3c7",
        amount: 12000,
        ts: Date.UTC(2026, 10, 3, 14, 45),
      },
    ]);
    // 23:30 UTC on Nov 2 is 15:30 in Los Angeles: still Nov 2 there.
    expect(t.db.sqlite.prepare("SELECT day FROM orders ORDER BY id").pluck().all()).toEqual([
      "2026-11-02",
      "2026-11-03",
    ]);
  });
});

describe("customers without an id", () => {
  it("are keyed by their email (lower case), as a newsletter list or an older Shopify export has them", async () => {
    t = emptyDb({ timeZone: "UTC" });
    const path = join(t.dir, "customers.csv");
    writeFileSync(
      path,
      "First Name,Last Name,Email,Created (UTC)\nAna,Ortiz,Ana@Example.com,2026-11-02 10:00\nNo,Email,,2026-11-02\n",
    );
    const summary = await t.core.importFile({ kind: "customers", path });
    expect(summary).toMatchObject({ accepted: 1, rejectedCount: 1 });
    expect(summary.rejections[0]!.reason).toBe("id is missing");
    expect(
      t.db.sqlite
        .prepare("SELECT id, lift_email(email) AS email, first_seen AS firstSeen FROM customers")
        .all(),
    ).toEqual([{ id: "ana@example.com", email: "Ana@Example.com", firstSeen: Date.UTC(2026, 10, 2, 10) }]);
  });
});

describe("separators", () => {
  const SEMICOLONS = "Bestellnummer;Umsatz;Datum\nB-1;10.00;2026-11-02\nB-2;12.50;2026-11-03\n";

  it("finds a semicolon-separated file's separator from its header", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, SEMICOLONS);
    const summary = await t.core.importFile({
      kind: "orders",
      path,
      map: { Bestellnummer: "id", Umsatz: "amount", Datum: "timestamp" },
    });
    expect(summary).toMatchObject({ delimiter: ";", accepted: 2, rejectedCount: 0 });
    expect(importExitCode(summary)).toBe(0);
  });

  it("reads tab and pipe separated files, and a comma inside quotes is not a separator", async () => {
    t = emptyDb();
    const tabs = join(t.dir, "orders.txt");
    writeFileSync(tabs, "id\tamount\tdate\nT-1\t1,234.50\t2026-11-02\n");
    expect(await t.core.importFile({ kind: "orders", path: tabs })).toMatchObject({
      delimiter: "\t",
      accepted: 1,
    });
    const pipes = join(t.dir, "pipes.csv");
    writeFileSync(pipes, '"id, the order"|amount|date\nP-1|3.00|2026-11-02\n');
    expect(
      await t.core.importFile({ kind: "orders", path: pipes, map: { "id, the order": "id" } }),
    ).toMatchObject({ delimiter: "|", accepted: 1 });
  });

  it("says a file looks semicolon-separated when --delimiter , makes its header one column", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, SEMICOLONS);
    await expect(t.core.importFile({ kind: "orders", path, delimiter: "," })).rejects.toMatchObject({
      message: expect.stringContaining("looks like a semicolon-separated file"),
      hint: expect.stringContaining("--delimiter ';'"),
    });
    expect(t.db.sqlite.prepare("SELECT count(*) FROM orders").pluck().get()).toBe(0);
  });
});

describe("exit codes", () => {
  const summary = (accepted: number, rejectedCount: number, extra = {}) =>
    ({ accepted, updated: 0, duplicates: 0, stale: 0, rejectedCount, stopped: false, ...extra }) as never;

  it("are 0 with every row in, 3 with some rows rejected and the rest in, 1 with nothing in", () => {
    expect(importExitCode(summary(20, 0))).toBe(0);
    expect(importExitCode(summary(18, 2))).toBe(3);
    expect(importExitCode(summary(0, 20))).toBe(1);
    // Duplicates of stored rows are in.
    expect(importExitCode({ ...(summary(0, 2) as object), duplicates: 18 } as never)).toBe(3);
    expect(importExitCode(summary(10, 0, { stopped: true }))).toBe(1);
  });
});
