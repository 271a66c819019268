import { afterEach, describe, expect, it } from "vitest";
import { Conversations } from "../../../../analytics/platform/slack-threads/index.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

describe("conversations", () => {
  it("claims a Slack event once, again after a failed try, and again when its process died", async () => {
    t = emptyDb();
    let now = Date.parse("2026-11-24T09:00:00Z");
    const conversations = new Conversations(t.db, () => now);
    expect(await conversations.claimEvent("Ev1")).toBe("claimed");
    expect(await conversations.claimEvent("Ev1")).toBe("running");
    await conversations.finishEvent("Ev1", false);
    expect(await conversations.claimEvent("Ev1")).toBe("claimed");
    await conversations.finishEvent("Ev1", true);
    expect(await conversations.claimEvent("Ev1")).toBe("done");
    // Left running by a process that died: a retry three minutes later takes it.
    expect(await conversations.claimEvent("Ev2")).toBe("claimed");
    now += 60_000;
    expect(await conversations.claimEvent("Ev2")).toBe("running");
    now += 2 * 60_000;
    expect(await conversations.claimEvent("Ev2")).toBe("claimed");
  });

  it("remembers a thread's last command, and forgets old event ids and threads", async () => {
    t = emptyDb();
    let now = Date.parse("2026-11-24T09:00:00Z");
    const conversations = new Conversations(t.db, () => now);
    await conversations.claimEvent("Ev-old");
    await conversations.finishEvent("Ev-old", true);
    await conversations.remember("C1", "1.0001", "kpi revenue by channel", "U1");
    await conversations.remember("C1", "1.0001", "kpi revenue by campaign", "U1");
    expect(await conversations.lastCommand("C1", "1.0001")).toBe("kpi revenue by campaign");
    expect(await conversations.lastCommand("C1", "9.9999")).toBeNull();
    now += 31 * 24 * 3600_000;
    await conversations.claimEvent("Ev-new");
    expect(await conversations.lastCommand("C1", "1.0001")).toBeNull();
    // The old event id is gone, so the same id would be new again.
    expect(await conversations.claimEvent("Ev-old")).toBe("claimed");
  });
});
