import { afterEach, describe, expect, it } from "vitest";
import { AnswerThread } from "../../../analytics/commands/index.ts";
import { consoleRoutes } from "../../../bot/console/routes.ts";
import { demoDb, type TestDb } from "../../support/db.ts";
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
  runner = new AnswerThread(t.path, t.core.settings, t.core.now);
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
  it("runs a command and answers with the report as HTML, its chart and a CSV", async () => {
    const url = await start();
    const response = await post(url, "revenue last 14 days by channel");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { html: string; charts: string[]; csv: string };
    expect(body.html).toContain("<h2>Revenue · Last 14 days by channel</h2>");
    const chart = await fetch(`${url}${body.charts[0]}`);
    expect(chart.headers.get("content-type")).toBe("image/png");
    expect((await chart.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const csv = await (await fetch(`${url}${body.csv}`)).text();
    expect(csv.split("\n")[0]).toBe("Channel,Revenue (USD),Revenue vs the previous 14 days");
  });

  it("explains a command it cannot read, with a hint, as 400", async () => {
    const url = await start();
    const response = await post(url, "revnue last week");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_input", message: "I could not read “revnue”", hint: "did you mean “revenue”?" },
    });
    expect((await fetch(`${url}/console/artifacts/nope`)).status).toBe(404);
  });

  it("pushes the dashboard over server-sent events, and again when new data arrives", async () => {
    const url = await start();
    const controller = new AbortController();
    const response = await fetch(`${url}/console/stream`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (count: number) => {
      while ((text.match(/event: dashboard/g) ?? []).length < count)
        text += decoder.decode((await reader.read()).value);
    };
    try {
      await readUntil(1);
      const first = JSON.parse(/event: dashboard\ndata: (.*)\n/.exec(text)![1]!) as {
        tiles: { label: string }[];
        chart: string;
      };
      expect(first.tiles.map((tile) => tile.label)).toEqual([
        "Visitors",
        "Orders",
        "Revenue",
        "Conversion rate",
      ]);
      await t.core.ingest.events([
        { type: "track", event: "Signed Up", userId: "new-user", timestamp: "2026-11-23T07:00:00Z" },
      ]);
      await readUntil(2);
    } finally {
      controller.abort();
    }
  });

  it("refuses every console request without its token, and keeps the session in a cookie", async () => {
    const url = await start("a-console-token-of-some-length");
    expect((await fetch(`${url}/`)).status).toBe(401);
    expect((await post(url, "help")).status).toBe(401);
    const page = await fetch(`${url}/?token=a-console-token-of-some-length`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
    expect((await post(url, "help", { cookie })).status).toBe(200);
    expect((await post(url, "help", { authorization: "Bearer a-console-token-of-some-length" })).status).toBe(
      200,
    );
    expect((await post(url, "help", { cookie: "lift_console=wrong" })).status).toBe(401);
  });

  it("shows the local Notifier's feed of digests and alerts, and what could not be delivered", async () => {
    const url = await start();
    const empty = (await (await fetch(`${url}/console/feed`)).json()) as {
      items: unknown[];
      failures: unknown[];
    };
    expect(empty).toEqual({ items: [], failures: [] });
    const digest = await t.core.schedules.digestNow("daily");
    await t.core.deliveries.enqueue(
      {
        idempotencyKey: "digest:9:1",
        destination: "console",
        subscriptionId: null,
        kind: "digest",
        report: digest,
      },
      t.core.now(),
    );
    await t.core.deliveries.process(t.core.feed, t.core.now());
    const feed = (await (await fetch(`${url}/console/feed`)).json()) as {
      items: { key: string; html: string; destination: string }[];
    };
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ key: "digest:9:1", destination: "console" });
    expect(feed.items[0]!.html).toContain("<h2>Daily digest · Nov 22, 2026</h2>");
    expect(feed.items[0]!.html).toContain("<details><summary>Details</summary>");
    // Its chart is served like an answer's.
    const chart = /src="(\/console\/artifacts\/[^"]+)"/.exec(feed.items[0]!.html)![1]!;
    expect((await fetch(`${url}${chart}`)).headers.get("content-type")).toBe("image/png");
  });
});
