import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { PlatformApi } from "../../platform/contract/api.ts";
import {
  ascii,
  FIRST_NAMES,
  type LiveDemoPart,
  type MentionMood,
  mentionText,
  Random,
} from "../../platform/demo/index.ts";
import { pulledSources } from "../sources/index.ts";

/*
 * `lift demo --live`'s social part: a feed server on 127.0.0.1 that speaks
 * RSS 2.0 (/feed.xml) and Mastodon's hashtag timeline
 * (/api/v1/timelines/tag/liftoutfitters), a new post every few seconds, and
 * two pulled sources pointed at it, so pulling can be seen working. Both go
 * when the demo stops.
 */

interface Post {
  id: number;
  at: number;
  author: string;
  text: string;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// Long on purpose: the demo's two live feeds (RSS and Mastodon) served and registered together, so stopping undoes both.
export async function startLiveFeeds(
  platform: PlatformApi,
  seed: number,
  everyMs = 4000,
): Promise<LiveDemoPart> {
  const random = new Random(seed + 7);
  const posts: Post[] = [];
  const started = Date.now();
  const mood = (): MentionMood =>
    random.weighted([
      ["positive", 45],
      ["neutral", 35],
      ["negative", 20],
    ] as const);
  const more = () => {
    // The posts there are by now: one every `everyMs` since the server started.
    while (posts.length < Math.floor((Date.now() - started) / everyMs) + 3) {
      const id = 1_000_000 + posts.length;
      posts.push({
        id,
        at: started + posts.length * everyMs,
        author: `${ascii(random.pick(FIRST_NAMES)).toLowerCase()}${random.int(1, 999)}`,
        text: mentionText(mood(), random),
      });
    }
  };
  let url = "";
  const server: Server = createServer((req, res) => {
    more();
    const path = new URL(req.url ?? "/", "http://localhost");
    if (path.pathname === "/feed.xml") {
      const items = posts
        .filter((p) => p.id % 2 === 0)
        .slice(-20)
        .reverse()
        .map(
          (p) =>
            `<item><title>${xml(p.text.slice(0, 60))}</title><link>/reviews/${p.id}</link><guid>review-${p.id}</guid><pubDate>${new Date(p.at).toUTCString()}</pubDate><description>${xml(p.text)}</description><dc:creator>${p.author}</dc:creator></item>`,
        );
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Outdoor reviews (Lift demo)</title><link>${url}/</link><language>en</language>${items.join("")}</channel></rss>`,
      );
      return;
    }
    if (path.pathname === "/api/v1/timelines/tag/liftoutfitters") {
      const after = Number(path.searchParams.get("min_id") ?? 0);
      const limit = Math.min(40, Number(path.searchParams.get("limit") ?? 20));
      const statuses = posts
        .filter((p) => p.id % 2 === 1 && p.id > after)
        .slice(0, limit)
        .map((p) => ({
          id: String(p.id),
          created_at: new Date(p.at).toISOString(),
          uri: `${url}/users/${p.author}/statuses/${p.id}`,
          url: `${url}/@${p.author}/${p.id}`,
          content: `<p>${xml(p.text)} <a href="${url}/tags/liftoutfitters">#liftoutfitters</a></p>`,
          language: "en",
          account: { acct: p.author },
          favourites_count: p.id % 7,
          reblogs_count: p.id % 3,
          replies_count: p.id % 2,
        }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(statuses));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sources = [
    await pulledSources.of(platform).add({
      kind: "rss",
      target: `${url}/feed.xml`,
      everyMinutes: 1,
      owner: "demo",
      local: true,
    }),
    await pulledSources.of(platform).add({
      kind: "mastodon",
      target: `#liftoutfitters on ${url}`,
      everyMinutes: 1,
      owner: "demo",
      local: true,
    }),
  ];
  return {
    lines: [
      `Feeds for the social sources at ${url}: RSS ${url}/feed.xml and Mastodon #liftoutfitters (sources ${sources.map((s) => s.id).join(" and ")}, pulled every minute by the running Lift; \`lift sources\` shows them).`,
    ],
    stop: async () => {
      for (const source of sources)
        await pulledSources
          .of(platform)
          .setStatus(source.id, "deleted", "demo")
          .catch(() => {});
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
