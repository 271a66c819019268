import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { kpiDataSchema } from "../../../analytics/platform/metrics/data.ts";
import { createApi } from "../../../api/app.ts";
import { bufferIo, runCli } from "../../../bot/cli/index.ts";
import { runLift } from "../../support/cli.ts";
import { demoDb, emptyDb, type TestDb } from "../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const run = (argv: string[]) => runLift(t, argv);

describe("lift CLI", () => {
  it("prints KPIs by channel with period, time zone and freshness, and writes the chart", async () => {
    t = demoDb();
    const chart = join(t.dir, "kpi.png");
    const { code, out } = await run(["kpi", "--by", "channel", "--chart", chart]);
    expect(code).toBe(0);
    expect(out).toMatch(/^KPIs · Last 30 days by channel\n/);
    expect(out).toMatch(/\n {2}Paid search +[\d,]+ +[\d,]+ +\$[\d,.]+/);
    expect(out).toContain("Oct 24 – Nov 22, 2026 (Europe/Berlin) · vs Sep 24 – Oct 23, 2026 · Data as of");
    expect(readFileSync(chart).subarray(1, 4).toString()).toBe("PNG");
  });

  it("gives the same numbers as the core call the Slack bot uses", async () => {
    t = demoDb();
    const { out } = await run(["kpi", "revenue", "--period", "last 7 days", "--json"]);
    const report = JSON.parse(out);
    const result = await t.platform.kpis({
      metrics: ["revenue"],
      period: { kind: "last_days", n: 7 },
      compare: "previous",
      by: "none",
      filter: {},
    });
    expect(report.facts[0].value).toBe(
      `$${(result.totals.current["revenue"]! / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`,
    );
  });

  it("exports exact values as CSV", async () => {
    t = demoDb();
    const { out } = await run(["kpi", "revenue,orders", "--by", "channel", "--csv"]);
    const [header, ...rows] = out.trim().split("\n");
    expect(header).toBe("Channel,Revenue (USD),Orders,Revenue vs the previous 30 days (%)");
    expect(rows.at(-1)).toMatch(/^Total,\d+\.\d{2},\d+,/);
  });

  it("exits 1 with a reason and a hint for a metric it does not know", async () => {
    t = demoDb();
    const { code, err } = await run(["kpi", "happiness"]);
    expect(code).toBe(1);
    expect(err).toMatch(/^lift: “happiness” is not a metric Lift knows\n {2}metrics: visitors, pageviews/);
    expect((await run(["kpi", "--by", "planet"])).err).toBe(
      "lift: --by planet is not one of channel, campaign, day, week, month, customer type, segment\n",
    );
    expect((await run(["launch"])).code).toBe(1);
    expect((await run(["kpi", "--channel", "tv"])).err).toBe(
      "lift: --channel tv is not one of organic, paid_search, paid_social, email, referral, affiliate, direct, other\n",
    );
  });

  it("reads --channel the way people write it", async () => {
    t = demoDb();
    const byWord = await run(["kpi", "revenue", "--channel", "PPC", "--json"]);
    const byKey = await run(["kpi", "revenue", "--channel", "paid_search", "--json"]);
    expect(JSON.parse(byWord.out).facts).toEqual(JSON.parse(byKey.out).facts);
  });

  it("imports a file, one line per bad row, and exits 3 when some rows were rejected and the rest are in", async () => {
    t = emptyDb();
    const path = join(t.dir, "campaigns.csv");
    writeFileSync(
      path,
      "Campaign ID,Campaign Name,Channel,Date,Impressions,Clicks,Cost\nc1,Spring,paid search,2026-11-01,1000,50,25.00\nc1,Spring,paid search,2026-11-02,1000,lots,25.00\n",
    );
    const { code, out } = await run(["import", "campaigns", path]);
    expect(code).toBe(3);
    expect(out).toContain("  1 new\n");
    expect(out).toContain('    row 2: clicks "lots" is not a number\n');
    // Nothing in: 1.
    writeFileSync(
      path,
      "Campaign ID,Campaign Name,Channel,Date,Impressions,Clicks,Cost\nc2,Fall,email,2026-11-02,10,x,1\n",
    );
    expect((await run(["import", "campaigns", path])).code).toBe(1);
  });

  it("refuses a CSV with a quote that never closes, naming its row and line, and writes nothing", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    const good = Array.from({ length: 12_000 }, (_, i) => `A-${i},u-${i},12.50,USD,2026-11-20`);
    writeFileSync(
      path,
      [
        "id,customer_id,amount,currency,timestamp",
        ...good,
        'B-1,u,"9.99,USD,2026-11-20',
        "B-2,u,1,USD,2026-11-20",
      ].join("\n"),
    );
    const first = await run(["import", "orders", path]);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/row 12001 \(line 12002\) opens a quote that is never closed/);
    expect(first.err).toMatch(/nothing was imported/);
    expect(t.db.sqlite.prepare("SELECT count(*) FROM orders").pluck().get()).toBe(0);
  });

  it("refuses a binary file as not text, with exit 1 and nothing written", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(
      path,
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0xff, 0xfe]),
    );
    const result = await run(["import", "orders", path]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/is not a text file \(it holds binary data\)/);
  });

  it("reads a Latin-1 CSV as Windows-1252 and says so, instead of importing “M�nchen”", async () => {
    t = emptyDb();
    const path = join(t.dir, "customers.csv");
    writeFileSync(path, Buffer.from("id,email,city\nc1,a@example.com,M\xfcnchen Caf\xe9\n", "latin1"));
    const result = await run(["import", "customers", path, "--map", "city=traits.city"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/not UTF-8: read as windows-1252/);
    const traits = JSON.parse(
      t.db.sqlite.prepare("SELECT lift_traits(traits, email) FROM customers").pluck().get() as string,
    );
    expect(traits.city).toBe("München Café");
  });

  it("rejects a row past 32 KB (as HTTP does) without holding it, and sums up ignored columns", async () => {
    t = emptyDb();
    const ndjson = join(t.dir, "events.ndjson");
    const event = (id: string, extra = "") =>
      `{"type":"track","event":"A","userId":"u","messageId":"${id}","timestamp":"2026-11-20T10:00:00Z","properties":{"p":"${extra}"}}`;
    writeFileSync(
      ndjson,
      [event("small"), event("big", "x".repeat(20 * 1024 * 1024)), event("after")].join("\n"),
    );
    const imported = await run(["import", "events", ndjson]);
    expect(imported.code).toBe(3);
    expect(imported.out).toMatch(
      /row 2: is larger than 32 KB \(20,481 KB; the limit per row and per event\)/,
    );
    expect(t.db.sqlite.prepare("SELECT message_id FROM events ORDER BY 1").pluck().all()).toEqual([
      "after",
      "small",
    ]);
    const wide = join(t.dir, "wide.csv");
    const columns = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join(",");
    writeFileSync(
      wide,
      `id,customer_id,amount,currency,timestamp,${columns(50_000)}\nW-1,u,1,USD,2026-11-20${",".repeat(50_000)}\n`,
    );
    const summed = await run(["import", "orders", wide]);
    expect(summed.out).toMatch(/50,000 ignored columns: c0, c1, .* and 49,988 more/);
    expect(summed.out.length).toBeLessThan(2_000);
    // A header of a million columns (9 MB) is refused by name, not printed back.
    writeFileSync(
      wide,
      `id,customer_id,amount,currency,timestamp,${columns(1_000_000)}\nW-1,u,1,USD,2026-11-20\n`,
    );
    const refused = await run(["import", "orders", wide]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/the header \(line 1\) is larger than 1024 KB/);
    expect(refused.err.length).toBeLessThan(1_000);
  });

  it("creates, lists and revokes write keys, showing the key only once", async () => {
    t = emptyDb();
    const created = await run(["keys", "create", "website"]);
    const key = /lift_wk_[\w-]+/.exec(created.out)![0];
    const listed = await run(["keys", "list"]);
    expect(listed.out).not.toContain(key);
    expect(listed.out).toMatch(/website {2}\(active, never used\)/);
    expect((await run(["keys", "revoke", "website"])).out).toBe("Revoked 1 key.\n");
    expect(await t.core.keys.verify(key)).toBeNull();
  });

  it("sends live demo events through the real /v1/batch, then revokes its key", async () => {
    t = emptyDb({ now: Date.now });
    const app = createApi(t.core);
    const server = await new Promise<{ url: string; close: () => void }>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }),
      );
    });
    try {
      const io = bufferIo();
      const code = await runCli(["demo", "--live", "--url", server.url, "--seconds", "1", "--visits", "5"], {
        core: t.core,
        runner: t.core.runner(),
        io,
        serverUrl: server.url,
      });
      expect(code).toBe(0);
      const sent = Number(/([\d,]+) events sent\./.exec(io.stdout)![1]!.replace(/,/g, ""));
      expect(sent).toBeGreaterThan(0);
      expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM events").get()).toEqual({ n: sent });
      const keys = await t.core.keys.list();
      expect(keys.every((key) => key.revokedAt !== null)).toBe(true);
    } finally {
      server.close();
    }
  });

  it("shows funnels and budget pacing", async () => {
    t = demoDb();
    const funnel = await run([
      "funnel",
      "page > Product Added > Order Completed",
      "--within",
      "7d",
      "--by",
      "channel",
    ]);
    expect(funnel.code).toBe(0);
    expect(funnel.out).toMatch(/1\. Page view +[\d,]+ +— +100\.00%/);
    const pacing = await run(["pacing", "--chart", join(t.dir, "p.png")]);
    expect(pacing.code).toBe(0);
    expect(pacing.out).toMatch(/Competitor terms .* ended/);
    expect(existsSync(join(t.dir, "p.png"))).toBe(true);
  });
});

