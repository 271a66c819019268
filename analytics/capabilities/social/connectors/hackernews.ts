import { AppError } from "../../../platform/base/errors.ts";
import { type ConnectorKind, checkResponse } from "../../sources/index.ts";
import type { SocialSettings } from "../settings.ts";
import { clip, htmlToText } from "./text.ts";

/*
 * Hacker News through Algolia's search API (hn.algolia.com/api):
 * GET /api/v1/search_by_date?query=…&tags=(story,comment)&numericFilters=created_at_i>CURSOR,
 * newest first, 100 a page, up to five pages a pull; the cursor is the newest
 * created_at_i seen.
 */

interface Hit {
  objectID: string;
  created_at_i: number;
  title?: string | null;
  story_title?: string | null;
  story_text?: string | null;
  comment_text?: string | null;
  author?: string | null;
  points?: number | null;
  num_comments?: number | null;
}

export const hackerNewsConnector = (settings: SocialSettings): ConnectorKind => ({
  kind: "hackernews",
  label: "Hacker News search",
  dataKind: "mentions",
  usage: "<search terms>",
  example: "sources add hackernews liftoutfitters",
  defaultEveryMinutes: 15,
  configure(target) {
    const query = target.trim().replace(/^"|"$/g, "");
    if (query.length < 2)
      throw new AppError("invalid_input", "Search Hacker News for what?", {
        hint: "sources add hackernews yourbrand",
      });
    return { name: `“${query}” on Hacker News`, config: { query } };
  },
  async pull(config, cursor, context) {
    const base = (settings.LIFT_HN_URL ?? "https://hn.algolia.com").replace(/\/+$/, "");
    const since = cursor ? Number(cursor) : Math.floor(context.now / 1000) - 7 * 86_400;
    const rows: Record<string, unknown>[] = [];
    let newest = since;
    for (let page = 0; page < 5; page++) {
      const url = `${base}/api/v1/search_by_date?query=${encodeURIComponent(String(config["query"]))}&tags=(story,comment)&numericFilters=${encodeURIComponent(`created_at_i>${since}`)}&hitsPerPage=100&page=${page}`;
      const response = checkResponse(
        await context.fetch(url, { headers: { accept: "application/json" } }),
        "Hacker News search",
      );
      let body: { hits?: Hit[]; nbPages?: number };
      try {
        body = JSON.parse(response.body.toString("utf8")) as typeof body;
      } catch {
        throw new AppError("invalid_input", "Hacker News search did not answer JSON");
      }
      for (const hit of body.hits ?? []) {
        if (!hit?.objectID || !Number.isFinite(hit.created_at_i)) continue;
        newest = Math.max(newest, hit.created_at_i);
        const text = htmlToText(hit.comment_text ?? [hit.title, hit.story_text].filter(Boolean).join(" — "));
        if (!text) continue;
        rows.push({
          platform: "hackernews",
          platform_id: hit.objectID,
          url: `https://news.ycombinator.com/item?id=${hit.objectID}`,
          author: hit.author ?? null,
          text: clip(text),
          timestamp: hit.created_at_i * 1000,
          likes: hit.points ?? null,
          replies: hit.num_comments ?? null,
        });
      }
      if (page + 1 >= (body.nbPages ?? 1)) break;
    }
    return { rows, cursor: String(newest) };
  },
});
