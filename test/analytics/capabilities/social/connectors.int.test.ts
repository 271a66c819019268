import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pulledSources, USER_AGENT } from "../../../../analytics/capabilities/sources/index.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import { DEMO_NOW } from "../../../support/demo.ts";

/*
 * Each connector against a local server that answers in the platform's
 * documented format (responses written for these tests from the public API
 * docs: RSS 2.0 / RSS 1.0 / Atom 1.0 specs; docs.joinmastodon.org; hn.algolia.com/api;
 * Reddit's OAuth2 wiki and listing format; docs.bsky.app).
 */
const FIXTURES = join(import.meta.dirname, "../../../fixtures/social");

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}
type Answer = { status?: number; body: string | Buffer; type?: string; headers?: Record<string, string> };

let server: Server | null = null;
let t: TestDb;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = null;
  t?.cleanup();
});

async function serve(route: (seen: Seen) => Answer): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const request = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body };
      seen.push(request);
      const answer = route(request);
      res.writeHead(answer.status ?? 200, {
        "content-type": answer.type ?? "application/json",
        ...answer.headers,
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

/** Lift with the social settings given (LIFT_HN_URL, REDDIT_CLIENT_ID …), fetching loopback fakes. */
function lift(env: Record<string, string> = {}) {
  t = emptyDb({ now: () => DEMO_NOW, timeZone: "UTC", env: { LIFT_SOURCES_ALLOW_PRIVATE: "true", ...env } });
  return t;
}

const stored = () =>
  t.db.sqlite
    .prepare(
      "SELECT platform, platform_id AS id, lift_open(url) AS url, lift_open(author) AS author, text, lang, timestamp, likes, reposts, replies, sentiment_label AS label FROM mentions ORDER BY timestamp",
    )
    .all() as Record<string, unknown>[];

async function addAndPull(kind: string, target: string) {
  const source = await pulledSources.of(t.platform).add({ kind, target, owner: "U1" });
  const [outcome] = await pulledSources.of(t.platform).pullNow(source.id);
  return { source, outcome: outcome! };
}

describe("RSS and Atom", () => {
  it("reads an ISO-8859-1 RSS 2.0 feed: entities, CDATA HTML, relative links, items without a guid; a re-pull adds nothing", async () => {
    lift();
    const fake = await serve(() => ({
      body: readFileSync(join(FIXTURES, "rss2-latin1.xml")),
      type: "application/rss+xml",
    }));
    const { outcome } = await addAndPull("rss", `${fake.url}/feed.xml`);
    expect(outcome).toMatchObject({ ok: true, accepted: 3 });
    const rows = stored();
    expect(rows[0]).toMatchObject({
      platform: "rss",
      id: "gear-2026-1101",
      url: "https://gear.example.com/reviews/lift-trail-boots",
      author: "Mara Quinn",
      text: "Lift Outfitters’ trail boots: café to summit — The Lift boots are great & comfy, but shipping was late.",
      lang: "en",
      timestamp: Date.parse("2026-11-01T08:39:21Z"),
    });
    expect(rows[1]).toMatchObject({
      url: "https://gear.example.com/deals/weekend?utm=rss&x=1",
      text: "Weekend deals roundup — Lift Outfitters has 20% off jackets this week.",
      author: "Outdoor Gear Weekly",
    });
    // No guid, no link: known by its title and date.
    expect(rows[2]).toMatchObject({
      id: `Reader mail: returns at Lift|${Date.parse("2026-11-03T13:00:00Z")}`,
      text: "Reader mail: returns at Lift — Refund took three weeks. Not happy 😠",
    });
    expect(fake.seen[0]!.headers["user-agent"]).toBe(USER_AGENT);
    const [again] = await pulledSources
      .of(t.platform)
      .pullNow((await pulledSources.of(t.platform).list())[0]!.id);
    expect(again).toMatchObject({ ok: true, accepted: 0, duplicates: 3 });
  });

  it("reads RSS 1.0 (RDF) and Atom, with the feed's languages", async () => {
    lift();
    const fake = await serve((seen) => ({
      body: readFileSync(join(FIXTURES, seen.path.includes("atom") ? "atom.xml" : "rss1-rdf.xml")),
      type: "application/xml",
    }));
    expect((await addAndPull("rss", `${fake.url}/rdf`)).outcome).toMatchObject({ ok: true, accepted: 1 });
    expect((await addAndPull("rss", `${fake.url}/atom`)).outcome).toMatchObject({ ok: true, accepted: 2 });
    const rows = stored();
    expect(rows.map((r) => [r["id"], r["lang"], r["url"]])).toEqual([
      ["https://blog.example.org/2026/11/lift-jacket", "en", "https://blog.example.org/2026/11/lift-jacket"],
      ["tag:reviews.example.de,2026:42", "de", "https://reviews.example.de/bewertung/42"],
      ["tag:reviews.example.de,2026:43", "en", "https://reviews.example.de/review/43"],
    ]);
    expect(rows[1]).toMatchObject({
      text: "Lift Wanderschuhe – leider kaputt — Nach zwei Wochen ist die Sohle gebrochen.",
      author: "Klaus",
      label: "unscored",
    });
    expect(rows[2]).toMatchObject({ label: "positive" });
  });

  it("says what is wrong with a document that is not a feed, and keeps the source's error", async () => {
    lift();
    const fake = await serve(() => ({ body: "<html><body>Not a feed</body></html>", type: "text/html" }));
    const { outcome } = await addAndPull("rss", `${fake.url}/`);
    expect(outcome.ok).toBe(false);
    expect(outcome.source.lastError).toContain("not an RSS or Atom feed");
  });
});

const status = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  created_at: `2026-11-20T10:00:${id.slice(-2).padStart(2, "0")}.000Z`,
  uri: `https://mastodon.example/users/ana/statuses/${id}`,
  url: `https://mastodon.example/@ana/${id}`,
  content: `<p>Loving my new <a href="https://mastodon.example/tags/lift">#<span>lift</span></a> boots &amp; jacket ${id}</p>`,
  language: "en",
  account: { acct: "ana" },
  favourites_count: 3,
  reblogs_count: 1,
  replies_count: 0,
  ...extra,
});

