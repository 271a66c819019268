import { AppError } from "../../../platform/base/errors.ts";
import { type ConnectorKind, checkResponse, type PullContext } from "../../sources/index.ts";
import type { SocialSettings } from "../settings.ts";
import { clip, htmlToText } from "./text.ts";

/*
 * Mastodon's public API (docs.joinmastodon.org/methods/timelines): a hashtag
 * timeline (GET /api/v1/timelines/tag/:hashtag) or an account's statuses
 * (GET /api/v1/accounts/lookup, then /api/v1/accounts/:id/statuses). Pages
 * are read oldest-first after the cursor with `min_id`, 40 at a time, up to
 * ten pages a pull; the cursor is the newest status id seen.
 */

const PAGE = 40;
const MAX_PAGES = 10;

interface Status {
  id: string;
  created_at: string;
  url?: string | null;
  uri: string;
  content: string;
  spoiler_text?: string;
  language?: string | null;
  account: { acct: string; url?: string };
  favourites_count?: number;
  reblogs_count?: number;
  replies_count?: number;
  reblog?: Status | null;
}

/** Snowflake ids compare as numbers, not as text. */
function newer(a: string, b: string | null): boolean {
  if (b === null) return true;
  try {
    return BigInt(a) > BigInt(b);
  } catch {
    return a > b;
  }
}

async function json<T>(context: PullContext, url: string, what: string): Promise<T> {
  const response = checkResponse(await context.fetch(url, { headers: { accept: "application/json" } }), what);
  try {
    return JSON.parse(response.body.toString("utf8")) as T;
  } catch {
    throw new AppError("invalid_input", `${what} did not answer JSON`);
  }
}

/** The host of an instance's address, or a clear refusal of one that is no URL (`http://[`). */
function instanceHost(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    throw new AppError("invalid_input", `“${base}” is not an instance address`, {
      hint: "sources add mastodon #yourbrand on https://mastodon.social",
    });
  }
}

export const mastodonConnector = (settings: SocialSettings): ConnectorKind => ({
  kind: "mastodon",
  label: "Mastodon hashtag or account",
  dataKind: "mentions",
  usage: "#hashtag | @account [on https://instance]",
  example: "sources add mastodon #liftoutfitters on https://mastodon.social",
  defaultEveryMinutes: 5,
  configure(target) {
    const on = /\s+on\s+(https?:\/\/\S+)\s*$/i.exec(target);
    // An instance named here, else LIFT_MASTODON_URL, else mastodon.social (read at each pull).
    const base = on?.[1]?.replace(/\/+$/, "");
    const where = base ? instanceHost(base) : "Mastodon";
    const what = (on ? target.slice(0, on.index) : target).trim();
    const tag = /^#([\p{L}\p{N}_]+)$/u.exec(what);
    if (tag) return { name: `#${tag[1]} on ${where}`, config: { ...(base ? { base } : {}), tag: tag[1] } };
    const account = /^@?([\w.-]+(?:@[\w.-]+)?)$/.exec(what);
    if (account && what.startsWith("@"))
      return {
        name: `@${account[1]} on ${where}`,
        config: { ...(base ? { base } : {}), account: account[1] },
      };
    throw new AppError("invalid_input", `“${what}” is not a hashtag or an account`, {
      hint: "sources add mastodon #yourbrand, or sources add mastodon @you@mastodon.social",
    });
  },
  async pull(config, cursor, context) {
    const base = String(config["base"] ?? settings.LIFT_MASTODON_URL ?? "https://mastodon.social").replace(
      /\/+$/,
      "",
    );
    let path: string;
    if (config["tag"]) path = `/api/v1/timelines/tag/${encodeURIComponent(String(config["tag"]))}`;
    else {
      const account = await json<{ id: string }>(
        context,
        `${base}/api/v1/accounts/lookup?acct=${encodeURIComponent(String(config["account"]))}`,
        "Mastodon's account lookup",
      );
      path = `/api/v1/accounts/${encodeURIComponent(account.id)}/statuses`;
    }
    const rows: Record<string, unknown>[] = [];
    let next = cursor;
    for (let page = 0; page < MAX_PAGES; page++) {
      const statuses = await json<Status[]>(
        context,
        `${base}${path}?limit=${PAGE}${next ? `&min_id=${encodeURIComponent(next)}` : ""}`,
        "Mastodon",
      );
      if (!Array.isArray(statuses))
        throw new AppError("invalid_input", "Mastodon answered something that is not a list of statuses");
      for (const status of statuses) {
        if (typeof status?.id !== "string") continue;
        if (newer(status.id, next)) next = status.id;
        // A boost is its original post, counted once.
        const post = status.reblog ?? status;
        const text = htmlToText(`${post.spoiler_text ? `${post.spoiler_text} ` : ""}${post.content ?? ""}`);
        if (!text) continue;
        rows.push({
          platform: "mastodon",
          platform_id: post.uri ?? post.id,
          url: post.url ?? post.uri,
          author: `@${post.account?.acct ?? "unknown"}`,
          text: clip(text),
          lang: post.language ?? null,
          timestamp: post.created_at,
          likes: post.favourites_count ?? null,
          reposts: post.reblogs_count ?? null,
          replies: post.replies_count ?? null,
        });
      }
      if (statuses.length < PAGE) break;
    }
    return { rows, cursor: next };
  },
});
