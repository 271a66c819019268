import type { XMLParser } from "fast-xml-parser";
import { AppError } from "../../../platform/base/errors.ts";
import { type ConnectorKind, checkResponse } from "../../sources/index.ts";
import { absoluteUrl, clip, decodeEntities, htmlToText } from "./text.ts";

/*
 * RSS 2.0, RSS 1.0 (RDF) and Atom feeds as publishers serve them: any
 * encoding the XML prolog declares, HTML in descriptions, CDATA, relative
 * links, RFC 822 and ISO dates, items without a guid. Every pull reads the
 * whole feed; a mention's id is its guid, else its link, else its title and
 * date, so a re-pull (or a feed that reorders its items) adds nothing.
 */

type Node = Record<string, unknown>;

/** The XML parser, loaded with the first feed pulled (not when Lift starts). */
let parser: XMLParser | null = null;

export async function loadXmlParser(): Promise<void> {
  if (parser) return;
  const { XMLParser: Parser } = await import("fast-xml-parser");
  parser = new Parser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#text",
    // Entities are decoded once, here, so "&amp;lt;" stays "&lt;" in the text.
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => ["item", "entry", "link", "category"].includes(name),
  });
}

function list(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Node[];
}

/** A node's text: a string, {#text}, or CDATA; entities decoded. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" || typeof value === "number") return decodeEntities(String(value));
  if (Array.isArray(value)) return textOf(value[0]);
  const node = value as Node;
  if (node["#text"] !== undefined) return textOf(node["#text"]);
  if (node["__cdata"] !== undefined) return String(node["__cdata"]);
  return undefined;
}

/** The encoding the XML prolog declares (UTF-8 when none). */
export function declaredEncoding(head: Buffer): string {
  const prolog = head.subarray(0, 200).toString("latin1");
  return /<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(prolog)?.[1]?.toLowerCase() ?? "utf-8";
}

export function decodeFeed(body: Buffer): string {
  const encoding = declaredEncoding(body);
  try {
    return new TextDecoder(encoding).decode(body);
  } catch {
    throw new AppError("unsupported", `the feed declares an encoding Lift cannot read (${encoding})`);
  }
}

/** RFC 822 ("Tue, 03 Jun 2025 09:39:21 +0200", "… GMT", "… EST") and ISO 8601 dates. */
export function feedDate(text: string | undefined): number | null {
  if (!text) return null;
  const zones: Record<string, string> = {
    EST: "-0500",
    EDT: "-0400",
    CST: "-0600",
    CDT: "-0500",
    MST: "-0700",
    MDT: "-0600",
    PST: "-0800",
    PDT: "-0700",
    UT: "+0000",
    Z: "+0000",
  };
  const cleaned = text
    .trim()
    .replace(/\b(EST|EDT|CST|CDT|MST|MDT|PST|PDT|UT)$/, (zone) => zones[zone] ?? zone);
  const ms = Date.parse(cleaned);
  return Number.isFinite(ms) ? ms : null;
}

export interface FeedItem {
  id: string;
  title: string;
  text: string;
  url: string | null;
  author: string | null;
  at: number | null;
  lang: string | null;
}

