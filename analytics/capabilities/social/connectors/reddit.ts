import { AppError } from "../../../platform/base/errors.ts";
import { type ConnectorKind, checkResponse, PullError } from "../../sources/index.ts";
import type { SocialSettings } from "../settings.ts";
import { clip, htmlToText } from "./text.ts";

/*
 * Reddit's search with an app's own token (OAuth2 client credentials,
 * github.com/reddit-archive/reddit/wiki/OAuth2): POST /api/v1/access_token at
 * www.reddit.com, then GET /search?q=…&sort=new&limit=100 at oauth.reddit.com.
 * Needs REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET; the cursor is the newest
 * created_utc seen.
 */

interface Post {
  name: string;
  title?: string;
  selftext?: string;
  body?: string;
  author?: string;
  permalink?: string;
  created_utc: number;
  score?: number;
  num_comments?: number;
  subreddit?: string;
}

export const redditConnector = (settings: SocialSettings): ConnectorKind => ({
  kind: "reddit",
  label: "Reddit search",
  dataKind: "mentions",
  usage: "<search terms> [in r/subreddit]",
  example: "sources add reddit liftoutfitters",
  defaultEveryMinutes: 15,
  configure(target) {
    const sub = /\s+in\s+r\/([\w]+)\s*$/i.exec(target);
    const query = (sub ? target.slice(0, sub.index) : target).trim().replace(/^"|"$/g, "");
    if (query.length < 2)
      throw new AppError("invalid_input", "Search Reddit for what?", {
        hint: "sources add reddit yourbrand",
      });
    return {
      name: `“${query}” on Reddit${sub ? ` in r/${sub[1]}` : ""}`,
      config: { query, ...(sub ? { subreddit: sub[1] } : {}) },
    };
  },
  async pull(config, cursor, context) {
    const id = settings.REDDIT_CLIENT_ID;
    const secret = settings.REDDIT_CLIENT_SECRET;
    if (!id || !secret)
      throw new PullError(
        "Reddit needs REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET (a script app at reddit.com/prefs/apps)",
        24 * 3600_000,
      );
    const auth = (settings.LIFT_REDDIT_AUTH_URL ?? "https://www.reddit.com").replace(/\/+$/, "");
    const api = (settings.LIFT_REDDIT_API_URL ?? "https://oauth.reddit.com").replace(/\/+$/, "");
    const token = checkResponse(
      await context.fetch(`${auth}/api/v1/access_token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      }),
      "Reddit's token endpoint",
    );
    const access = (JSON.parse(token.body.toString("utf8")) as { access_token?: string }).access_token;
    if (!access)
      throw new PullError(
        "Reddit gave no access token: check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET",
        24 * 3600_000,
      );
    const since = cursor ? Number(cursor) : context.now / 1000 - 7 * 86_400;
    const path = config["subreddit"] ? `/r/${config["subreddit"]}/search` : "/search";
    const response = checkResponse(
      await context.fetch(
        `${api}${path}?q=${encodeURIComponent(String(config["query"]))}&sort=new&limit=100&raw_json=1${config["subreddit"] ? "&restrict_sr=1" : ""}`,
        { headers: { authorization: `Bearer ${access}`, accept: "application/json" } },
      ),
      "Reddit search",
    );
    const listing = JSON.parse(response.body.toString("utf8")) as { data?: { children?: { data: Post }[] } };
    let newest = since;
    const rows: Record<string, unknown>[] = [];
    for (const child of listing.data?.children ?? []) {
      const post = child?.data;
      if (!post?.name || !(post.created_utc > since)) continue;
      newest = Math.max(newest, post.created_utc);
      const text = htmlToText([post.title, post.selftext ?? post.body].filter(Boolean).join(" — "));
      if (!text) continue;
      rows.push({
        platform: "reddit",
        platform_id: post.name,
        url: post.permalink ? `https://www.reddit.com${post.permalink}` : null,
        author: post.author ? `u/${post.author}` : null,
        text: clip(text),
        timestamp: Math.round(post.created_utc * 1000),
        likes: post.score ?? null,
        replies: post.num_comments ?? null,
      });
    }
    return { rows, cursor: String(newest) };
  },
});
