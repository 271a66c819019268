import { afterEach, describe, expect, it } from "vitest";
import { bufferIo, runCli } from "../../../../bot/cli/index.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";

/*
 * The questions a marketing manager typed into the console and the CLI that got a report about
 * something else, an unhelpful error, or an action turned into a report (issue 21), on the shared
 * demo workspace (seed 7, last day Nov 22, 2026, Europe/Berlin).
 */

let t: TestDb;
afterEach(() => t?.cleanup());
const ask = (text: string, userId = "U0ADMIN") => t.platform.registries.commands.run(text, { userId });
const sql = <T>(query: string, ...args: unknown[]) => t.db.sqlite.prepare(query).get(...args) as T;

describe("requests to act", () => {
  it("shows an action it can do with a Confirm button, and does nothing until it is pressed", async () => {
    t = demoDb();
    const read = await ask("set up a daily digest at 9am");
    expect(read.kind).toBe("confirm");
    expect(read.actions).toEqual([
      { id: "confirm", label: "Confirm", command: "subscribe digest daily 09:00", style: "primary" },
    ]);
    expect(await t.platform.schedules.list({ kind: "digest" })).toEqual([]);
    // The button runs the command it shows.
    await ask(read.actions[0]!.command);
    expect(await t.platform.schedules.list({ kind: "digest" })).toHaveLength(1);
    const alert = await ask("alert me if revenue drops below 3k a day");
    expect(alert.actions[0]!.command).toBe("alert revenue below 3000 daily");
    expect(await t.platform.schedules.list({ kind: "alert" })).toEqual([]);
  });

  it("says in one line what it cannot do, with what it can do instead, and never shows a report instead", async () => {
    t = demoDb();
    await ask("segment recompute");
    // Emailing a segment is an automation now: a draft to confirm, and nothing goes before it starts.
    const email = await ask("send the at-risk segment a win-back email");
    expect(email.kind).toBe("confirm");
    expect(email.actions[0]!.command).toBe(
      'automation create win-back-at-risk when customer enters segment "at risk" including current members send email win-back-1',
    );
    expect((await ask(email.actions[0]!.command)).summary).toContain("It is a draft");
    const discount = await ask("email the champions a discount code");
    expect(discount).toMatchObject({
      kind: "refusal",
      title: "Lift can't write a new email from a question (no template is about that)",
    });
    expect(discount.actions.map((a) => a.command)).toEqual(["templates", "segment champions"]);
    const crm = await ask("sync champions to hubspot");
    expect(crm.title).toBe("Lift can't sync to HubSpot: it is not connected");
    expect(crm.actions.map((a) => a.command)).toEqual(["segment export champions", "crm"]);
  });

  it("asks on a terminal before it acts, and says how to do it where it cannot ask", async () => {
    t = demoDb();
    const unattended = bufferIo();
    expect(
      await runCli(["run", "set up a daily digest at 9am"], {
        core: t.core,
        runner: t.core.runner(),
        io: unattended,
        serverUrl: "",
      }),
    ).toBe(0);
    expect(unattended.stdout).toContain('Not done. To do it: lift run "subscribe digest daily 09:00"');
    expect(await t.platform.schedules.list({ kind: "digest" })).toEqual([]);
    const yes = bufferIo("", true);
    expect(
      await runCli(["run", "set up a daily digest at 9am"], {
        core: t.core,
        runner: t.core.runner(),
        io: yes,
        serverUrl: "",
      }),
    ).toBe(0);
    expect(yes.stderr).toContain("Run `subscribe digest daily 09:00`?");
    expect(await t.platform.schedules.list({ kind: "digest" })).toHaveLength(1);
  });
});

describe("never a different question without saying so", () => {
  it("reads the pricing page test as that experiment, with its broken split", async () => {
    t = demoDb();
    const report = await ask("what does the pricing page test say");
    expect(report.title).toMatch(/pricing-page|Pricing page/);
    expect(report.kind).toBe("experiment");
  });

  it("answers new vs returning revenue from the orders, each order new when it is its customer's first", async () => {
    t = demoDb();
    const report = await ask("new vs returning customers revenue last month");
    const byType = Object.fromEntries(report.table!.rows.map((row) => [row[0], row[1]]));
    // The reference: each order against its customer's earlier orders, in SQL (October 2026, Berlin days).
    const reference = sql<{ fresh: number; again: number }>(
      `SELECT sum(CASE WHEN NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id
                  AND (e.timestamp < o.timestamp OR (e.timestamp = o.timestamp AND e.id < o.id))) THEN amount_minor END) AS fresh,
              sum(CASE WHEN EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id
                  AND (e.timestamp < o.timestamp OR (e.timestamp = o.timestamp AND e.id < o.id))) THEN amount_minor END) AS again
       FROM orders o WHERE customer_id IS NOT NULL AND customer_id <> '' AND day BETWEEN '2026-10-01' AND '2026-10-31'`,
    );
    expect(byType["New customers (first order)"]).toBe(reference.fresh);
    expect(byType["Returning customers"]).toBe(reference.again);
    expect(report.warnings).toContain(
      "Read “new vs returning” as by customer type (new: a customer's first order ever).",
    );
  });

  it("ranks campaigns without “(no campaign)”, and heads the ranking with the campaigns' own ROAS", async () => {
    t = demoDb();
    const report = await ask("top campaigns by roas last 30 days");
    expect(report.table!.rows.map((row) => row[0])).not.toContain("(no campaign)");
    const own = sql<{ revenue: number; spend: number }>(
      `SELECT (SELECT sum(amount_minor) FROM orders WHERE campaign_id IS NOT NULL AND campaign_id <> ''
                 AND day BETWEEN '2026-10-24' AND '2026-11-22') AS revenue,
              (SELECT sum(spend_minor) FROM campaign_daily WHERE day BETWEEN '2026-10-24' AND '2026-11-22') AS spend`,
    );
    expect(report.table!.totals![1]).toBeCloseTo(own.revenue / own.spend, 10);
    expect(report.warnings.some((w) => w.startsWith("Not ranked and not in the totals:"))).toBe(true);
  });
});