describe("lift help", () => {
  it("says every verb's usage with --help: the CLI's own, the capabilities', and any command", async () => {
    t = demoDb();
    const importHelp = await run(["import", "--help"]);
    expect(importHelp.code).toBe(0);
    expect(importHelp.out).toMatch(
      /^lift import <events\|customers\|orders\|campaigns\|mentions\|experiments\|experiment_results> FILE/,
    );
    expect(importHelp.out).toContain("orders: id, customer_id, amount");
    const kpiHelp = await run(["kpi", "--help"]);
    expect(kpiHelp.out).toMatch(/^lift kpi \[METRIC,…\]/);
    // kpi is a command too: its help in the command language follows.
    expect(kpiHelp.out).toContain("Lift · kpi");
    const alertsHelp = await run(["alerts", "--help"]);
    expect(alertsHelp.out).toMatch(/^Lift · alerts\n/);
    expect((await run(["help", "funnel"])).out).toMatch(/^lift funnel "page > Product Added/);
    const all = await run(["help"]);
    for (const verb of ["run", "import", "demo", "keys", "status", "sources", "kpi", "funnel", "pacing"])
      expect(all.out).toMatch(new RegExp(`\\n  ${verb} +\\S`));
    expect((await run(["nope", "--help"])).code).toBe(1);
  });

  it("runs any command of the language as a verb, and --json prints the answer's data", async () => {
    t = demoDb();
    expect((await run(["alerts"])).out).toMatch(/^Alerts\n/);
    const { code, out } = await run(["kpi", "revenue,orders", "--by", "channel", "--json"]);
    expect(code).toBe(0);
    const data = kpiDataSchema.parse(JSON.parse(out).data);
    expect(data.metrics.map((m) => m.key)).toEqual(["revenue", "orders"]);
    expect(data.breakdown).toBe("channel");
    expect(data.groups.length).toBeGreaterThan(3);
    // Money in major units, the same figure the text shows.
    const text = (await run(["kpi", "revenue", "--by", "channel"])).out;
    expect(text).toContain(
      `$${data.metrics[0]!.value!.toLocaleString("en-US", { minimumFractionDigits: 2 })}`,
    );
  });
});
