import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CAPABILITIES } from "../../../analytics/capabilities.ts";
import { buildRegistries } from "../../../analytics/registries.ts";
import {
  type ConnectorKind,
  checkResponse,
  safeFetch,
  USER_AGENT,
} from "../../../analytics/sources/index.ts";
import { bufferIo, runCli } from "../../../bot/cli/index.ts";
import { emptyDb, type TestDb } from "../../support/db.ts";
import { DEMO_NOW } from "../../support/demo.ts";

/**
 * A connector of the test's own, speaking a small JSON feed: `GET /feed?since=CURSOR` →
 * `{items: [{id, text, at}], next}`. It goes through the same registry, job and transaction
 * as every pulled source.
 */
const jsonFeed: ConnectorKind = {
  kind: "jsonfeed",
  label: "JSON feed",
  dataKind: "mentions",
  usage: "<url>",
  example: "https://example.com/feed",
  defaultEveryMinutes: 15,
  configure: (target) => ({ name: target, config: { url: target } }),
  async pull(config, cursor, context) {
    const url = `${config["url"]}${cursor ? `?since=${cursor}` : ""}`;
    const response = checkResponse(await context.fetch(url), "the feed");
    const body = JSON.parse(response.body.toString("utf8")) as {
      items: { id: string; text: string; at: string }[];
      next: string;
    };
    return {
      rows: body.items.map((item) => ({
        platform: "feed",
        platform_id: item.id,
        text: item.text,
        timestamp: item.at,
      })),
      cursor: body.next,
    };
  },
};

interface Fake {
  url: string;
  requests: { path: string; userAgent: string | undefined }[];
  answer: (path: string) => { status: number; body: string; headers?: Record<string, string> };
  close(): Promise<void>;
}