/** The items of an RSS 2.0, RSS 1.0 or Atom document. */
export function parseFeed(xml: string, feedUrl: string): { title: string | null; items: FeedItem[] } {
  if (!parser) throw new Error("loadXmlParser() first");
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    throw new AppError(
      "invalid_input",
      `the feed is not well-formed XML (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const rss = doc["rss"] as Node | undefined;
  const rdf = doc["rdf:RDF"] as Node | undefined;
  const atom = doc["feed"] as Node | undefined;
  const items: FeedItem[] = [];
  if (rss || rdf) {
    const channel = ((rss ? rss["channel"] : rdf?.["channel"]) ?? {}) as Node;
    const lang = textOf(channel["language"] ?? channel["dc:language"]) ?? null;
    const base = absoluteUrl(textOf(channel["link"]), feedUrl) ?? feedUrl;
    const raw = rss ? list(channel["item"]) : list(rdf?.["item"]);
    for (const item of raw) {
      const title = htmlToText(textOf(item["title"]) ?? "");
      const description = htmlToText(textOf(item["content:encoded"]) ?? textOf(item["description"]) ?? "");
      const link = absoluteUrl(textOf(item["link"]) ?? (item["@rdf:about"] as string | undefined), base);
      const at = feedDate(textOf(item["pubDate"]) ?? textOf(item["dc:date"]));
      const guid = textOf(item["guid"]);
      items.push({
        id: guid ?? link ?? `${title}|${at ?? ""}`,
        title,
        text: description,
        url: link,
        author: textOf(item["dc:creator"]) ?? textOf(item["author"]) ?? null,
        at,
        lang,
      });
    }
    return { title: textOf(channel["title"]) ?? null, items };
  }
  if (atom) {
    const lang = (atom["@xml:lang"] as string | undefined) ?? null;
    const base = absoluteUrl(atom["@xml:base"] as string | undefined, feedUrl) ?? feedUrl;
    for (const entry of list(atom["entry"])) {
      const links = list(entry["link"]);
      const alternate = links.find((l) => !l["@rel"] || l["@rel"] === "alternate") ?? links[0];
      const link = absoluteUrl(
        (alternate?.["@href"] as string | undefined) ?? undefined,
        (entry["@xml:base"] as string | undefined) ?? base,
      );
      const title = htmlToText(textOf(entry["title"]) ?? "");
      const at = feedDate(textOf(entry["published"]) ?? textOf(entry["updated"]));
      const author = textOf((entry["author"] as Node | undefined)?.["name"]) ?? null;
      items.push({
        id: textOf(entry["id"]) ?? link ?? `${title}|${at ?? ""}`,
        title,
        text: htmlToText(textOf(entry["content"]) ?? textOf(entry["summary"]) ?? ""),
        url: link,
        author,
        at,
        lang: (entry["@xml:lang"] as string | undefined) ?? lang,
      });
    }
    return { title: textOf(atom["title"]) ?? null, items };
  }
  throw new AppError(
    "invalid_input",
    "the document is not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed>)",
  );
}

/** News, blogs and review sites: any RSS or Atom feed. */
export const rssConnector: ConnectorKind = {
  kind: "rss",
  label: "RSS or Atom feed",
  dataKind: "mentions",
  usage: "<feed url>",
  example: "sources add rss https://news.example.com/feed.xml every 30m",
  defaultEveryMinutes: 30,
  configure(target) {
    const url = absoluteUrl(target, "http://invalid/");
    if (!url || !/^https?:\/\//i.test(target))
      throw new AppError("invalid_input", `“${target}” is not a feed address`, {
        hint: "sources add rss https://example.com/feed.xml",
      });
    return { name: new URL(url).host + new URL(url).pathname, config: { url } };
  },
  async pull(config, _cursor, context) {
    const url = String(config["url"]);
    const response = checkResponse(
      await context.fetch(url, {
        headers: { accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5" },
      }),
      "the feed",
    );
    await loadXmlParser();
    const feed = parseFeed(decodeFeed(response.body), response.url);
    const rows = feed.items
      .filter((item) => item.title !== "" || item.text !== "")
      .map((item) => ({
        platform: "rss",
        platform_id: item.id.slice(0, 512),
        url: item.url,
        author: item.author ?? feed.title,
        text: clip(item.title && item.text ? `${item.title} — ${item.text}` : item.title || item.text),
        lang: item.lang,
        // An item without a date is dated when it was first seen.
        timestamp: item.at ?? context.now,
      }));
    const newest = feed.items.reduce((max, item) => Math.max(max, item.at ?? 0), 0);
    return { rows, cursor: newest > 0 ? String(newest) : null };
  },
};
