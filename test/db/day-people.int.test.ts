import { afterEach, describe, expect, it } from "vitest";
import { distinctPeople } from "../../db/platform/queries/day-people.ts";
import { emptyDb, type TestDb } from "../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const at = (n: number, hour = 10) => `${day(n)}T${String(hour).padStart(2, "0")}:00:00Z`;

/** The same counts straight from daily_people, by SQL. */
function truth(db: TestDb, from: string, to: string, channel?: string): number {
  return db.db.sqlite
    .prepare(
      `SELECT count(DISTINCT person_no) FROM daily_people WHERE day BETWEEN ? AND ?${channel ? " AND channel = ?" : ""}`,
    )
    .pluck()
    .get(...[from, to, ...(channel ? [channel] : [])]) as number;
}

async function seed(db: TestDb) {
  // 60 people over the year so far (the test clock is late November): person p is active on
  // days p, p + 7, p + 120 and p + 250; a third come by email.
  const events = [];
  for (let p = 0; p < 60; p++) {
    for (const offset of [0, 7, 120, 250]) {
      events.push({
        type: "page",
        anonymousId: `anon-${p}`,
        timestamp: at(p + offset),
        messageId: `m-${p}-${offset}`,
        ...(p % 3 === 0 ? { context: { campaign: { medium: "email", name: "news" } } } : {}),
      });
    }
  }
  await db.platform.ingest.write("events", events);
}

describe("distinct people from the day sets", () => {
  it("count exactly what a DISTINCT over daily_people counts, for any range, channel and bucket", async () => {
    t = emptyDb({ timeZone: "UTC" });
    await seed(t);
    for (const [from, to] of [
      [day(0), day(364)],
      [day(5), day(40)],
      [day(100), day(200)],
      [day(250), day(250)],
    ] as const) {
      expect(distinctPeople(t.db, { from, to, grain: "none" }).get("") ?? 0).toBe(truth(t, from, to));
      expect(distinctPeople(t.db, { from, to, grain: "none", channel: "email" }).get("") ?? 0).toBe(
        truth(t, from, to, "email"),
      );
    }
    expect(distinctPeople(t.db, { from: day(0), to: day(364), grain: "none" }).get("")).toBe(60);
    const weeks = distinctPeople(t.db, { from: day(0), to: day(364), grain: "week" });
    const weeksBySql = new Map(
      (
        t.db.sqlite
          .prepare(
            "SELECT date(day, '-6 days', 'weekday 1') AS k, count(DISTINCT person_no) AS n FROM daily_people GROUP BY k",
          )
          .all() as { k: string; n: number }[]
      ).map((row) => [row.k, row.n]),
    );
    expect(weeks).toEqual(weeksBySql);
    const channels = distinctPeople(t.db, { from: day(0), to: day(364), grain: "channel" });
    expect(Object.fromEntries(channels)).toEqual({ email: 20, direct: 40 });
  });

  it("are kept, and made again only for the days whose people changed (a late event)", async () => {
    t = emptyDb({ timeZone: "UTC" });
    await seed(t);
    expect(distinctPeople(t.db, { from: day(0), to: day(364), grain: "none" }).get("")).toBe(60);
    const stored = () => t.db.sqlite.prepare("SELECT count(DISTINCT day) FROM day_people").pluck().get();
    expect(stored()).toBe(t.db.sqlite.prepare("SELECT count(DISTINCT day) FROM daily_people").pluck().get());
    // A new person arrives late, on day 3.
    await t.platform.ingest.write("events", [
      { type: "page", anonymousId: "late", timestamp: at(3), messageId: "late" },
    ]);
    expect(
      t.db.sqlite
        .prepare(
          "SELECT count(*) FROM day_people d JOIN day_versions v USING (day) WHERE d.version <> v.version",
        )
        .pluck()
        .get(),
    ).toBe(1);
    expect(distinctPeople(t.db, { from: day(0), to: day(364), grain: "none" }).get("")).toBe(61);
    expect(distinctPeople(t.db, { from: day(3), to: day(3), grain: "day" }).get(day(3))).toBe(2);
  });

  it("count two people once after they are merged (identify), over 365 days", async () => {
    t = emptyDb({ timeZone: "UTC" });
    await seed(t);
    // anon-1 is active on days 1, 8, 121, 251; a user with a history of their own on other days…
    await t.platform.ingest.write("events", [
      { type: "track", event: "Signed Up", userId: "user-9", timestamp: at(50), messageId: "u9-a" },
      { type: "page", userId: "user-9", timestamp: at(200), messageId: "u9-b" },
    ]);
    const year = () => distinctPeople(t.db, { from: day(0), to: day(364), grain: "none" }).get("");
    expect(year()).toBe(61);
    // …turns out to be anon-1: one person now.
    await t.platform.ingest.write("events", [
      { type: "identify", userId: "user-9", anonymousId: "anon-1", timestamp: at(201), messageId: "merge" },
    ]);
    expect(year()).toBe(60);
    expect(year()).toBe(truth(t, day(0), day(364)));
    expect(distinctPeople(t.db, { from: day(1), to: day(1), grain: "day" }).get(day(1))).toBe(1);
  });
});

describe("the day-sets job", () => {
  it("makes the sets of days that have none or are behind, and nothing the second time", async () => {
    t = emptyDb({ timeZone: "UTC" });
    await seed(t);
    const days = t.db.sqlite.prepare("SELECT count(DISTINCT day) FROM daily_people").pluck().get();
    const job = t.platform.registries.jobs.get("day-sets")!;
    await job.run(t.platform.jobContext(job, null as never), t.platform.now());
    expect(t.db.sqlite.prepare("SELECT count(DISTINCT day) FROM day_people").pluck().get()).toBe(days);
    expect(await t.platform.prepareDaySets(t.platform.now())).toBe(0);
  });
});
