import { afterEach, describe, expect, it } from "vitest";
import { simulateCustomer } from "../../../../analytics/capabilities/predict/simulate.ts";
import { addDays } from "../../../../analytics/platform/time/zone.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const ask = (text: string) => t.platform.registries.commands.run(text, { userId: "U0ADMIN" });

/** A year of orders from 1,500 customers who buy as BG/NBD says (simulate.ts), up to yesterday. */
async function plantShop() {
  const today = t.platform.today();
  let seed = 11;
  const next = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const model = { r: 0.8, alpha: 40, a: 1.2, b: 5, p: 6, q: 4, v: 30 };
  const rows: Record<string, unknown>[] = [];
  for (let k = 0; k < 1500; k++) {
    const bought = simulateCustomer(next, model, -Math.floor(next() * 365) - 1, -1);
    bought.days.forEach((offset, i) => {
      rows.push({
        id: `o-${k}-${i}`,
        customer_id: `c-${String(k).padStart(4, "0")}`,
        amount: bought.spend[i]!.toFixed(2),
        timestamp: `${addDays(today, offset)}T12:00:00Z`,
      });
    });
  }
  await t.platform.ingest.write("orders", rows);
}

describe("customer value and churn risk on the workspace", () => {
  it("fits on the shop's orders, checks itself on days held out, and answers clv and churn risk", async () => {
    t = emptyDb();
    await plantShop();
    const clv = await ask("clv");
    expect(clv.kind).toBe("clv");
    const data = clv.data as unknown as Record<string, unknown> & { holdout: Record<string, unknown> };
    expect(data).toMatchObject({ schema: "clv/1", trusted: true, customers: 1500, time_unit: "day" });
    for (const key of ["r", "alpha", "a", "b", "p", "q", "v", "log_likelihood"])
      expect(typeof data[key]).toBe("number");
    expect(data.holdout).toMatchObject({ days: 90 });
    expect(clv.summary).toMatch(/Checked on .* held out: it predicted [\d,]+ repeat purchases/);
    expect(clv.table!.columns.map((c) => c.label)).toEqual([
      "Repeat purchases before",
      "Customers",
      "Predicted in 90 days",
      "Actual",
    ]);

    const churn = await ask("churn risk");
    expect(churn.data).toMatchObject({ schema: "churn/1", method: "bg/nbd", trusted: true });
    const gone = (churn.data as unknown as { customers: number }).customers;
    expect(gone).toBeGreaterThan(0);
    // The list is the most valuable first, each under the line.
    const rows = churn.table!.rows;
    for (let i = 1; i < rows.length; i++)
      expect(rows[i - 1]![2]! as number).toBeGreaterThanOrEqual(rows[i]![2] as number);
    for (const row of rows) expect(row[4] as number).toBeLessThan(0.5);

    // The same customers as a segment rule, through the rule fields predictions add.
    const segment = await ask("segment create likely-gone where p_alive < 0.5 and orders >= 2");
    expect(segment.summary).toMatch(/customers now/);
    const size = Number(/([\d,]+) customers now/.exec(segment.summary)![1]!.replace(/,/g, ""));
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(gone + 5);

    // The 30-day purchase chance is a rule field too.
    const likely = await ask("segment create likely-buyers where p_buy_30d > 0.3");
    expect(likely.summary).toMatch(/customers now/);

    // The assistant panel suggests it once the kept fit can be trusted.
    expect((await t.core.suggestedPrompts()).map((p) => p.message)).toContain("churn risk");

    // The weekly digest names the repeat customers who slipped under a 50 % chance in the week.
    const digest = await t.platform.schedules.digestNow("weekly");
    expect(digest.summary).toMatch(
      /⚠️ [\d,]+ repeat customers? slipped under a 50% chance of buying again in the last 7 days \(\$[\d,.]+ spent so far\): `churn risk` lists them/,
    );

    // The customer page carries the prediction.
    await t.platform.ingest.write("customers", [{ id: "c-0001", email: "ana@example.com" }]);
    const page = await ask("customer c-0001");
    expect(JSON.stringify(page)).toMatch(/chance they still buy/);
  });

  it("streams every customer as CSV and answers as of a past day from the terminal", async () => {
    t = emptyDb();
    await plantShop();
    const csv = await runLift(t, ["predict", "clv", "--csv"]);
    const lines = csv.out.trim().split("\n");
    expect(lines[0]).toBe(
      "customer_id,purchase_days,first_order,last_order,revenue,p_alive,expected_orders_30d,expected_orders_90d,expected_orders_365d,expected_order_value,clv_12m,p_buy_30d",
    );
    expect(lines).toHaveLength(1501);
    const asOf = addDays(t.platform.today(), -31);
    const json = JSON.parse((await runLift(t, ["predict", "clv", "--as-of", asOf, "--json"])).out);
    expect(json.data).toMatchObject({ schema: "clv/1", as_of: asOf, holdout: { days: 30 } });
    expect(json.data.buy_30d).toMatchObject({ trusted: true });
    expect(json.data.buy_30d.auc).toBeGreaterThan(0.6);
    // A day that is not one, or not over yet, is said as such in Slack too (never read as a part of the customers).
    await expect(ask("clv as of 2026-13-01")).rejects.toThrow(/is not a day Lift can fit up to/);
    await expect(ask(`clv as of ${t.platform.today()}`)).rejects.toThrow(/must be a whole day past/);
    const bad = await runLift(t, ["predict", "clv", "--as-of", "yesterday-ish"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/is not a day Lift can fit up to/);
  });

  it("says it can't be trusted, and why, and shows RFM instead, on too little history", async () => {
    t = demoDb();
    const clv = await ask("clv");
    expect(clv.summary).toMatch(/^I can't give customer predictions you can trust here: /);
    expect(clv.title).toMatch(/RFM instead/);
    expect(clv.table!.columns[0]!.label).toBe("RFM segment");
    expect(clv.data).toMatchObject({
      schema: "clv/1",
      trusted: false,
      expected_orders_90d: null,
      clv_12m: null,
    });
    const churn = await ask("churn risk");
    expect(churn.data).toMatchObject({ schema: "churn/1", method: "rfm", trusted: false });
    // A rule on a prediction that cannot be trusted matches nobody rather than a guess.
    const segment = await ask("segment create gone where p_alive < 0.5");
    expect(segment.summary).toMatch(/^0 customers now/);
  });

  it("reads marketers' questions about value and churn as these answers, and refuses a breakdown it lacks", async () => {
    t = demoDb();
    expect((await ask("ask who is likely to churn?")).kind).toBe("churn");
    expect((await ask("ask what is a customer worth?")).kind).toBe("clv");
    const by = await ask("ask ltv by channel");
    expect(by.unanswered).toBe(true);
    expect(by.summary).toMatch(/can't break customer value down by channel/);
  });
});
