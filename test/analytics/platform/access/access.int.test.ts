import { afterEach, describe, expect, it } from "vitest";
import { type AccessPolicy, roleFor } from "../../../../analytics/platform/access/policy.ts";
import { readWhere, readWho } from "../../../../analytics/platform/access/subjects.ts";
import type { Asker } from "../../../../analytics/platform/commands/index.ts";
import type { AccessRuleRow } from "../../../../db/platform/queries/access.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const rule = (kind: AccessRuleRow["kind"], subject: string, role: AccessRuleRow["role"]): AccessRuleRow => ({
  kind,
  subject,
  label: subject,
  role,
  setBy: "U0ADMIN",
  setAt: 0,
});

const policy = (env: Partial<AccessPolicy["env"]>, rules: AccessRuleRow[] = []): AccessPolicy => ({
  env: { admins: [], readers: [], channels: [], ...env },
  rules,
});

function run(text: string, asker: Partial<Asker> = {}) {
  return t.platform.registries.commands.run(text, { userId: "U0ADMIN", ...asker });
}

function auditRows(): { actor: string; action: string; detail: string; surface: string | null }[] {
  return t.db.sqlite
    .prepare("SELECT actor, action, detail, surface FROM audit_log ORDER BY id")
    .all() as never;
}

describe("roles", () => {
  it("gives each person the highest role their grants give, and everyone else a viewer's until viewers are named", () => {
    const inMarketing = (s: string) => s === "@marketing-team" || s === "S0MKT";
    // Nothing set: everyone is an admin, as before roles.
    expect(roleFor(policy({}), "U0ANY", () => false)).toBe("admin");
    // LIFT_ADMINS only: they change things, the workspace reads aggregates.
    expect(roleFor(policy({ admins: ["U0ADMIN"] }), "U0ADMIN", () => false)).toBe("admin");
    expect(roleFor(policy({ admins: ["U0ADMIN"] }), "U0ANY", () => false)).toBe("viewer");
    // LIFT_READERS are viewers; once viewers are named, nobody else may use Lift.
    const readers = policy({ admins: ["U0ADMIN"], readers: ["S0MKT", "U0BOSS"] });
    expect(roleFor(readers, "U0ANALYST", inMarketing)).toBe("viewer");
    expect(roleFor(readers, "U0BOSS", () => false)).toBe("viewer");
    expect(roleFor(readers, "U0ANY", () => false)).toBeNull();
    // A user group's role by its @handle; the highest of several grants wins.
    const roles = policy({ readers: ["S0MKT"] }, [
      rule("group", "@marketing-team", "analyst"),
      rule("user", "U0ADMIN", "admin"),
    ]);
    expect(roleFor(roles, "U0ANALYST", inMarketing)).toBe("analyst");
    expect(roleFor(roles, "U0ADMIN", inMarketing)).toBe("admin");
    // Channels alone give no roles: still open.
    expect(roleFor(policy({ channels: ["C0GROWTH"] }), "U0ANY", () => false)).toBe("admin");
  });

  it("reads user groups, people and channels as Slack sends them, and refuses anything else", () => {
    expect(readWho("<!subteam^S0614TZR7|@marketing-team>")).toEqual({
      kind: "group",
      subject: "S0614TZR7",
      label: "@marketing-team",
    });
    expect(readWho("@Marketing-Team")).toEqual({
      kind: "group",
      subject: "@marketing-team",
      label: "@marketing-team",
    });
    expect(readWho("<@U024BE7LH|grace>")).toEqual({ kind: "user", subject: "U024BE7LH", label: "U024BE7LH" });
    expect(readWho("S0614TZR7").kind).toBe("group");
    expect(() => readWho("marketing team")).toThrow(/could not read “marketing team” as a Slack user group/);
    expect(readWhere("<#C024BE91L|growth>")).toEqual({ subject: "C024BE91L", label: "#growth" });
    expect(readWhere("#Growth")).toEqual({ subject: "#growth", label: "#growth" });
    expect(() => readWhere("growth")).toThrow(/as a Slack channel/);
  });

  it("checks every command by what it declares, also when a question in plain words is read into it", async () => {
    t = demoDb();
    const { id } = t.db.sqlite.prepare("SELECT id FROM customers ORDER BY id LIMIT 1").get() as {
      id: string;
    };
    const customer = `customer ${id}`;
    await expect(run(customer, { userId: "U0VIEWER", role: "viewer" })).rejects.toThrow(
      "`customer` shows who people are: only analysts and admins may run it here.",
    );
    expect((await run(customer, { userId: "U0ANALYST", role: "analyst" })).title).toContain(id);
    await expect(
      run("alert me when revenue drops 20% day over day", { userId: "U0ANALYST", role: "analyst" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(run("segment export champions", { userId: "U0ANALYST", role: "analyst" })).rejects.toThrow(
      /changes or sends something: only Lift's admins/,
    );
    // Reading aggregates is open to viewers.
    expect((await run("kpi revenue last 7 days", { userId: "U0VIEWER", role: "viewer" })).kind).toBe("kpi");
    // Plain words read as a churn list (names of customers) are refused as `churn` itself would be.
    await expect(
      run("which customers are at risk of churning", { userId: "U0VIEWER", role: "viewer" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("access rules", () => {
  it("never leaves Slack without an admin, and audits every change with who and where", async () => {
    t = demoDb();
    await expect(run("access role analyst @marketing-team")).rejects.toThrow(
      "That would leave nobody who may change Lift's settings from Slack",
    );
    expect((await run("access role admin @lift-admins")).summary).toMatch(/^@lift-admins is now admin:/);
    expect((await run("access role analyst @marketing-team")).summary).toMatch(
      /^@marketing-team is now analyst/,
    );
    expect((await run("access role viewer @marketing-team", { userId: "console" })).summary).toMatch(
      /is now viewer \(was analyst\)/,
    );
    await expect(run("access remove @lift-admins")).rejects.toMatchObject({ code: "conflict" });
    expect((await run("access channel <#C0GROWTH|growth>")).summary).toMatch(/^#growth added/);
    const listing = await run("access", { userId: "U0VIEWER", role: "viewer" });
    expect(listing.summary).toBe("2 rules give roles; everyone else may not use Lift.");
    expect(listing.table!.rows).toEqual([
      ["@lift-admins", "admin", "U0ADMIN", "Nov 23"],
      ["@marketing-team", "viewer", "console", "Nov 23"],
    ]);
    expect(listing.details).toContain("Channels for data answers: #growth, and DMs.");
    expect(listing.warnings).toEqual([]);
    expect(auditRows()).toEqual([
      {
        actor: "U0ADMIN",
        action: "access.role",
        detail: '{"group":"@lift-admins","role":"admin","was":null}',
        surface: "slack",
      },
      {
        actor: "U0ADMIN",
        action: "access.role",
        detail: '{"group":"@marketing-team","role":"analyst","was":null}',
        surface: "slack",
      },
      {
        actor: "console",
        action: "access.role",
        detail: '{"group":"@marketing-team","role":"viewer","was":"analyst"}',
        surface: "console",
      },
      {
        actor: "U0ADMIN",
        action: "access.channel",
        detail: '{"channel":"#growth","role":null,"was":null}',
        surface: "slack",
      },
    ]);
  });

  it("audits a change that writes no row of its own by its command, once, with its surface and no email in it", async () => {
    t = demoDb();
    await run("sentiment lexicon add delightful 3", { userId: "U0ADMIN", surface: "workflow" });
    await run("segment create big spenders where revenue > 500", { userId: "cli" });
    await run("kpi revenue last 7 days");
    await run("privacy erase nobody.here@example.com confirmed", { userId: "console" }).catch(
      () => undefined,
    );
    const rows = auditRows();
    expect(rows[0]).toEqual({
      actor: "U0ADMIN",
      action: "command",
      detail: "sentiment lexicon add delightful 3",
      surface: "workflow",
    });
    // The segment audits itself: one row, not two.
    expect(rows.slice(1).map((r) => [r.action, r.surface])).toEqual([["segment.create", "cli"]]);
    expect(JSON.stringify(rows)).not.toContain("example.com");
  });
});

describe("audit", () => {
  it("lists who changed what, when and from where for anyone, with every row in its CSV", async () => {
    t = demoDb();
    await run("access role admin @lift-admins");
    await run("sentiment lexicon add delightful 3", { userId: "cli" });
    const report = await run("audit last 7 days", { userId: "U0VIEWER", role: "viewer" });
    expect(report.title).toBe("Audit · Last 7 days and today");
    expect(report.summary).toBe("2 changes in last 7 days and today.");
    expect(report.period).toMatchObject({ from: "2026-11-16", to: "2026-11-23", timeZone: "Europe/Berlin" });
    expect(report.table!.rows).toEqual([
      [
        expect.stringMatching(/^Nov 23 \d\d:\d\d$/),
        "cli",
        "command",
        "sentiment lexicon add delightful 3",
        "cli",
      ],
      [
        expect.stringMatching(/^Nov 23/),
        "U0ADMIN",
        "access.role",
        "group @lift-admins, role admin, was null",
        "slack",
      ],
    ]);
    const download = await t.core.download("audit", report.download!.key);
    const lines = [...(download!.lines as Iterable<string>)];
    expect(download!.personal).toBe(false);
    expect(lines[0]).toBe("at,time_zone,actor,action,detail,surface");
    expect(lines[1]).toMatch(
      /^2026-11-23T.*,Europe\/Berlin,U0ADMIN,access.role,"\{""group"":""@lift-admins""/,
    );
    expect((await run("audit yesterday")).summary).toBe("No changes were made to Lift in yesterday.");
    await expect(run("audit whenever")).rejects.toThrow("I could not read “whenever” as a period");
  });

  it("is `lift audit` and `lift access` in the CLI, and `lift status` warns while everyone is an admin", async () => {
    t = demoDb();
    let status = await runLift(t, ["status"]);
    expect(status.code).toBe(0);
    expect(status.err).toContain(
      "lift: warning: No roles are set: everyone in this Slack workspace is a Lift admin",
    );
    const set = await runLift(t, ["access", "role", "admin", "S0ADMINS"]);
    expect(set.code).toBe(0);
    expect(set.out).toContain("S0ADMINS is now admin");
    status = await runLift(t, ["status"]);
    expect(status.err).toBe("");
    const audit = await runLift(t, ["audit", "--csv"]);
    expect(audit.code).toBe(0);
    expect(audit.out.trim().split("\n")).toEqual([
      "When,Who,What,Detail,Where",
      expect.stringMatching(/^Nov 23 \d\d:\d\d,cli,access.role,"group S0ADMINS, role admin, was null",cli$/),
    ]);
    const refused = await runLift(t, ["access", "role", "boss", "S0ADMINS"]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain("“boss” is not a role");
    // Back to no rules; then viewers from the environment and no admin: status says Slack has none.
    expect((await runLift(t, ["access", "remove", "S0ADMINS"])).code).toBe(0);
    t.core.settings.access = { admins: [], readers: ["U0BOSS"], channels: [] };
    expect((await runLift(t, ["status"])).err).toContain("lift: warning: Nobody is a Lift admin in Slack");
  });
});
