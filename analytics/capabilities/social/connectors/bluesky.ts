import { AppError } from "../../../platform/base/errors.ts";
import { type ConnectorKind, checkResponse, PullError } from "../../sources/index.ts";
import type { SocialSettings } from "../settings.ts";
import { clip } from "./text.ts";

/*
 * Bluesky's post search (docs.bsky.app: app.bsky.feed.searchPosts), which
 * needs a session: com.atproto.server.createSession with a handle and an app
 * password (BLUESKY_HANDLE, BLUESKY_APP_PASSWORD). Newest first, 100 a page,
 * following `cursor` up to five pages; the source's cursor is the newest
 * createdAt seen.
 */

interface PostView {
  uri: string;
  author: { handle: string };
  record: { text?: string; createdAt?: string; langs?: string[] };
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
}

// Long on purpose: Bluesky's session and search flow (login, refresh, paged search) in the order the API needs it.
export const blueskyConnector = (settings: SocialSettings): ConnectorKind => ({
  kind: "bluesky",
  label: "Bluesky search",
  dataKind: "mentions",
  usage: "<search terms>",
  example: "sources add bluesky liftoutfitters",
  defaultEveryMinutes: 10,
  configure(target) {
    const query = target.trim().replace(/^"|"$/g, "");
    if (query.length < 2)
      throw new AppError("invalid_input", "Search Bluesky for what?", {
        hint: "sources add bluesky yourbrand",
      });
    return { name: `“${query}” on Bluesky`, config: { query } };
  },
  async pull(config, cursor, context) {
    const handle = settings.BLUESKY_HANDLE;
    const password = settings.BLUESKY_APP_PASSWORD;
    if (!handle || !password)
      throw new PullError(
        "Bluesky search needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD (Settings › App passwords)",
        24 * 3600_000,
      );
    const base = (settings.LIFT_BLUESKY_URL ?? "https://bsky.social").replace(/\/+$/, "");
    const session = checkResponse(
      await context.fetch(`${base}/xrpc/com.atproto.server.createSession`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ identifier: handle, password }),
      }),
      "Bluesky's sign-in",
    );
    const jwt = (JSON.parse(session.body.toString("utf8")) as { accessJwt?: string }).accessJwt;
    if (!jwt)
      throw new PullError(
        "Bluesky gave no session: check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD",
        24 * 3600_000,
      );
    const since = cursor ? Date.parse(cursor) : context.now - 7 * 86_400_000;
    let newest = since;
    let page: string | undefined;
    const rows: Record<string, unknown>[] = [];
    for (let n = 0; n < 5; n++) {
      const response = checkResponse(
        await context.fetch(
          `${base}/xrpc/app.bsky.feed.searchPosts?q=${encodeURIComponent(String(config["query"]))}&sort=latest&limit=100${page ? `&cursor=${encodeURIComponent(page)}` : ""}`,
          { headers: { authorization: `Bearer ${jwt}`, accept: "application/json" } },
        ),
        "Bluesky search",
      );
      let body: { posts?: PostView[]; cursor?: string };
      try {
        body = JSON.parse(response.body.toString("utf8")) as typeof body;
      } catch {
        throw new AppError("invalid_input", "Bluesky search did not answer JSON");
      }
      let older = false;
      for (const post of body.posts ?? []) {
        const at = Date.parse(post?.record?.createdAt ?? "");
        if (!post?.uri || !Number.isFinite(at)) continue;
        if (at <= since) {
          older = true;
          continue;
        }
        newest = Math.max(newest, at);
        const rkey = post.uri.split("/").pop();
        rows.push({
          platform: "bluesky",
          platform_id: post.uri,
          url: `https://bsky.app/profile/${post.author.handle}/post/${rkey}`,
          author: `@${post.author.handle}`,
          text: clip(post.record.text ?? ""),
          lang: post.record.langs?.[0] ?? null,
          timestamp: at,
          likes: post.likeCount ?? null,
          reposts: post.repostCount ?? null,
          replies: post.replyCount ?? null,
        });
      }
      if (older || !body.cursor) break;
      page = body.cursor;
    }
    return {
      rows: rows.filter((r) => String(r["text"]).trim() !== ""),
      cursor: new Date(newest).toISOString(),
    };
  },
});
