import { afterEach, describe, expect, it } from "vitest";
import type { DigestSection } from "../../../../analytics/platform/digest/digest.ts";
import { demoDb, type TestDb, withTestCapability } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

describe("the digest", () => {
  it("is built from every capability's section, in order", async () => {
    t = demoDb();
    const digest = await t.platform.schedules.digestNow("daily");
    expect(t.platform.registries.digestSections.list().map((s) => s.id)).toEqual([
      "kpis",
      "forecast",
      "channels",
      "campaigns",
      "experiments",
      "segments",
      "sentiment",
      "churn",
      "anomalies",
      "automations",
      "alerts",
    ]);
    expect(digest.title).toBe("Daily digest · Nov 22, 2026");
    expect(digest.summary).toMatch(/\nTop channel by revenue: /);
    expect(digest.summary).toMatch(/\nHighest ROAS: .*\nLowest ROAS: /);
  });

  it("counts the mentions of the day it is dated, not the last 24 hours", async () => {
    t = demoDb();
    // Sent at 08:30 on Nov 23 (Berlin), dated Nov 22: the mentions of Nov 22, Berlin days.
    const digest = await t.platform.schedules.digestNow("daily");
    const count = t.db.sqlite
      .prepare("SELECT count(*) FROM mentions WHERE day = '2026-11-22'")
      .pluck()
      .get() as number;
    expect(digest.summary).toMatch(new RegExp(`\\n💬 ${count.toLocaleString("en-US")} mentions, `));
  });

  it("still goes out when a section fails: that section is a one-line note, and it is logged", async () => {
    const broken: DigestSection = {
      id: "broken",
      order: 15,
      title: "Broken part",
      build: async () => {
        throw new Error("the section's query failed");
      },
    };
    t = demoDb({
      capabilities: withTestCapability({ digestSections: [broken] }),
    });
    const digest = await t.platform.schedules.digestNow("daily");
    expect(digest.summary).toContain("⚠️ Broken part: could not be built this time (logged).");
    expect(digest.facts.map((f) => f.label)).toContain("Revenue");
    expect(digest.summary).toMatch(/Top channel by revenue: /);
  });
});
