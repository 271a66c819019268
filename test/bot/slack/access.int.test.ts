import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoDb, type TestDb } from "../../support/db.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import {
  eventCallback,
  mention,
  type SlackLift,
  slackPost,
  slashCommand,
  startSlackLift,
} from "../../support/slack.ts";

let t: TestDb;
let fake: FakeSlack;
let lift: SlackLift;

beforeEach(async () => {
  t = demoDb();
  fake = await FakeSlack.start();
  // Two user groups as Slack lists them (usergroups.list, usergroups.users.list).
  fake.groupHandles.set("S0ADMINS", "lift-admins");
  fake.usergroups.set("S0ADMINS", ["U0ADMIN"]);
  fake.groupHandles.set("S0MKT", "marketing-team");
  fake.usergroups.set("S0MKT", ["U0ANALYST"]);
  fake.channelNames.set("C0GROWTH", "growth");
  fake.channelNames.set("C0MARKETING", "marketing");
});
afterEach(async () => {
  await lift?.close();
  await fake.close();
  t.cleanup();
});

async function slash(text: string, user: string, channel?: string): Promise<string> {
  const command = slashCommand(fake, text, { user, ...(channel ? { channel } : {}) });
  await slackPost(lift.url, command.form);
  const [answer] = await fake.waitFor(() =>
    fake.responsesTo(command.responseUrl).length > 0 ? fake.responsesTo(command.responseUrl) : null,
  );
  return String((answer as { text: string }).text);
}

describe("Slack: roles from user groups", () => {
  it("lets admins give user groups roles by @handle, then checks each person's on every command", async () => {
    lift = await startSlackLift(t, fake);
    // Nothing set: everyone is an admin, and may name the first admins, but not leave Slack without one.
    expect(await slash("access role analyst @marketing-team", "U0ANYONE")).toMatch(
      /^That would leave nobody who may change Lift's settings from Slack/,
    );
    expect(await slash("access role admin @lift-admins", "U0ANYONE")).toMatch(/^Access · @lift-admins/);
    // Now U0ANYONE is a viewer like everyone without a role: no more changes.
    expect(await slash("access role analyst @marketing-team", "U0ANYONE")).toMatch(
      /`access` changes or sends something: only Lift's admins may run it here/,
    );
    expect(await slash("access role analyst @marketing-team", "U0ADMIN")).toMatch(
      /^Access · @marketing-team/,
    );
    const { id } = t.db.sqlite.prepare("SELECT id FROM customers ORDER BY id LIMIT 1").get() as {
      id: string;
    };
    expect(await slash(`customer ${id}`, "U0ANALYST")).toContain(id);
    expect(await slash(`customer ${id}`, "U0ANYONE")).toMatch(
      /`customer` shows who people are: only analysts and admins may run it here/,
    );
    expect(await slash("revenue last 7 days", "U0ANYONE")).toMatch(/^Revenue · Last 7 days/);
    expect(await slash("alert revenue drops 20% day over day", "U0ANALYST")).toMatch(/only Lift's admins/);
    // A mention names the group as Slack escapes it.
    const event = mention("access role viewer <!subteam^S0MKT|@marketing-team>", {
      ts: "1763887400.000200",
      user: "U0ADMIN",
    });
    await slackPost(lift.url, JSON.stringify(eventCallback(event, "Ev0ROLE")), {
      contentType: "application/json",
    });
    await fake.waitFor(() =>
      fake.messages.find((m) => /is now viewer \(was analyst\)/.test(JSON.stringify(m))),
    );
    // Once viewers are named, people with no role may not use Lift at all.
    expect(await slash("revenue last 7 days", "U0ANYONE")).toMatch(/^Sorry, Lift's answers are limited/);
    expect(await slash("revenue last 7 days", "U0ANALYST")).toMatch(/^Revenue · Last 7 days/);
    // The audit says who did it and from where, and anyone with a role may read it.
    const audit = await slash("audit last 7 days", "U0ANALYST");
    expect(audit).toMatch(/^Audit · Last 7 days and today/);
    const rows = t.db.sqlite.prepare("SELECT actor, action, surface FROM audit_log ORDER BY id").all();
    expect(rows).toEqual([
      { actor: "U0ANYONE", action: "access.role", surface: "slack" },
      { actor: "U0ADMIN", action: "access.role", surface: "slack" },
      { actor: "U0ADMIN", action: "access.role", surface: "slack" },
    ]);
  });

  it("gives data answers only in the channels admins allow by #name, and in DMs", async () => {
    lift = await startSlackLift(t, fake, { access: { admins: ["U0ADMIN"] } });
    expect(await slash("access channel #growth", "U0ADMIN", "C0GROWTH")).toMatch(/^Access · #growth/);
    expect(await slash("revenue last 7 days", "U0ANYONE", "C0MARKETING")).toMatch(
      /^Lift does not give data answers in this channel/,
    );
    expect(await slash("revenue last 7 days", "U0ANYONE", "C0GROWTH")).toMatch(/^Revenue · Last 7 days/);
    expect(await slash("revenue last 7 days", "U0ANYONE", "D0ANYONE")).toMatch(/^Revenue · Last 7 days/);
    expect(await slash("access channel remove #growth", "U0ADMIN", "D0ADMIN")).toMatch(/every channel/);
    expect(await slash("revenue last 7 days", "U0ANYONE", "C0MARKETING")).toMatch(/^Revenue · Last 7 days/);
  });
});
