import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { CAPABILITIES } from "../../../../analytics/capabilities/index.ts";
import {
  type ConnectorKind,
  checkResponse,
  connectorPoint,
  isPrivateAddress,
  pulledSources,
  Sources,
  safeFetch,
  USER_AGENT,
} from "../../../../analytics/capabilities/sources/index.ts";
import { contribute, defineCapability } from "../../../../analytics/platform/contract/capability.ts";
import { bufferIo, runCli } from "../../../../bot/cli/index.ts";
import { tablesOf } from "../../../../db/client.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import { DEMO_NOW } from "../../../support/demo.ts";

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

/** A capability of the test's own that adds connector kinds to sources' extension point. */
const connectorsOf = (...kinds: ConnectorKind[]) =>
  defineCapability({
    name: "test",
    summary: "connectors of the test's own",
    setup: () => ({ extensions: [contribute(connectorPoint, ...kinds)] }),
  });

function lift(allowPrivate = true) {
  clock = DEMO_NOW;
  t = emptyDb({
    now: () => clock,
    capabilities: [...CAPABILITIES, connectorsOf(jsonFeed)],
    env: { LIFT_SOURCES_ALLOW_PRIVATE: String(allowPrivate) },
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
    const source = await pulledSources.of(t.platform).add({
      kind: "jsonfeed",
      target: `${fake.url}/feed`,
      owner: "U1",
    });
    const [first] = await pulledSources.of(t.platform).pullDue(clock);
    expect(first).toMatchObject({ ok: true, accepted: 3, duplicates: 0 });
    expect(first!.source).toMatchObject({ lastStatus: "ok", itemsTotal: 3, nextRunAt: clock + 15 * 60_000 });
    // Not due again until its interval is over.
    expect(await pulledSources.of(t.platform).pullDue(clock + 60_000)).toEqual([]);
    clock += 15 * 60_000;
    const [second] = await pulledSources.of(t.platform).pullDue(clock);
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
    const a = await pulledSources
      .of(t.platform)
      .add({ kind: "jsonfeed", target: `${broken.url}/feed`, owner: "U1" });
    await pulledSources.of(t.platform).add({ kind: "jsonfeed", target: `${good.url}/feed`, owner: "U1" });
    const outcomes = await pulledSources.of(t.platform).pullDue(clock);
    expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect(outcomes[0]!.error).toBe("the feed answered 500");
    expect(mentions()).toBe(2);
    const failing = await pulledSources.of(t.platform).get(a.id);
    expect(failing).toMatchObject({ lastStatus: "error", lastError: "the feed answered 500", failures: 1 });
    // Retried after its interval, then twice that: backoff.
    expect(failing.nextRunAt).toBe(clock + 15 * 60_000);
    clock = failing.nextRunAt!;
    await pulledSources.of(t.platform).pullDue(clock);
    expect((await pulledSources.of(t.platform).get(a.id)).nextRunAt).toBe(clock + 30 * 60_000);
    // `sources` says which fails, and why.
    const report = await t.platform.registries.commands.run("sources", { userId: "U1" });
    expect(report.warnings[0]).toMatch(/is failing: the feed answered 500; retried with backoff/);
  });

  it("waits out a 429's Retry-After", async () => {
    lift();
    const fake = await feed();
    fake.answer = () => ({ status: 429, body: "slow down", headers: { "retry-after": "7200" } });
    const source = await pulledSources.of(t.platform).add({
      kind: "jsonfeed",
      target: `${fake.url}/feed`,
      owner: "U1",
    });
    await pulledSources.of(t.platform).pullDue(clock);
    expect((await pulledSources.of(t.platform).get(source.id)).nextRunAt).toBe(clock + 7200_000);
  });

  it("writes nothing and keeps the cursor when the rows cannot be written", async () => {
    lift();
    const fake = await feed();
    fake.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 3), next: "3" }) });
    const source = await pulledSources.of(t.platform).add({
      kind: "jsonfeed",
      target: `${fake.url}/feed`,
      owner: "U1",
    });
    t.db.sqlite.exec(`CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.platform_id = 'p2'
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const [outcome] = await pulledSources.of(t.platform).pullDue(clock);
    expect(outcome).toMatchObject({ ok: false, error: "disk on fire" });
    expect(mentions()).toBe(0);
    expect((await pulledSources.of(t.platform).get(source.id)).failures).toBe(1);
    expect(t.db.sqlite.prepare("SELECT cursor FROM sources").get()).toEqual({ cursor: null });
  });

  it("is listed, paused, resumed, deleted and pulled from the command language and `lift sources`", async () => {
    lift();
    const fake = await feed();
    fake.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 4), next: "4" }) });
    const run = (text: string) => t.platform.registries.commands.run(text, { userId: "U1" });
    const added = await run(`sources add jsonfeed ${fake.url}/feed every 2h`);
    expect(added.title).toBe(`Source added · ${fake.url}/feed`);
    expect((await pulledSources.of(t.platform).get(1)).everyMinutes).toBe(120);
    const io = bufferIo();
    expect(
      await runCli(["sources", "pull", "1"], { core: t.core, runner: t.core.runner(), io, serverUrl: "" }),
    ).toBe(0);
    expect(io.stdout).toContain(`${fake.url}/feed: 4 new, 0 already there`);
    expect((await run("sources pause 1")).title).toMatch(/^Source paused/);
    expect(await pulledSources.of(t.platform).pullDue(clock + 10 * 3600_000)).toEqual([]);
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

/** A server that answers each request with `respond(res)`: the test decides what the socket does. */
async function rawServer(respond: (res: import("node:http").ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => respond(res));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  fakes.push({
    url: "",
    requests: [],
    answer: () => ({ status: 200, body: "" }),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
}

const ENCODINGS: [string, (body: Buffer) => Buffer][] = [
  ["gzip", gzipSync],
  ["deflate", deflateSync],
  ["br", brotliCompressSync],
  ["identity", (body) => body],
];

describe("a feed that breaks off (the dead-feed probe)", () => {
  const allowed = { allowPrivate: true, userAgent: USER_AGENT };

  for (const [encoding, encode] of ENCODINGS) {
    it(`fails a ${encoding} body whose connection drops after 20 bytes, with the reason`, async () => {
      const body = encode(Buffer.from(JSON.stringify({ items: items(0, 400), next: "400" })));
      const url = await rawServer((res) => {
        res.writeHead(200, {
          "content-type": "application/json",
          ...(encoding === "identity" ? {} : { "content-encoding": encoding }),
        });
        res.write(body.subarray(0, 20));
        setTimeout(() => res.socket?.destroy(), 20);
      });
      await expect(safeFetch(url, { ...allowed, timeoutMs: 10_000 })).rejects.toThrow(
        /closed the connection before the whole response arrived/,
      );
    });

    it(`fails a ${encoding} body that stalls half-way at the time cap`, async () => {
      const body = encode(Buffer.from(JSON.stringify({ items: items(0, 400), next: "400" })));
      const url = await rawServer((res) => {
        res.writeHead(200, encoding === "identity" ? {} : { "content-encoding": encoding });
        res.write(body.subarray(0, 20));
      });
      await expect(safeFetch(url, { ...allowed, timeoutMs: 300 })).rejects.toThrow(/did not answer within/);
    });
  }

  it("stops inflating a gzip bomb at the size cap instead of inflating it all", async () => {
    // 1 GB of zeros in ~1 MB of gzip (16 members of 64 MB: gunzip reads concatenated members as one
    // stream); the probe saw the cap refuse it while inflating went on for 8 s.
    const bomb = Buffer.concat(Array(16).fill(gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 })));
    const url = await rawServer((res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(bomb);
    });
    const started = performance.now();
    await expect(safeFetch(url, { ...allowed, maxBytes: 5 * 1024 * 1024 })).rejects.toThrow(
      /more than 5120 KB/,
    );
    // The event loop is free at once: nothing goes on inflating behind the refusal.
    await new Promise((done) => setTimeout(done, 0));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("records a feed cut off mid-body on its source, and the sources job goes on to the next one", async () => {
    lift();
    const cut = await rawServer((res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.write(gzipSync(Buffer.from(JSON.stringify({ items: items(0, 400), next: "1" }))).subarray(0, 20));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const good = await feed();
    good.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 2), next: "2" }) });
    const dead = await pulledSources.of(t.platform).add({ kind: "jsonfeed", target: cut, owner: "U1" });
    await pulledSources.of(t.platform).add({ kind: "jsonfeed", target: `${good.url}/feed`, owner: "U1" });
    const job = t.platform.registries.jobs.get("sources")!;
    const outcome = await t.core.runJob(job.name, clock, t.core.consoleNotifier);
    expect(outcome).toBe("ran");
    expect(mentions()).toBe(2);
    expect(await pulledSources.of(t.platform).get(dead.id)).toMatchObject({
      lastStatus: "error",
      lastError: expect.stringMatching(/closed the connection before the whole response arrived/),
      failures: 1,
    });
  });

  it("gives up on a connector that never finishes at the pull's cap, records why, and pulls the next", async () => {
    lift();
    const hanging: ConnectorKind = { ...jsonFeed, kind: "hanging", pull: () => new Promise(() => {}) };
    const sources = new Sources({
      db: tablesOf(t.db),
      ingest: t.platform.ingest,
      connectors: () => [jsonFeed, hanging],
      logger: t.platform.logger,
      now: () => clock,
      allowPrivate: true,
      pullCapMs: 200,
    });
    const good = await feed();
    good.answer = () => ({ status: 200, body: JSON.stringify({ items: items(0, 2), next: "2" }) });
    const stuck = await sources.add({ kind: "hanging", target: "https://example.com/x", owner: "U1" });
    await sources.add({ kind: "jsonfeed", target: `${good.url}/feed`, owner: "U1" });
    const outcomes = await sources.pullDue(clock);
    expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect((await sources.get(stuck.id)).lastError).toMatch(/did not finish within 200 ms/);
    expect(mentions()).toBe(2);
  });

  it("refuses a malformed instance address in words, not an internal error", async () => {
    lift();
    await expect(
      t.platform.registries.commands.run("sources add mastodon #x on http://[", { userId: "U1" }),
    ).rejects.toThrow(/“http:\/\/\[” is not an instance address/);
  });
});

describe("addresses that hide a private IPv4 address in IPv6", () => {
  it("refuses NAT64, 6to4, IPv4-compatible, SIIT, mapped and Teredo forms of private addresses", () => {
    for (const address of [
      "64:ff9b::a9fe:a9fe",
      "64:ff9b:1::a9fe:a9fe",
      "::a9fe:a9fe",
      "2002:7f00:1::1",
      "::ffff:0:a9fe:a9fe",
      "::ffff:a9fe:a9fe",
      "::ffff:169.254.169.254",
      // Teredo carries the client's address inverted: 80ff:fffe is 127.0.0.1.
      "2001:0:4136:e378:8000:63bf:80ff:fffe",
    ])
      expect(isPrivateAddress(address), address).toBe(true);
  });

  it("lets the same forms of public addresses through", () => {
    for (const address of ["64:ff9b::808:808", "2002:808:808::1", "2606:4700::6810:84e5", "8.8.8.8"])
      expect(isPrivateAddress(address), address).toBe(false);
  });
});
