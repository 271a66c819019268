import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SPIKE_DAYS_AGO } from "../../../../analytics/capabilities/social/index.ts";
import { startLiveFeeds } from "../../../../analytics/capabilities/social/live.ts";
import { pulledSources } from "../../../../analytics/capabilities/sources/index.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";
import { DEMO } from "../../../support/demo.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const HOUR = 3_600_000;
const ask = (text: string, userId = "U0ADMIN") => t.platform.registries.commands.run(text, { userId });

describe("the demo's shipping-delay spike", () => {
  it("is one incident, quoted with shipping posts, with what else moved, resolved once after it ends (5-minute replay)", {
    timeout: 120_000,
  }, async () => {
    let clock = 0;
    t = demoDb({ now: () => clock });
    // From two days before the spike's peak day to three days after it, every 5 minutes.
    const peak = Number(Object.entries(SPIKE_DAYS_AGO).sort((a, b) => b[1] - a[1])[0]![0]);
    const peakDay = Date.parse(`${DEMO.end}T00:00:00Z`) - peak * 24 * HOUR;
    clock = peakDay - 2 * 24 * HOUR;
    const subscription = await t.platform.schedules.createAlert({
      channel: "console",
      owner: "U0ADMIN",
      rule: t.platform.registries.alertKinds.parse("sentiment spike", {
        today: t.platform.today(),
        currency: "USD",
      }),
    });
    expect(subscription.schedule).toBeNull();
    const notifier = t.core.consoleNotifier;
    for (let at = peakDay - 2 * 24 * HOUR; at <= peakDay + 3 * 24 * HOUR; at += 5 * 60_000) {
      clock = at;
      await t.platform.schedules.runDue(at);
      await t.platform.deliveries.process(notifier, at);
    }
    const items = await t.platform.feed.list(200);
    const alerts = items.filter((item) => item.report.kind === "alert").reverse();
    expect(alerts.map((a) => a.report.title.split(" · ")[0])).toEqual(["Alert", "Resolved"]);
    const [opened, resolved] = alerts;
    expect(resolved!.replyTo).toBe(String(opened!.id));
    // Opened on the peak day, with three negative posts quoted (links included), about shipping.
    expect(opened!.at).toBeGreaterThanOrEqual(peakDay - 24 * HOUR);
    expect(opened!.at).toBeLessThan(peakDay + 24 * HOUR);
    const quotes = opened!.report.quotes!;
    expect(quotes).toHaveLength(3);
    expect(quotes.every((q) => q.url?.startsWith("https://"))).toBe(true);
    expect(
      quotes.filter((q) => /ship|deliver|order|package|parcel|arriv|late|wait/i.test(q.excerpt ?? "")).length,
    ).toBeGreaterThanOrEqual(2);
    expect(opened!.report.summary).toMatch(/negative mentions between/);
    expect(opened!.report.actions.map((a) => a.label)).toEqual(
      expect.arrayContaining(["Show posts", "Mark handled", "Mute mentions 24 h"]),
    );
    // Resolved after the spike's last day is over.
    expect(resolved!.at).toBeGreaterThan(peakDay + 24 * HOUR);
  });
});