describe("Mastodon", () => {
  it("pages a hashtag timeline oldest-first from its cursor, counts a boost as its original, keeps engagement", async () => {
    lift();
    const fake = await serve((seen) => {
      const url = new URL(seen.path, "http://x");
      const after = url.searchParams.get("min_id");
      if (after === null)
        return { body: JSON.stringify(Array.from({ length: 40 }, (_, i) => status(String(1000 + i)))) };
      if (after === "1039")
        return {
          body: JSON.stringify([
            status("1040"),
            {
              ...status("1041"),
              reblog: status("900", { content: "<p>Original post &lt;3</p>", favourites_count: 12 }),
            },
            { id: 42 },
          ]),
        };
      return { body: "[]" };
    });
    const { source, outcome } = await addAndPull("mastodon", `#lift on ${fake.url}`);
    expect(outcome).toMatchObject({ ok: true, accepted: 42 });
    expect(fake.seen.map((s) => s.path)).toEqual([
      "/api/v1/timelines/tag/lift?limit=40",
      "/api/v1/timelines/tag/lift?limit=40&min_id=1039",
    ]);
    const boosted = stored().find((r) => String(r["id"]).endsWith("/900"))!;
    expect(boosted).toMatchObject({ text: "Original post <3", likes: 12, author: "@ana" });
    expect(stored()[0]).toMatchObject({
      text: "Loving my new #lift boots & jacket 1000",
      likes: 3,
      reposts: 1,
      replies: 0,
      lang: "en",
    });
    expect((await pulledSources.of(t.platform).get(source.id)).cursor).toBe("1041");
  });

  it("waits out a 429 with Retry-After and tries again after it", async () => {
    lift();
    const fake = await serve(() => ({ status: 429, body: "{}", headers: { "retry-after": "120" } }));
    const { source, outcome } = await addAndPull("mastodon", `#lift on ${fake.url}`);
    expect(outcome.ok).toBe(false);
    const after = await pulledSources.of(t.platform).get(source.id);
    expect(after.lastError).toContain("rate limited");
    // At least Retry-After (and the source's own backoff when that is longer).
    expect(after.nextRunAt).toBeGreaterThanOrEqual(DEMO_NOW + 120_000);
  });
});

describe("Hacker News (Algolia)", () => {
  it("searches stories and comments since the cursor, text from their HTML", async () => {
    const fake = await serve(() => ({
      body: JSON.stringify({
        hits: [
          {
            objectID: "41",
            created_at_i: 1795390000,
            title: "Show HN: Lift, Slack analytics",
            url: "https://lift.example",
            author: "pg",
            points: 120,
            num_comments: 44,
          },
          {
            objectID: "42",
            created_at_i: 1795390100,
            comment_text: "I&#x27;m not sure it&#x27;s <i>better</i> than GrowthBook",
            author: "dang",
            story_title: "Show HN",
          },
          { objectID: "43" },
        ],
        nbPages: 1,
      }),
    }));
    lift({ LIFT_HN_URL: fake.url });
    const { source, outcome } = await addAndPull("hackernews", "lift analytics");
    expect(outcome).toMatchObject({ ok: true, accepted: 2 });
    expect(decodeURIComponent(fake.seen[0]!.path)).toContain(
      "query=lift analytics&tags=(story,comment)&numericFilters=created_at_i>",
    );
    expect(stored().map((r) => [r["id"], r["text"], r["likes"], r["replies"]])).toEqual([
      ["41", "Show HN: Lift, Slack analytics", 120, 44],
      ["42", "I'm not sure it's better than GrowthBook", null, null],
    ]);
    expect((await pulledSources.of(t.platform).get(source.id)).cursor).toBe("1795390100");
  });
});