describe("everyday wording", () => {
  it("reads funnels in plain words as the funnel command", async () => {
    t = demoDb();
    const typed = await ask("funnel Product Added > Order Completed last 30 days");
    for (const words of [
      "checkout funnel last 30 days",
      "funnel from product viewed to order completed last 30 days",
    ]) {
      const read = await ask(words);
      expect(read.summary, words).toBe(typed.summary);
    }
    expect(typed.summary).not.toMatch(/Nobody started/);
  });

  it("reads two channels, loose campaign names, abbreviations, exports and the repeat rate", async () => {
    t = demoDb();
    const pair = await ask("compare email vs paid search revenue last quarter");
    const rows = pair.table!.rows.map((row) => row[0]);
    expect(rows).toEqual(expect.arrayContaining(["Email", "Paid search"]));
    expect((await ask("how did black friday go")).scope).toMatch(/Black Friday teaser/);
    const lookalike = await ask("cpa for the lookalike campaign last 2 weeks");
    expect(lookalike.command).toBe('kpi cpa last 14 days campaign "social-lookalike"');
    expect((await ask("hows paid socal doing vs last wk")).command).toBe("kpi last 7 days for paid social");
    await ask("segment recompute");
    // The members (personal data) are an export only an admin may confirm.
    const exported = await ask("export the at-risk list");
    expect(exported.actions[0]).toMatchObject({ label: "Confirm", command: "segment export at risk" });
    expect((await ask(exported.actions[0]!.command)).download).toMatchObject({
      source: "segment",
      key: "at risk",
    });
    expect((await ask("repeat purchase rate")).command).toBe("kpi orders last 30 days by customer type");
    const weekday = await ask("best day of the week for sales");
    expect(weekday.title).toBe("Lift does not measure sales by day of the week");
  });

  it("scans every KPI, channel and campaign for anything unusual, and finds the demo's paid-search dip", async () => {
    t = demoDb();
    const report = await ask("anything unusual in the numbers last 14 days?");
    expect(report.kind).toBe("unusual");
    const rows = report.table!.rows.map((row) => `${row[0]} ${row[1]}`);
    expect(
      rows.some((row) => /^Nov 1[45] .*Paid search/.test(row)),
      rows.join("\n"),
    ).toBe(true);
    // Each finding is a button that explains it.
    expect(report.actions[0]!.command).toMatch(/^why /);
  });

  it("answers whether negative mentions spiked, and when", async () => {
    t = demoDb();
    const spikes = await ask("any spike in negative mentions in the last 14 days?");
    expect(spikes.summary).toMatch(/^Yes: 1 spike of negative mentions\. Nov 1[123]/);
    const calm = await ask("sentiment spikes yesterday");
    expect(calm.summary).toMatch(/^No: no spike/);
    const trend = await ask("how are twitter mentions trending");
    expect(trend.title).toBe("Sentiment · all mentions on twitter · Last 7 days");
    const twitter = sql<{ n: number }>(
      "SELECT count(*) AS n FROM mentions WHERE platform = 'twitter' AND day BETWEEN '2026-11-16' AND '2026-11-22'",
    );
    expect(trend.facts[0]).toMatchObject({ label: "Mentions", value: String(twitter.n) });
  });
});

describe("the console and the CLI", () => {
  it("prints errors as JSON on stdout with --json, with the same exit codes", async () => {
    t = demoDb();
    const io = bufferIo();
    expect(
      await runCli(["run", "kpi happiness", "--json"], {
        core: t.core,
        runner: t.core.runner(),
        io,
        serverUrl: "",
      }),
    ).toBe(1);
    expect(JSON.parse(io.stdout)).toEqual({
      error: {
        code: "invalid_input",
        message: "I could not read “happiness”",
        hint: "try `help kpi` for the metrics, periods and breakdowns Lift understands",
      },
    });
  });

  it("keeps `lift run help` within 100 columns", async () => {
    t = demoDb();
    const io = bufferIo();
    await runCli(["run", "help"], { core: t.core, runner: t.core.runner(), io, serverUrl: "" });
    expect(io.stdout.split("\n").filter((line) => line.length > 100)).toEqual([]);
  });

  it("derives what the server's jobs would after `lift demo`: segments and the experiment and sentiment alerts", async () => {
    t = demoDb();
    await t.core.seedDemo({ seed: 7, end: "2026-11-22", scale: "small", timeZone: "Europe/Berlin" });
    expect((await ask("segment champions")).title).toMatch(/^Segment · champions/);
    const rules = (await t.platform.schedules.list({ kind: "alert" })).map((s) =>
      s.options.kind === "alert" ? s.options.rule.kind : "",
    );
    expect(rules).toEqual(expect.arrayContaining(["experiment", "sentiment_spike"]));
  });
});
