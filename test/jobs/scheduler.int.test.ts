import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { localTimeMs } from "../../analytics/platform/time/zone.ts";
import { recentJobRuns } from "../../db/platform/queries/schedules.ts";
import { Scheduler } from "../../jobs/index.ts";
import { demoDb, type TestDb, withTestCapability } from "../support/db.ts";

const run = promisify(execFile);
let t: TestDb;
afterEach(() => t?.cleanup());

/** A test database whose clock the test moves. */
function clocked(timeZone = "Europe/Berlin") {
  const state = { now: 0 };
  t = demoDb({ timeZone, now: () => state.now });
  return state;
}

async function digestsIn(): Promise<{ key: string; at: number }[]> {
  return (await t.platform.feed.list(500))
    .filter((item) => item.kind === "digest")
    .map((item) => ({ key: item.key, at: item.at }))
    .reverse();
}

/** Runs the per-minute job for every minute in [from, to), as node-cron would. */
async function tick(clock: { now: number }, from: number, to: number) {
  for (clock.now = from; clock.now < to; clock.now += 60_000) {
    await t.core.runJob("subscriptions", clock.now, t.core.consoleNotifier);
  }
}

describe("scheduled digests", () => {
  it.each([
    [
      "Europe/Berlin",
      "2026-10-24",
      ["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"],
    ],
    [
      "America/New_York",
      "2026-10-31",
      ["2026-10-31T13:00:00.000Z", "2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"],
    ],
  ])(
    "posts a daily 09:00 digest once a day at 09:00 %s across the DST change",
    async (zone, firstDay, expected) => {
      const clock = clocked();
      clock.now = localTimeMs(firstDay, 8, 0, zone);
      await t.platform.schedules.subscribeDigest({
        channel: "console",
        owner: "U1",
        schedule: { every: "day", hour: 9, minute: 0 },
        timeZone: zone,
        grain: "daily",
      });
      await tick(clock, clock.now, clock.now + 3 * 86_400_000 - 3600_000);
      const digests = await digestsIn();
      expect(digests.map((d) => new Date(d.at).toISOString())).toEqual(expected);
    },
    60_000,
  );

  it("catches up a run missed while down once, within the grace window, and skips older ones", async () => {
    const clock = clocked();
    clock.now = localTimeMs("2026-11-20", 8, 0, "Europe/Berlin");
    const sub = await t.platform.schedules.subscribeDigest({
      channel: "console",
      owner: "U1",
      schedule: { every: "day", hour: 9, minute: 0 },
      timeZone: "Europe/Berlin",
      grain: "daily",
    });
    // Down from 08:00 to 10:30: the start-up run sends the 09:00 digest once.
    clock.now = localTimeMs("2026-11-20", 10, 30, "Europe/Berlin");
    const scheduler = new Scheduler(t.core, t.core.consoleNotifier);
    await scheduler.start();
    await scheduler.stop();
    expect(await digestsIn()).toHaveLength(1);
    // Down for two days: started at 15:00 on the 22nd, the missed runs are skipped, not sent in a burst.
    await tick(
      clock,
      localTimeMs("2026-11-22", 15, 0, "Europe/Berlin"),
      localTimeMs("2026-11-22", 15, 5, "Europe/Berlin"),
    );
    expect(await digestsIn()).toHaveLength(1);
    expect((await t.platform.schedules.get(sub.id)).nextRunAt).toBe(
      localTimeMs("2026-11-23", 9, 0, "Europe/Berlin"),
    );
    await tick(
      clock,
      localTimeMs("2026-11-23", 8, 58, "Europe/Berlin"),
      localTimeMs("2026-11-23", 9, 3, "Europe/Berlin"),
    );
    expect(await digestsIn()).toHaveLength(2);
  }, 60_000);

  it("runs each minute's job once and each digest once with two processes on one database", async () => {
    const clock = clocked();
    const from = localTimeMs("2026-11-20", 8, 50, "Europe/Berlin");
    clock.now = from;
    for (const minute of [0, 1, 2]) {
      await t.platform.schedules.subscribeDigest({
        channel: "console",
        owner: `U${minute}`,
        schedule: { every: "day", hour: 9, minute },
        timeZone: "Europe/Berlin",
        grain: "daily",
      });
    }
    const to = localTimeMs("2026-11-20", 9, 10, "Europe/Berlin");
    const child = () =>
      run(
        process.execPath,
        [
          "--import",
          "tsx",
          "test/support/tick-process.ts",
          t.path,
          String(from),
          String(to),
          "Europe/Berlin",
        ],
        { cwd: process.cwd() },
      );
    const [a, b] = await Promise.all([child(), child()]);
    const ran = [a, b].map((r) => (JSON.parse(r.stdout) as { ran: number }).ran);
    // Twenty minutes, each run by exactly one of the two.
    expect(ran[0]! + ran[1]!).toBe(20);
    expect(await recentJobRuns(t.db, "subscriptions", 100)).toHaveLength(20);
    const digests = await digestsIn();
    expect(digests.map((d) => d.key).sort()).toEqual(
      [0, 1, 2].map((m, i) => `digest:${i + 1}:${localTimeMs("2026-11-20", 9, m, "Europe/Berlin")}`).sort(),
    );
  }, 120_000);
});

