import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { kpiDataSchema } from "../../../analytics/metrics/data.ts";
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
    expect(header).toBe("Channel,Revenue (USD),Orders,Revenue vs the previous 30 days");
    expect(rows.at(-1)).toMatch(/^Total,\d+\.\d{2},\d+,/);
  });

  it("exits 1 with a reason and a hint for a metric it does not know", async () => {
    t = demoDb();
    const { code, err } = await run(["kpi", "happiness"]);
    expect(code).toBe(1);
    expect(err).toMatch(/^lift: “happiness” is not a metric Lift knows\n {2}metrics: visitors, pageviews/);
    expect((await run(["kpi", "--by", "planet"])).err).toBe(
      "lift: --by planet is not one of channel, campaign, day, week, month, segment\n",
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
