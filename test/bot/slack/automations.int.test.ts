import { afterEach, describe, expect, it } from "vitest";
import { automationsApi } from "../../../analytics/capabilities/automations/index.ts";
import { emptyDb, type TestDb } from "../../support/db.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import {
  buttonClick,
  CHANNEL,
  findButton,
  type SlackLift,
  slackPost,
  slashCommand,
  startSlackLift,
  USER,
} from "../../support/slack.ts";

/*
 * An automation made in Slack: created and started with /lift by an admin, its bulk send held
 * with an approval message in the owner's channel, Reject refused for a non-admin, Approve by
 * an admin, and the mail going out on the next pass.
 */

const ADMIN = "U0ADMIN";
let t: TestDb;
let fake: FakeSlack;
let lift: SlackLift | undefined;

afterEach(async () => {
  await lift?.close();
  await fake?.close();
  t?.cleanup();
});

async function slash(text: string, user: string) {
  const command = slashCommand(fake, text, { user });
  expect((await slackPost(lift!.url, command.form)).status).toBe(200);
  return fake.waitFor(() => fake.responsesTo(command.responseUrl)[0]);
}

describe("automations in Slack", () => {
  it("creates an automation, asks the owner's channel to approve a bulk send, refuses Reject from a non-admin and sends after an admin's Approve", async () => {
    t = emptyDb({ env: { LIFT_APPROVAL_THRESHOLD: "2", LIFT_QUIET_HOURS: "off" } });
    const now = t.platform.now();
    const ids = ["a", "b", "c"];
    await t.platform.ingest.write(
      "customers",
      ids.map((x) => ({
        id: `c-${x}`,
        email: `${x}@example.com`,
        accepts_marketing: true,
        updated_at: "2026-01-01T00:00:00Z",
      })),
    );
    await t.platform.ingest.write(
      "orders",
      ids.map((x) => ({
        id: `o-${x}`,
        customer_id: `c-${x}`,
        amount: "12.00",
        timestamp: "2026-02-01T10:00:00Z",
      })),
    );
    await t.platform.registries.commands.run("segment create buyers where orders >= 1", { userId: ADMIN });
    fake = await FakeSlack.start();
    lift = await startSlackLift(t, fake, { access: { admins: [ADMIN] } });

    const refused = await slash(
      'automation create wb when customer enters segment "buyers" including current members send email win-back-1',
      USER,
    );
    expect(String(refused["text"])).toMatch(/only Lift's admins may run it/);
    const created = await slash(
      'automation create wb when customer enters segment "buyers" including current members send email win-back-1',
      ADMIN,
    );
    expect(JSON.stringify(created)).toContain("It is a draft");
    await slash("automation start wb", ADMIN);

    const service = automationsApi.of(t.platform);
    await service.runNow(lift.transport.notifier, now);
    const approval = await fake.waitFor(() =>
      fake.messages.find(
        (m) => m.channel === CHANNEL && JSON.stringify(m.blocks ?? []).includes("Approve 3"),
      ),
    );
    expect(JSON.stringify(approval.blocks)).toContain("3 customers entered");
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM automation_sends").get()).toEqual({ n: 0 });

    const reject = buttonClick(fake, findButton(approval.blocks, "run_command_reject"), {
      ephemeral: false,
      channel: CHANNEL,
      messageTs: approval.ts,
      user: USER,
    });
    await slackPost(lift.url, reject.form);
    // A non-admin is told privately, and nothing changes.
    await fake.waitFor(() =>
      fake
        .callsTo("chat.postEphemeral")
        .find((c) => /only Lift's admins may run it/.test(String(c.params["text"]))),
    );
    expect(
      t.db.sqlite.prepare("SELECT state, count(*) AS n FROM automation_runs GROUP BY state").all(),
    ).toEqual([{ state: "held", n: 3 }]);

    const approve = buttonClick(fake, findButton(approval.blocks, "run_command_approve"), {
      ephemeral: false,
      channel: CHANNEL,
      messageTs: approval.ts,
      user: ADMIN,
    });
    await slackPost(lift.url, approve.form);
    await fake.waitFor(() =>
      fake.messages.find((m) => m.thread_ts === approval.ts && /Approved: wb/.test(JSON.stringify(m))),
    );
    const sent = await service.runNow(lift.transport.notifier, now + 60_000);
    expect(sent.tally.shown).toBe(3);
    const audit = t.db.sqlite
      .prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'automation.%' ORDER BY id")
      .all();
    expect(audit).toEqual([
      { actor: ADMIN, action: "automation.create" },
      { actor: ADMIN, action: "automation.start" },
      { actor: ADMIN, action: "automation.approve" },
    ]);
  });
});