describe("Reddit", () => {
  it("gets an app token with the client credentials, then searches newest first", async () => {
    const fake = await serve((seen) => {
      if (seen.path === "/api/v1/access_token")
        return { body: JSON.stringify({ access_token: "tok-1", token_type: "bearer", expires_in: 86400 }) };
      return {
        body: JSON.stringify({
          kind: "Listing",
          data: {
            children: [
              {
                kind: "t3",
                data: {
                  name: "t3_abc",
                  title: "Lift boots fell apart",
                  selftext: "After a month. Refund please.",
                  author: "hiker",
                  permalink: "/r/hiking/comments/abc/lift_boots/",
                  created_utc: 1795390000,
                  score: 31,
                  num_comments: 12,
                },
              },
              { kind: "t3", data: { name: "t3_old", title: "old", created_utc: 1000 } },
            ],
          },
        }),
      };
    });
    lift({
      REDDIT_CLIENT_ID: "id-1",
      REDDIT_CLIENT_SECRET: "s3cret",
      LIFT_REDDIT_AUTH_URL: fake.url,
      LIFT_REDDIT_API_URL: fake.url,
    });
    const { outcome } = await addAndPull("reddit", "lift boots");
    expect(outcome).toMatchObject({ ok: true, accepted: 1 });
    expect(fake.seen[0]).toMatchObject({ method: "POST", body: "grant_type=client_credentials" });
    expect(fake.seen[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from("id-1:s3cret").toString("base64")}`,
    );
    expect(fake.seen[1]!.headers.authorization).toBe("Bearer tok-1");
    expect(stored()[0]).toMatchObject({
      id: "t3_abc",
      url: "https://www.reddit.com/r/hiking/comments/abc/lift_boots/",
      author: "u/hiker",
      likes: 31,
      replies: 12,
      label: "negative",
    });
  });

  it("says which settings it needs when the credentials are missing", async () => {
    lift();
    const { outcome } = await addAndPull("reddit", "lift boots");
    expect(outcome.ok).toBe(false);
    expect(outcome.source.lastError).toContain("REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET");
  });
});

describe("Bluesky", () => {
  it("signs in with an app password and follows the search cursor until posts are older than the last pull", async () => {
    const post = (n: number, at: string) => ({
      uri: `at://did:plc:abc/app.bsky.feed.post/rk${n}`,
      cid: `c${n}`,
      author: { handle: "ana.bsky.social" },
      record: { text: `lift jacket ${n} is great`, createdAt: at, langs: ["en"] },
      likeCount: n,
      repostCount: 0,
      replyCount: 1,
    });
    const fake = await serve((seen) => {
      if (seen.path.startsWith("/xrpc/com.atproto.server.createSession"))
        return { body: JSON.stringify({ accessJwt: "jwt-1", did: "did:plc:me" }) };
      if (seen.path.includes("cursor=p2"))
        return {
          body: JSON.stringify({ posts: [post(2, "2026-11-21T09:00:00Z"), post(1, "2026-11-01T09:00:00Z")] }),
        };
      return { body: JSON.stringify({ posts: [post(3, "2026-11-22T09:00:00Z")], cursor: "p2" }) };
    });
    lift({ BLUESKY_HANDLE: "me.bsky.social", BLUESKY_APP_PASSWORD: "app-pass", LIFT_BLUESKY_URL: fake.url });
    const { source, outcome } = await addAndPull("bluesky", "lift jacket");
    // The post from Nov 1 is older than the first pull looks back (7 days).
    expect(outcome).toMatchObject({ ok: true, accepted: 2 });
    expect(JSON.parse(fake.seen[0]!.body)).toEqual({ identifier: "me.bsky.social", password: "app-pass" });
    expect(fake.seen[1]!.headers.authorization).toBe("Bearer jwt-1");
    expect(stored().map((r) => r["url"])).toEqual([
      "https://bsky.app/profile/ana.bsky.social/post/rk2",
      "https://bsky.app/profile/ana.bsky.social/post/rk3",
    ]);
    expect((await pulledSources.of(t.platform).get(source.id)).cursor).toBe("2026-11-22T09:00:00.000Z");
  });
});
