import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulledSources } from "../../analytics/capabilities/sources/index.ts";
import { emptyDb, type TestDb } from "../support/db.ts";
import { DEMO_NOW } from "../support/demo.ts";
import { fuzzOptions, fuzzTimeout } from "./budget.ts";
import { mutatedJson } from "./requests.ts";

/*
 * Every pulled feed — RSS/Atom, Mastodon, Hacker News, Reddit, Bluesky — pulled from a loopback
 * server that answers with a generated status, type and body: each platform's documented
 * response (the shapes the connector tests use) mutated a little, any JSON, broken XML, or
 * nothing. A pull ends as taken or failed with its reason on the source; it never throws.
 */

const SECONDS = 10;

type Answer = { status: number; type: string; body: string };
let answer: Answer = { status: 200, type: "application/json", body: "[]" };
let server: Server;
let t: TestDb;
let url = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(answer.status, { "content-type": answer.type });
      res.end(answer.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = emptyDb({
    now: () => DEMO_NOW,
    timeZone: "UTC",
    env: {
      LIFT_SOURCES_ALLOW_PRIVATE: "true",
      LIFT_HN_URL: url,
      LIFT_MASTODON_URL: url,
      REDDIT_CLIENT_ID: "id-1",
      REDDIT_CLIENT_SECRET: "s3cret",
      LIFT_REDDIT_AUTH_URL: url,
      LIFT_REDDIT_API_URL: url,
      BLUESKY_HANDLE: "me.bsky.social",
      BLUESKY_APP_PASSWORD: "app-pass",
      LIFT_BLUESKY_URL: url,
    },
  });
});
afterAll(async () => {
  t?.cleanup();
  await new Promise<void>((done) => server.close(() => done()));
});

const at = "2026-11-22T09:00:00Z";
const TEMPLATES: unknown[] = [
  [
    {
      id: "1",
      created_at: at,
      content: "<p>love lift</p>",
      url: "https://m.example/@a/1",
      account: { acct: "a" },
      language: "en",
      favourites_count: 1,
      reblogs_count: 0,
      replies_count: 0,
    },
  ],
  { id: "9" },
  {
    hits: [
      {
        objectID: "1",
        created_at: at,
        title: "Lift",
        url: "https://x.example",
        author: "pg",
        points: 3,
        num_comments: 1,
        story_text: null,
        comment_text: null,
      },
    ],
  },
  { access_token: "tok-1", token_type: "bearer", expires_in: 3600 },
  {
    data: {
      after: null,
      children: [
        {
          kind: "t3",
          data: {
            name: "t3_a",
            title: "lift",
            selftext: "",
            permalink: "/r/x/comments/a/",
            author: "u",
            created_utc: 1763800000,
            score: 3,
            num_comments: 1,
          },
        },
      ],
    },
  },
  { accessJwt: "jwt-1", did: "did:plc:x" },
  {
    posts: [
      {
        uri: "at://did:plc:x/app.bsky.feed.post/rk1",
        author: { handle: "ana.bsky.social" },
        record: { text: "lift", createdAt: at },
        indexedAt: at,
        likeCount: 1,
      },
    ],
    cursor: "p2",
  },
];
const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Lift</title><link>https://x.example/1</link><pubDate>Sun, 22 Nov 2026 09:00:00 GMT</pubDate><guid>1</guid></item></channel></rss>`;

const answers: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(200, 200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503),
  type: fc.constantFrom("application/json", "application/rss+xml", "text/xml", "text/html", ""),
  body: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...TEMPLATES).chain((template) => mutatedJson(template)) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }).map((s) => RSS.replace("Lift", s)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "<rss>", "{", "null") },
  ),
});

describe("every pulled feed, fuzzed", () => {
  it(
    "ends every pull taken or failed with its reason, whatever the platform answers",
    async () => {
      const sources = pulledSources.of(t.platform);
      const added = [
        await sources.add({ kind: "rss", target: `${url}/feed.xml`, owner: "U1" }),
        await sources.add({ kind: "mastodon", target: "#lift", owner: "U1" }),
        await sources.add({ kind: "hackernews", target: "lift analytics", owner: "U1" }),
        await sources.add({ kind: "reddit", target: "lift boots", owner: "U1" }),
        await sources.add({ kind: "bluesky", target: "lift jacket", owner: "U1" }),
      ];
      await fc.assert(
        fc.asyncProperty(answers, fc.constantFrom(...added), async (given, source) => {
          answer = given;
          const [outcome] = await sources.pullNow(source.id);
          expect(outcome, JSON.stringify(given).slice(0, 300)).toBeDefined();
          if (!outcome!.ok) expect(String(outcome!.error ?? "").length).toBeGreaterThan(0);
        }),
        fuzzOptions(SECONDS),
      );
    },
    fuzzTimeout(SECONDS),
  );
});