describe("sentiment, mentions and topics", () => {
  it("answers sentiment with shares, the trend, what negative posts say, and notable posts", async () => {
    t = demoDb();
    const report = await ask("sentiment last 30 days");
    expect(report.title).toBe("Sentiment · all mentions · Last 30 days");
    expect(report.period).toMatchObject({ timeZone: DEMO.timeZone });
    expect(report.facts.map((f) => f.label)).toEqual([
      "Mentions",
      "Positive",
      "Neutral",
      "Negative",
      "Mean score",
    ]);
    expect(report.charts[0]).toMatchObject({
      kind: "stacked-bar",
      series: [{ name: "positive" }, { name: "neutral" }, { name: "negative" }],
    });
    expect(report.quotes!.length).toBeGreaterThanOrEqual(3);
    expect(report.summary).toMatch(/Negative posts talk about: [\p{L}]+/u);
  });

  it("files mentions under a new topic, and answers about it and its mentions", async () => {
    t = demoDb();
    const added = await ask("topic add shipping: shipping, delivery, parcel, package");
    expect(added.summary).toMatch(/stored mentions filed under it/);
    const filed = t.db.sqlite
      .prepare("SELECT count(*) FROM mention_topics WHERE topic = 'shipping'")
      .pluck()
      .get() as number;
    expect(filed).toBeGreaterThan(10);
    const report = await ask("sentiment shipping last 30 days");
    expect(report.scope).toBe("topic shipping");
    const mentions = await ask("mentions about shipping last 30 days");
    expect(mentions.table!.rows.length).toBeGreaterThan(0);
    expect(mentions.table!.rows.every((row) => /shipping/i.test(String(row[3])))).toBe(true);
    await expect(ask("mentions sideways")).rejects.toThrow("I could not read “sideways” in mentions");
  });

  it("rescores stored mentions in batches after a lexicon change, moving their rollups", async () => {
    t = emptyDb({ timeZone: "UTC" });
    const at = Date.parse("2026-11-20T10:00:00Z");
    await t.platform.ingest.write("mentions", [
      { platform: "x", platform_id: "1", text: "my order is on backorder again", timestamp: at },
      { platform: "x", platform_id: "2", text: "nice boots", timestamp: at },
    ]);
    const label = () =>
      t.db.sqlite.prepare("SELECT sentiment_label FROM mentions WHERE platform_id = '1'").pluck().get();
    expect(label()).toBe("neutral");
    await ask("sentiment lexicon add backorder -3");
    const job = t.platform.registries.jobs.get("sentiment-rescore")!;
    await job.run(t.platform.jobContext(job, null as never), at);
    expect(label()).toBe("negative");
    const buckets = t.db.sqlite
      .prepare(
        "SELECT label, sum(count) AS n FROM mention_buckets WHERE grain = '1h' GROUP BY label ORDER BY label",
      )
      .all();
    expect(buckets).toEqual([
      { label: "negative", n: 1 },
      { label: "neutral", n: 0 },
      { label: "positive", n: 1 },
    ]);
  });
});

describe("lift demo --live's feeds", () => {
  it("serve RSS and Mastodon on loopback, pulled by two demo sources, which go when the demo stops", async () => {
    t = emptyDb({ now: Date.now });
    const live = await startLiveFeeds(t.platform, 1, 20);
    expect(live.lines[0]).toMatch(/RSS http:\/\/127\.0\.0\.1:\d+\/feed\.xml and Mastodon #liftoutfitters/);
    await new Promise((done) => setTimeout(done, 200));
    // Pulled although LIFT_SOURCES_ALLOW_PRIVATE is off: they are the demo's own, on this machine.
    const outcomes = await pulledSources.of(t.platform).pullNow();
    expect(outcomes.map((o) => [o.source.kind, o.ok])).toEqual([
      ["rss", true],
      ["mastodon", true],
    ]);
    expect(outcomes.every((o) => o.accepted > 0)).toBe(true);
    await live.stop();
    expect((await pulledSources.of(t.platform).list()).filter((s) => s.status !== "deleted")).toEqual([]);
  });
});

describe("the CLI", () => {
  it("scores texts a line at a time, marking languages the scorer does not read", async () => {
    t = emptyDb();
    const path = join(t.dir, "texts.txt");
    writeFileSync(
      path,
      'This jacket is NOT good at all!!\n{"text": "Liebe die Jacke, perfekte Passform und schneller Versand"}\n:)\n',
    );
    const { code, out } = await runLift(t, ["sentiment", "score", path]);
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ label: "negative", lang: "en" });
    expect(lines[1]).toMatchObject({ label: "unscored", lang: "de", score: null });
    expect(lines[2]).toMatchObject({ label: "positive", lang: "und" });
  });

  it("flags the spikes of a timestamp,value series", async () => {
    t = emptyDb();
    const path = join(t.dir, "series.csv");
    const rows = ["timestamp,value"];
    for (let i = 0; i < 600; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString().replace("T", " ").slice(0, 19);
      rows.push(
        `${at},${(50 + 20 * Math.sin((i / 24) * 2 * Math.PI) + (i === 500 ? 200 : 0) + (i % 7)).toFixed(2)}`,
      );
    }
    writeFileSync(path, `${rows.join("\n")}\n`);
    const { code, out } = await runLift(t, ["spikes", path]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("timestamp,value,score,flag");
    const flagged = lines.slice(1).filter((l) => l.endsWith(",1"));
    expect(flagged.map((l) => l.split(",")[0])).toEqual([
      new Date(Date.UTC(2026, 0, 1) + 500 * 3600_000).toISOString().replace("T", " ").slice(0, 19),
    ]);
  });
});
