import { afterEach, describe, expect, it } from "vitest";
import { bufferIo, runCli } from "../../../../bot/cli/index.ts";
import { demoDb, memoryPlatform, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const run = (text: string) => t.platform.registries.commands.run(text, { userId: "test" });

describe("command registry", () => {
  it("gives every answer follow-up buttons whose commands keep the question (events, comparison, campaign)", async () => {
    t = demoDb();
    for (const question of [
      '"Product Added" and orders last 14 days vs last year',
      "conversion rate this month for email",
      "spend yesterday by campaign",
    ]) {
      const report = await run(question);
      expect(report.actions.length).toBeGreaterThan(0);
      for (const action of report.actions) {
        const followed = await run(action.command);
        // Same metrics and period as asked; only the breakdown differs.
        expect(followed.title.split(" · ")[0]).toBe(report.title.split(" · ")[0]);
        expect(followed.period).toEqual(report.period);
      }
    }
  });

  it("answers a bare question with the same figures as the core's KPI call", async () => {
    t = demoDb();
    const report = await run("revenue and orders last 7 days by channel");
    const result = await t.platform.kpis({
      metrics: ["revenue", "orders"],
      period: { kind: "last_days", n: 7 },
      compare: "previous",
      by: "channel",
      filter: {},
    });
    expect(report.title).toBe("Revenue, Orders · Last 7 days by channel");
    expect(report.table!.totals!.slice(0, 3)).toEqual([
      "Total",
      result.totals.current["revenue"],
      result.totals.current["orders"],
    ]);
    // Asked in plain words, the answer also says which command it stands for.
    expect(report.command).toBe("kpi revenue and orders last 7 days by channel");
    expect({ ...report, command: undefined }).toEqual({
      ...(await run("kpi revenue and orders last 7 days by channel")),
      command: undefined,
    });
    expect(await run("/lift kpi revenue and orders last 7 days by channel")).toEqual(
      await run("kpi revenue and orders last 7 days by channel"),
    );
  });

  it("breaks channels down by channel and campaigns by campaign, with budget pacing", async () => {
    t = demoDb();
    const channels = await run("channels last 7 days");
    expect(channels.table!.columns.map((c) => c.key)).toEqual([
      "channel",
      "visitors",
      "orders",
      "revenue",
      "conversion_rate",
      "spend",
      "roas",
      "change",
    ]);
    const campaigns = await run("campaigns this month");
    expect(campaigns.table!.columns.map((c) => c.key).slice(-2)).toEqual(["pace", "pacing"]);
    const generic = campaigns.table!.rows.find((row) => row[0] === "Generic outdoor terms")!;
    expect(typeof generic.at(-2)).toBe("number");
    expect(["on track", "over", "under", "overspent"]).toContain(generic.at(-1));
  });

  it("finds a campaign by its name, and says so when there is none", async () => {
    t = demoDb();
    const byName = await run('spend campaign "Brand search" last 7 days');
    const byId = await run("spend campaign ps-brand last 7 days");
    expect(byName.facts).toEqual(byId.facts);
    await expect(run("spend campaign nope last 7 days")).rejects.toThrow("There is no campaign “nope”");
  });

  it("suggests the command a mistyped word was meant to be", async () => {
    t = demoDb();
    // A command word one typo off is read as the command, and the answer says so.
    const report = await run("campains this month");
    expect(report.command).toBe("campaigns this month");
    expect(report.warnings[0]).toBe("Read “campains” as campaigns.");
    await expect(run("dgst")).rejects.toMatchObject({
      hint: expect.stringContaining("did you mean the command `digest`"),
    });
    await expect(run("help campains")).rejects.toMatchObject({ hint: "did you mean campaigns?" });
  });

  it("lists every command in help, with its details on request", async () => {
    t = demoDb();
    const help = await run("help");
    expect(help.table!.rows.map((row) => String(row[0]).split(" ")[0])).toEqual([
      "customer",
      "feedback",
      "access",
      "audit",
      "help",
      "sources",
      "kpi",
      "channels",
      "campaigns",
      "pacing",
      "funnel",
      "subscribe",
      "unsubscribe",
      "subscriptions",
      "digest",
      "alert",
      "alerts",
      "unusual",
      "sentiment",
      "mentions",
      "topics",
      "experiments",
      "experiment",
      "segments",
      "segment",
      "forecast",
      "target",
      "clv",
      "churn",
      "automations",
      "automation",
      "templates",
      "template",
      "crm",
      "privacy",
      "ask",
      "why",
    ]);
    expect((await run("help kpi")).summary).toContain("periods: today, yesterday");
    expect(await run("")).toEqual(help);
  });

  it("reads funnels with their window, period and breakdown", async () => {
    t = demoDb();
    const report = await run(
      "funnel page > Product Added > Order Completed within 3 days last 14 days by channel",
    );
    expect(report.title).toBe("Funnel · Page view → Product Added → Order Completed");
    expect(report.summary).toMatch(/within 3 days/);
    expect(report.period).toMatchObject({ from: "2026-11-09", to: "2026-11-22" });
  });

  it("refuses to register a name twice", () => {
    expect(() =>
      memoryPlatform().registries.commands.add("test", {
        name: "budget",
        aliases: [],
        summary: "",
        usage: "",
        examples: [],
        mutates: false,
        personal: false,
        run: async () => ({}) as never,
      }),
    ).toThrow("command name “budget” is contributed twice: by campaigns and by test");
  });
});

describe("lift run", () => {
  it("prints the same answer as the registry and writes every chart to --out", async () => {
    t = demoDb();
    const io = bufferIo();
    const code = await runCli(["run", "revenue last 14 days by day", "--out", `${t.dir}/charts`], {
      core: t.core,
      runner: t.core.runner(),
      io,
      serverUrl: "",
    });
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/^Revenue · Last 14 days by day\n/);
    expect(io.stdout).toContain(`Chart written to ${t.dir}/charts/kpi-1.png`);
    const json = bufferIo();
    await runCli(["run", "revenue last 14 days by day", "--json"], {
      core: t.core,
      runner: t.core.runner(),
      io: json,
      serverUrl: "",
    });
    // The CLI's answer is stored: the same report, with its id on it and on its buttons.
    const printed = JSON.parse(json.stdout);
    expect(printed.id).toMatch(/^[\w-]{12}$/);
    expect(printed.actions.every((a: { answerId: string }) => a.answerId === printed.id)).toBe(true);
    const { id: _, actions, ...rest } = printed;
    const expected = JSON.parse(JSON.stringify(await run("revenue last 14 days by day")));
    expect(actions.map(({ answerId: __, ...a }: { answerId: string }) => a)).toEqual(expected.actions);
    expect(rest).toEqual({ ...expected, actions: undefined });
  });
});
