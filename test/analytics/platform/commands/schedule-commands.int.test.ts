import { afterEach, describe, expect, it } from "vitest";
import { changesState } from "../../../../analytics/platform/commands/index.ts";
import { plainChannelRefs } from "../../../../analytics/platform/reports/refs.ts";
import { demoDb, memoryPlatform, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());
const commands = memoryPlatform().registries.commands;
const run = (text: string, extra: { channelId?: string; userTimeZone?: string } = {}) =>
  t.platform.registries.commands.run(text, { userId: "U0ME", ...extra });

describe("schedule commands", () => {
  it("subscribes a channel to a digest at a local time, lists it and unsubscribes it", async () => {
    t = demoDb();
    const subscribed = await run("subscribe digest daily 09:00", {
      channelId: "C0MKT",
      userTimeZone: "America/New_York",
    });
    expect(plainChannelRefs(subscribed.summary)).toMatch(
      /^The daily digest will be posted in #C0MKT daily at 09:00 America\/New_York, first on Nov 23, 2026 at 09:00\. Figures use Europe\/Berlin days\./,
    );
    const weekly = await run("subscribe digest weekly monday 08:30 Europe/Berlin <#C0OTHER|other>");
    expect(plainChannelRefs(weekly.summary)).toMatch(
      /in #C0OTHER Mondays at 08:30 Europe\/Berlin, first on Nov 30, 2026/,
    );
    const list = await run("subscriptions");
    expect(
      list.table!.rows.map((row) => row.slice(0, 4).map((cell) => plainChannelRefs(String(cell)))),
    ).toEqual([
      ["1", "Daily digest", "#C0MKT", "daily at 09:00 America/New_York"],
      ["2", "Weekly digest", "#C0OTHER", "Mondays at 08:30 Europe/Berlin"],
    ]);
    expect(plainChannelRefs((await run("unsubscribe 1")).summary)).toBe(
      "Number 1 (digest) in #C0MKT is stopped.",
    );
    expect((await run("subscriptions")).table!.rows).toHaveLength(1);
    await expect(run("unsubscribe 1")).rejects.toThrow("There is no subscription 1");
    await expect(run("subscribe digest daily 25:00")).rejects.toThrow(/not a time of day/);
    await expect(run("subscribe digest daily 09:00 Mars/Olympus")).rejects.toThrow(/not a time zone/);
  });

  it("sets, mutes, lists and deletes KPI alerts", async () => {
    t = demoDb();
    const set = await run("alert revenue below 5000 daily", { channelId: "C0MKT" });
    expect(set.title).toBe("Alert set · Revenue below $5,000.00 a day");
    await run("alert signups anomaly", { channelId: "C0MKT" });
    const muted = await run("alert mute 1 2d");
    expect(muted.summary).toMatch(/^Alert 1 is muted until Nov 25, 2026 09:30 Europe\/Berlin/);
    const alerts = await run("alerts");
    expect(alerts.table!.rows.map((row) => row.slice(0, 3))).toEqual([
      ["1", "Alert: Revenue below $5,000.00 a day (muted)", "quiet"],
      ["2", "Alert: Signups outside its usual range", "quiet"],
    ]);
    await run("alert delete 2");
    expect((await run("alerts")).table!.rows).toHaveLength(1);
    await expect(run("alert revenue anomaly")).rejects.toThrow(/Anomaly alerts watch counts/);
  });

  it("marks the commands that change state, so transports check who may", () => {
    const mutating = commands
      .list()
      .filter((c) => c.mutates)
      .map((c) => c.name);
    expect(mutating).toEqual(["sources", "subscribe", "unsubscribe", "alert"]);
    // `sources` lists without changing anything; `sources pause 3` changes state.
    const sources = commands.find("sources")!;
    expect(changesState(sources, "")).toBe(false);
    expect(changesState(sources, "pause 3")).toBe(true);
  });

  it("builds the digest on demand", async () => {
    t = demoDb();
    const digest = await run("digest");
    expect(digest.title).toBe("Daily digest · Nov 22, 2026");
    expect(digest.summary).toMatch(/^Revenue \$[\d,.]+ \([+−][\d.]+%\), Orders \d+/);
    expect((await run("digest weekly")).title).toBe("Weekly digest · week of Nov 16 – Nov 22, 2026");
  });
});
