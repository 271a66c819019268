import { afterEach, describe, expect, it } from "vitest";
import { ANSWER_WORKER } from "../../../analytics/capabilities/index.ts";
import { AnswerThread } from "../../../analytics/platform/commands/index.ts";
import { consoleRoutes } from "../../../bot/console/routes.ts";
import { demoDb, type TestDb, withTestCapability } from "../../support/db.ts";
import { listen } from "../../support/server.ts";

let t: TestDb;
let server: { url: string; close: () => Promise<void> } | undefined;
let runner: AnswerThread | undefined;
afterEach(async () => {
  await server?.close();
  await runner?.close();
  runner = undefined;
  server = undefined;
  t?.cleanup();
});

async function start(token?: string) {
  t = demoDb();
  // The server's way: commands and charts on the answer thread, over the same database file.
  runner = new AnswerThread(ANSWER_WORKER, t.path, t.core.settings, () => t.core.now());
  server = await listen(consoleRoutes({ core: t.core, runner, token, pollMs: 50 }));
  return server.url;
}

const post = (url: string, command: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/console/run`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ command }),
  });

describe("console routes", () => {
  it("runs a command and answers with the report as HTML, its chart and the stored answer's CSV", async () => {
    const url = await start();
    const response = await post(url, "revenue last 14 days by channel");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; html: string; csv: string };
    expect(body.html).toContain("<h2>Revenue · Last 14 days by channel</h2>");
    const chartUrl = /src="(\/console\/charts\/[^"]+)"/.exec(body.html)![1]!;
    const chart = await fetch(`${url}${chartUrl}`);
    expect(chart.headers.get("content-type")).toBe("image/png");
    expect((await chart.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // The CSV is the stored answer's: the numbers shown, not a rerun.
    expect(body.csv).toBe(`/console/answers/${body.id}.csv`);
    const csv = await fetch(`${url}${body.csv}`);
    expect(csv.headers.get("content-disposition")).toMatch(
      /^attachment; filename="lift-kpi-2026-11-22\.csv"$/,
    );
    expect((await csv.text()).split("\n")[0]).toBe(
      "Channel,Revenue (USD),Revenue vs the previous 14 days (%)",
    );
  });

  it("keeps 👍/👎 on an answer with its question, and refuses feedback on an answer that is not kept", async () => {
    const url = await start();
    const body = (await (await post(url, "revenue last 14 days by channel")).json()) as {
      id: string;
      feedback: boolean;
    };
    expect(body.feedback).toBe(true);
    const rate = (answer: string, value: string) =>
      fetch(`${url}/console/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answer, value }),
      });
    expect((await rate(body.id, "bad")).status).toBe(200);
    expect((await rate("no-such-answer", "bad")).status).toBe(404);
    expect((await rate(body.id, "meh")).status).toBe(400);
    const listed = await t.platform.answer("feedback", { userId: "cli" });
    expect(listed.table!.rows.map((row) => row.slice(1))).toEqual([
      ["👎", "revenue last 14 days by channel", "kpi revenue last 14 days by channel", "kpi", "console"],
    ]);
    // A confirmation is not an answer yet: no feedback under it.
    const confirm = (await (await post(url, "alert me if revenue drops 20%")).json()) as {
      feedback?: boolean;
    };
    expect(confirm.feedback ?? false).toBe(false);
  });

  it("streams a segment's members as the answer's CSV, and says so when the segment is gone", async () => {
    const url = await start();
    await post(url, "segment recompute");
    await post(url, "segment create regulars where orders >= 2");
    const body = (await (await post(url, "segment export regulars")).json()) as { csv: string };
    const csv = await fetch(`${url}${body.csv}`);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="segment-regulars.csv"');
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("customer_id,email,orders,total_spent_usd,last_order");
    const regulars = t.db.sqlite
      .prepare(
        "SELECT count(*) FROM (SELECT customer_id FROM orders WHERE customer_id <> '' GROUP BY customer_id HAVING count(*) >= 2)",
      )
      .pluck()
      .get() as number;
    expect(lines).toHaveLength(regulars + 1);
    await post(url, "segment delete regulars");
    const gone = await fetch(`${url}${body.csv}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toBe(
      "There is no segment “regulars”",
    );
  });

  it("keeps a conversation as a Slack thread does: a follow-up changes the last answer's question", async () => {
    const url = await start();
    const first = (await (await post(url, "revenue last 14 days by channel")).json()) as { id: string };
    const follow = (body: Record<string, unknown>) =>
      fetch(`${url}/console/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string; title: string; csv: string | null }>);
    const byCampaign = await follow({ command: "and by campaign?", previous: first.id });
    expect(byCampaign.title).toBe("Revenue · Last 14 days by campaign");
    const lastMonth = await follow({ command: "what about last month", previous: byCampaign.id });
    expect(lastMonth.title).toBe("Revenue · Last month by campaign");
    // A request to act is confirmed first, and a confirmation has no CSV under it.
    const confirm = await follow({ command: "set up a daily digest at 9am" });
    expect(confirm.title).toBe("Confirm · subscribe digest daily 09:00");
    expect(confirm.csv).toBeNull();
  });

  it("explains a command it cannot read, with a hint, as 400", async () => {
    const url = await start();
    const response = await post(url, "what's the weather like in berlin");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "invalid_input",
        message:
          "I could not read “what's the weather like in berlin” as a question about your marketing data",
        hint: "ask about a metric (revenue, orders, visitors, ROAS …) with a period, a channel or a campaign; or try `help`",
        suggestions: ["revenue last 7 days by channel", "why revenue yesterday", "digest"],
      },
    });
    // A typo one letter off is read, and the answer says how.
    const typo = await post(url, "revnue last week");
    expect(typo.status).toBe(200);
    expect(((await typo.json()) as { html: string }).html).toContain("Read “revnue” as revenue.");
    expect((await fetch(`${url}/console/charts/nope/960.png`)).status).toBe(404);
    expect((await fetch(`${url}/console/answers/nope.csv`)).status).toBe(404);
  });

  it("builds the page from the capabilities' panels, each with its own data route", async () => {
    const url = await start();
    const panels = (await (await fetch(`${url}/console/panels`)).json()) as { id: string; live: boolean }[];
    expect(panels.map((p) => p.id)).toEqual([
      "today",
      "trend",
      "forecast",
      "experiments",
      "segments",
      "mentions",
      "clv",
      "automations",
      "outbox",
      "feed",
    ]);
    const page = await (await fetch(`${url}/`)).text();
    for (const panel of panels) expect(page).toContain(`data-panel="${panel.id}"`);
    const today = (await (await fetch(`${url}/console/panels/today`)).json()) as {
      html: string;
      freshness: { text: string };
    };
    expect(today.html).toContain("<h2>Today so far</h2>");
    expect([...today.html.matchAll(/<dt>([^<]+)<\/dt>/g)].map((m) => m[1])).toEqual([
      "Visitors",
      "Orders",
      "Revenue",
      "Conversion rate",
    ]);
    expect(today.freshness.text).toMatch(/^Data as of /);
    expect((await fetch(`${url}/console/panels/nope`)).status).toBe(404);
  });

  it("tells the page over server-sent events when new data arrives", async () => {
    const url = await start();
    const controller = new AbortController();
    const response = await fetch(`${url}/console/stream`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (count: number) => {
      while ((text.match(/event: data/g) ?? []).length < count)
        text += decoder.decode((await reader.read()).value);
    };
    try {
      await readUntil(1);
      await t.platform.ingest.write("events", [
        { type: "track", event: "Signed Up", userId: "new-user", timestamp: "2026-11-23T07:00:00Z" },
      ]);
      await readUntil(2);
      const versions = [...text.matchAll(/event: data\ndata: (.*)\n/g)].map((m) => m[1]);
      expect(versions[1]).not.toBe(versions[0]);
    } finally {
      controller.abort();
    }
  });

  it("refuses every console request without its token, and keeps the session in a cookie", async () => {
    const url = await start("a-console-token-of-some-length");
    expect((await fetch(`${url}/`)).status).toBe(401);
    expect((await post(url, "help")).status).toBe(401);
    expect((await fetch(`${url}/console/panels/today`)).status).toBe(401);
    // The token leaves the address bar at once: the page is sent on to itself without it.
    const entry = await fetch(`${url}/?token=a-console-token-of-some-length`, { redirect: "manual" });
    expect(entry.status).toBe(302);
    expect(entry.headers.get("location")).toBe("/");
    const cookie = entry.headers.get("set-cookie")!.split(";")[0]!;
    const page = await fetch(`${url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect((await post(url, "help", { cookie })).status).toBe(200);
    expect((await post(url, "help", { authorization: "Bearer a-console-token-of-some-length" })).status).toBe(
      200,
    );
    expect((await post(url, "help", { cookie: "lift_console=wrong" })).status).toBe(401);
  });

  it("cannot be framed, leaks no Referer and runs only its own script", async () => {
    const url = await start();
    const page = await fetch(`${url}/`);
    const policy = page.headers.get("content-security-policy")!;
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/script-src 'sha256-[\w+/=]+'/);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    // The hash is the page's own script's: the browser runs it and nothing injected.
    const html = await page.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const { createHash } = await import("node:crypto");
    expect(policy).toContain(`'sha256-${createHash("sha256").update(script).digest("base64")}'`);
    expect((await post(url, "help")).headers.get("x-frame-options")).toBe("DENY");
  });

  it("caps the live streams open at once and frees a slot when one closes", async () => {
    t = demoDb();
    server = await listen(
      consoleRoutes({ core: t.core, runner: t.core.runner(), pollMs: 50, maxStreams: 2 }),
    );
    const open = () => {
      const controller = new AbortController();
      return {
        status: fetch(`${server!.url}/console/stream`, { signal: controller.signal }).then((r) => r.status),
        controller,
      };
    };
    const a = open();
    const b = open();
    expect(await a.status).toBe(200);
    expect(await b.status).toBe(200);
    const c = open();
    expect(await c.status).toBe(503);
    a.controller.abort();
    await new Promise((done) => setTimeout(done, 200));
    const d = open();
    expect(await d.status).toBe(200);
    b.controller.abort();
    d.controller.abort();
  });

  it("shows the local Notifier's feed of digests and alerts in its panel, and what could not be delivered", async () => {
    const url = await start();
    const feed = async () =>
      ((await (await fetch(`${url}/console/panels/feed`)).json()) as { html: string }).html;
    expect(await feed()).toContain("<h2>Nothing scheduled has been sent yet</h2>");
    const digest = await t.platform.schedules.digestNow("daily");
    await t.platform.deliveries.enqueue(
      {
        idempotencyKey: "digest:9:1",
        destination: "console",
        subscriptionId: null,
        kind: "digest",
        report: digest,
      },
      t.core.now(),
    );
    await t.platform.deliveries.process(t.platform.feed, t.core.now());
    const html = await feed();
    expect(html).toContain("<h2>Daily digest · Nov 22, 2026</h2>");
    expect(html).toContain("<details><summary>Details</summary>");
    expect(html).toMatch(/Posted 2026-11-23 08:30 UTC to the console/);
    // Its chart is served like an answer's, and drawn once while it is unchanged.
    const chart = /src="(\/console\/charts\/[^"]+)"/.exec(html)![1]!;
    expect((await fetch(`${url}${chart}`)).headers.get("content-type")).toBe("image/png");
    expect(/src="(\/console\/charts\/[^"]+)"/.exec(await feed())![1]).toBe(chart);
  });

  it("renders the other panels when one fails, with the error in place", async () => {
    const url = await start();
    const broken = {
      id: "broken",
      title: "Broken",
      order: 15,
      build: async () => Promise.reject(new Error("boom")),
    };
    t.cleanup();
    t = demoDb({
      capabilities: withTestCapability({ panels: [broken] }),
    });
    await server?.close();
    server = await listen(consoleRoutes({ core: t.core, runner: t.core.runner() }));
    const page = await (await fetch(`${server.url}/`)).text();
    expect(page).toContain('data-panel="broken"');
    const failed = (await (await fetch(`${server.url}/console/panels/broken`)).json()) as { html: string };
    expect(failed.html).toContain("This panel could not be built just now; it has been logged.");
    const today = (await (await fetch(`${server.url}/console/panels/today`)).json()) as { html: string };
    expect(today.html).toContain("<h2>Today so far</h2>");
    expect(url).not.toBe(server.url);
  });
});