describe("job runs", () => {
  it("retries a run that crashed, or that a dead process left running, on the next tick", async () => {
    const clock = clocked();
    clock.now = localTimeMs("2026-11-20", 8, 0, "Europe/Berlin");
    let calls = 0;
    let fail = true;
    const flaky = {
      name: "flaky",
      cron: "0 3 * * *",
      run: async () => {
        calls++;
        if (fail) throw new Error("the disk hiccuped");
      },
    };
    t.cleanup();
    const state = { now: clock.now };
    t = demoDb({
      now: () => state.now,
      capabilities: withTestCapability({ jobs: [flaky] }),
    });
    expect(await t.core.runJob("flaky", state.now, t.core.consoleNotifier)).toBe("failed");
    fail = false;
    state.now += 60_000;
    // The next tick's sweep runs it again, and then it is done.
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(1);
    expect(calls).toBe(2);
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(0);
    const [run] = await recentJobRuns(t.db, "flaky");
    expect(run).toMatchObject({ status: "ok", attempts: 2 });
    // A run that keeps failing is tried three times in all, then left failed (and logged).
    fail = true;
    const broken = state.now + 7 * 60_000;
    expect(await t.core.runJob("flaky", broken, t.core.consoleNotifier)).toBe("failed");
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(1);
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(1);
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(0);
    expect(calls).toBe(5);
    fail = false;

    // A run left "running" by a process that died is taken over once it is stale.
    const slot = state.now + 3600_000;
    t.db.sqlite
      .prepare(
        "INSERT INTO job_runs (job, scheduled_for, started_at, status) VALUES ('flaky', ?, ?, 'running')",
      )
      .run(Math.floor(slot / 60_000) * 60_000, state.now);
    state.now += 5 * 60_000;
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(0);
    state.now += 15 * 60_000;
    expect(await t.core.retryJobs(t.core.consoleNotifier)).toBe(1);
    expect(calls).toBe(6);
  });

  it("stops a run that never finishes at its time cap (the watchdog), records why, and frees the schedule", async () => {
    let signal: AbortSignal | null = null;
    let runs = 0;
    const stuck = {
      name: "stuck",
      cron: "* * * * *",
      timeoutMs: 100,
      run: (context: { signal: AbortSignal }) => {
        runs++;
        signal = context.signal;
        return new Promise<void>(() => {});
      },
    };
    const state = { now: localTimeMs("2026-11-20", 8, 0, "Europe/Berlin") };
    t = demoDb({
      now: () => state.now,
      capabilities: withTestCapability({ jobs: [stuck] }),
    });
    expect(await t.core.runJob("stuck", state.now, t.core.consoleNotifier)).toBe("failed");
    expect(signal!.aborted).toBe(true);
    const [run] = await recentJobRuns(t.db, "stuck");
    expect(run).toMatchObject({ status: "failed", error: expect.stringMatching(/stopped by the watchdog/) });
    // The next minute's run is not held up by the one that hung.
    state.now += 60_000;
    expect(await t.core.runJob("stuck", state.now, t.core.consoleNotifier)).toBe("failed");
    expect(runs).toBe(2);
  });

  it("checks each alert kind at its own cadence: no-data every 5 minutes, KPI rules hourly at :05", async () => {
    const clock = clocked();
    clock.now = localTimeMs("2026-11-23", 10, 7, "Europe/Berlin");
    const silence = await t.platform.schedules.createAlert({
      channel: "console",
      owner: "U1",
      rule: { kind: "no_data", hours: 6 },
    });
    const threshold = await t.platform.schedules.createAlert({
      channel: "console",
      owner: "U1",
      rule: { kind: "threshold", metric: "orders", op: "below", value: 1, grain: "daily" },
    });
    expect(silence.nextRunAt).toBe(localTimeMs("2026-11-23", 10, 10, "Europe/Berlin"));
    expect(threshold.nextRunAt).toBe(localTimeMs("2026-11-23", 11, 5, "Europe/Berlin"));
    await tick(clock, clock.now, localTimeMs("2026-11-23", 10, 11, "Europe/Berlin"));
    expect((await t.platform.schedules.get(silence.id)).nextRunAt).toBe(
      localTimeMs("2026-11-23", 10, 15, "Europe/Berlin"),
    );
    expect((await t.platform.schedules.get(threshold.id)).nextRunAt).toBe(
      localTimeMs("2026-11-23", 11, 5, "Europe/Berlin"),
    );
  });
});