async function fakeFeed(): Promise<Fake> {
  const fake = {
    requests: [] as Fake["requests"],
    answer: (_path: string) =>
      ({ status: 200, body: JSON.stringify({ items: [], next: "0" }) }) as ReturnType<Fake["answer"]>,
  } as Fake;
  const server: Server = createServer((req, res) => {
    fake.requests.push({ path: req.url ?? "", userAgent: req.headers["user-agent"] });
    const { status, body, headers } = fake.answer(req.url ?? "");
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((done) => server.close(() => done()));
  return fake;
}

const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({
    id: `p${from + i}`,
    text: `great boots number ${from + i}`,
    at: "2026-11-22T10:00:00Z",
  }));

let t: TestDb;
let fakes: Fake[] = [];
let clock = DEMO_NOW;
afterEach(async () => {
  for (const fake of fakes) await fake.close();
  fakes = [];
  t?.cleanup();
});

function lift(allowPrivate = true) {
  clock = DEMO_NOW;
  t = emptyDb({
    now: () => clock,
    registries: buildRegistries([...CAPABILITIES, { name: "test", summary: "", connectors: [jsonFeed] }]),
    settings: { sourcesAllowPrivate: allowPrivate },
  });
  return t;
}

async function feed(): Promise<Fake> {
  const fake = await fakeFeed();
  fakes.push(fake);
  return fake;
}

const mentions = () => (t.db.sqlite.prepare("SELECT count(*) AS n FROM mentions").get() as { n: number }).n;

describe("pulled sources", () => {
  it("pulls from the cursor, writes rows and cursor together, and a re-pull adds nothing", async () => {
    lift();
    const fake = await feed();
    fake.answer = (path) =>
      path.includes("since=3")
        ? { status: 200, body: JSON.stringify({ items: items(2, 5), next: "5" }) }
        : { status: 200, body: JSON.stringify({ items: items(0, 3), next: "3" }) };
    const source = await t.platform.sources.add({
      kind: "jsonfeed",
      target: `${fake.url}/feed`,
      owner: "U1",
    });
    const [first] = await t.platform.sources.pullDue(clock);
    expect(first).toMatchObject({ ok: true, accepted: 3, duplicates: 0 });
    expect(first!.source).toMatchObject({ lastStatus: "ok", itemsTotal: 3, nextRunAt: clock + 15 * 60_000 });
    // Not due again until its interval is over.
    expect(await t.platform.sources.pullDue(clock + 60_000)).toEqual([]);
    clock += 15 * 60_000;
    const [second] = await t.platform.sources.pullDue(clock);
    // The feed repeats p2 (items change order, overlap): it is a duplicate, not a second mention.
    expect(second).toMatchObject({ ok: true, accepted: 2, duplicates: 1 });
    expect(fake.requests.map((r) => r.path)).toEqual(["/feed", "/feed?since=3"]);
    expect(fake.requests[0]!.userAgent).toBe(USER_AGENT);
    expect(mentions()).toBe(5);
    expect(t.db.sqlite.prepare("SELECT DISTINCT source_id FROM mentions").all()).toEqual([
      { source_id: source.id },
    ]);
  });

  it("records a failing source with its error and backoff, and pulls the others all the same", async () => {
    lift();
    const broken = await feed();
    broken.answer = () => ({ status: 500, body: "oops" });
    const good = await feed();
    good.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 2), next: "2" }) });
    const a = await t.platform.sources.add({ kind: "jsonfeed", target: `${broken.url}/feed`, owner: "U1" });
    await t.platform.sources.add({ kind: "jsonfeed", target: `${good.url}/feed`, owner: "U1" });
    const outcomes = await t.platform.sources.pullDue(clock);
    expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect(outcomes[0]!.error).toBe("the feed answered 500");
    expect(mentions()).toBe(2);
    const failing = await t.platform.sources.get(a.id);
    expect(failing).toMatchObject({ lastStatus: "error", lastError: "the feed answered 500", failures: 1 });
    // Retried after its interval, then twice that: backoff.
    expect(failing.nextRunAt).toBe(clock + 15 * 60_000);
    clock = failing.nextRunAt!;
    await t.platform.sources.pullDue(clock);
    expect((await t.platform.sources.get(a.id)).nextRunAt).toBe(clock + 30 * 60_000);
    // `sources` says which fails, and why.
    const report = await t.platform.registries.commands.run("sources", {
      platform: t.platform,
      userId: "U1",
    });
    expect(report.warnings[0]).toMatch(/is failing: the feed answered 500; retried with backoff/);
  });

  it("waits out a 429's Retry-After", async () => {
    lift();
    const fake = await feed();
    fake.answer = () => ({ status: 429, body: "slow down", headers: { "retry-after": "7200" } });
    const source = await t.platform.sources.add({
      kind: "jsonfeed",
      target: `${fake.url}/feed`,
      owner: "U1",
    });
    await t.platform.sources.pullDue(clock);
    expect((await t.platform.sources.get(source.id)).nextRunAt).toBe(clock + 7200_000);
  });

  it("writes nothing and keeps the cursor when the rows cannot be written", async () => {
    lift();
    const fake = await feed();
    fake.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 3), next: "3" }) });
    const source = await t.platform.sources.add({
      kind: "jsonfeed",
      target: `${fake.url}/feed`,
      owner: "U1",
    });
    t.db.sqlite.exec(`CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.platform_id = 'p2'
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const [outcome] = await t.platform.sources.pullDue(clock);
    expect(outcome).toMatchObject({ ok: false, error: "disk on fire" });
    expect(mentions()).toBe(0);
    expect((await t.platform.sources.get(source.id)).failures).toBe(1);
    expect(t.db.sqlite.prepare("SELECT cursor FROM sources").get()).toEqual({ cursor: null });
  });

  it("is listed, paused, resumed, deleted and pulled from the command language and `lift sources`", async () => {
    lift();
    const fake = await feed();
    fake.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 4), next: "4" }) });
    const run = (text: string) =>
      t.platform.registries.commands.run(text, { platform: t.platform, userId: "U1" });
    const added = await run(`sources add jsonfeed ${fake.url}/feed every 2h`);
    expect(added.title).toBe(`Source added · ${fake.url}/feed`);
    expect((await t.platform.sources.get(1)).everyMinutes).toBe(120);
    const io = bufferIo();
    expect(
      await runCli(["sources", "pull", "1"], { core: t.core, runner: t.core.runner(), io, serverUrl: "" }),
    ).toBe(0);
    expect(io.stdout).toContain(`${fake.url}/feed: 4 new, 0 already there`);
    expect((await run("sources pause 1")).title).toMatch(/^Source paused/);
    expect(await t.platform.sources.pullDue(clock + 10 * 3600_000)).toEqual([]);
    expect((await run("sources resume 1")).title).toMatch(/^Source resumed/);
    expect((await run("sources delete 1")).title).toMatch(/^Source deleted/);
    expect((await run("sources")).summary).toMatch(/^No pulled sources yet/);
    await expect(run("sources add telegraph")).rejects.toThrow(
      /“telegraph” is not a kind of source Lift pulls/,
    );
    await expect(run("sources add rss")).rejects.toThrow("“” is not a feed address");
  });
});

describe("fetching a configured URL from the server", () => {
  const options = { allowPrivate: false, userAgent: USER_AGENT };

  it("refuses loopback, private and link-local addresses unless allowed", async () => {
    const fake = await feed();
    await expect(safeFetch(`${fake.url}/feed`, options)).rejects.toThrow(/private or loopback address/);
    await expect(safeFetch("http://169.254.169.254/latest/meta-data", options)).rejects.toThrow(/private/);
    await expect(safeFetch("http://[::1]:9/", options)).rejects.toThrow(/private/);
    await expect(safeFetch("http://localhost:9/", options)).rejects.toThrow(/private or loopback/);
    await expect(safeFetch("file:///etc/passwd", options)).rejects.toThrow(/http and https/);
    expect((await safeFetch(`${fake.url}/feed`, { ...options, allowPrivate: true })).status).toBe(200);
  });

  it("caps the size of a response, the redirects it follows and the time it waits", async () => {
    const fake = await feed();
    fake.answer = (path) =>
      path === "/big"
        ? { status: 200, body: "x".repeat(200_000) }
        : path === "/loop"
          ? { status: 302, body: "", headers: { location: "/loop" } }
          : { status: 200, body: "{}" };
    const allowed = { ...options, allowPrivate: true };
    await expect(safeFetch(`${fake.url}/big`, { ...allowed, maxBytes: 100_000 })).rejects.toThrow(
      /more than 98 KB/,
    );
    await expect(safeFetch(`${fake.url}/loop`, { ...allowed, maxRedirects: 3 })).rejects.toThrow(
      /redirects more than 3 times/,
    );
    const silent = createServer(() => {});
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      await expect(safeFetch(url, { ...allowed, timeoutMs: 300 })).rejects.toThrow(/did not answer within/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
