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
      "channels",
      "campaigns",
      "experiments",
      "segments",
      "sentiment",
      "anomalies",
      "alerts",
    ]);
    expect(digest.title).toBe("Daily digest · Nov 22, 2026");
    expect(digest.summary).toMatch(/\nTop channel by revenue: /);
    expect(digest.summary).toMatch(/\nHighest ROAS: .*\nLowest ROAS: /);
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
