import { AppError } from "../../platform/base/errors.ts";
import { escapeHtml } from "../../platform/base/text.ts";

/*
 * Email templates: a subject and a body of plain paragraphs with {{merge fields}} and
 * [links](https://…). Every merged value is escaped in the HTML part (a customer named
 * `<script>` stays text); the text part carries the same words. Lift adds the unsubscribe
 * footer itself, so no marketing message goes out without one.
 */

export interface TemplateSource {
  name: string;
  subject: string;
  body: string;
  fromAddress?: string | null;
  replyTo?: string | null;
  kind: "marketing" | "transactional";
}

/** What a template may merge: the customer's fields, their traits, and the links Lift makes. */
export interface MergeValues {
  email: string;
  customer_id: string;
  first_name?: string | undefined;
  name?: string | undefined;
  traits: Record<string, unknown>;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
  /** The links in the body, in order (what click tracking redirects to). */
  links: string[];
}

const FIELD = /\{\{\s*([a-z_][a-z0-9_.]*)\s*(?:\|\s*([^}]*?)\s*)?\}\}/gi;
const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;
const KNOWN = ["email", "customer_id", "first_name", "name", "unsubscribe_url"];

/** The links a template's body makes ([text](https://…)), in order. */
export function linksIn(body: string): string[] {
  return [...body.matchAll(LINK)].map((match) => match[2]!);
}

/** A template's fields that Lift cannot fill, checked when it is saved. */
export function checkTemplate(template: Omit<TemplateSource, "name">): void {
  if (template.subject.trim() === "") throw new AppError("invalid_input", "A template needs a subject");
  if (template.body.trim() === "") throw new AppError("invalid_input", "A template needs a body");
  if (/[\r\n]/.test(template.subject)) throw new AppError("invalid_input", "A subject is one line");
  for (const text of [template.subject, template.body])
    for (const match of text.matchAll(FIELD)) {
      const field = match[1]!.toLowerCase();
      if (KNOWN.includes(field) || field.startsWith("traits.")) continue;
      throw new AppError("invalid_input", `The template merges {{${match[1]}}}, which Lift does not know`, {
        hint: `fields: ${KNOWN.join(", ")}, traits.<trait> (each may have a default: {{first_name|there}})`,
      });
    }
  for (const match of template.body.matchAll(/\[[^\]\n]+\]\(([^)]*)\)/g))
    if (!/^https?:\/\/\S+$/.test(match[1]!))
      throw new AppError("invalid_input", `The link “${match[1]}” is not an http(s) URL`);
}

function fieldValue(field: string, values: MergeValues, extra: Record<string, string>): string | undefined {
  const key = field.toLowerCase();
  if (key in extra) return extra[key];
  if (key.startsWith("traits.")) {
    const v = values.traits[field.slice(7)];
    return v === undefined || v === null || typeof v === "object" ? undefined : String(v);
  }
  const v = (values as unknown as Record<string, unknown>)[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Merges the fields; `literal` and `value` escape the template's own words and the merged values. */
function merge(
  text: string,
  values: MergeValues,
  extra: Record<string, string>,
  value: (s: string) => string,
  literal: (s: string) => string = (s) => s,
): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(FIELD)) {
    out += literal(text.slice(last, match.index));
    out += value(fieldValue(match[1]!, values, extra) ?? match[2] ?? "");
    last = match.index + match[0].length;
  }
  return out + literal(text.slice(last));
}

/**
 * Renders a template for one customer. `link(url, index)` rewrites each body link (click
 * tracking); `unsubscribeUrl` goes in the footer of marketing mail and in {{unsubscribe_url}}.
 */
export function renderTemplate(
  template: TemplateSource,
  values: MergeValues,
  options: { unsubscribeUrl: string | null; link?: (url: string, index: number) => string; footer?: string },
): Rendered {
  const extra: Record<string, string> = options.unsubscribeUrl
    ? { unsubscribe_url: options.unsubscribeUrl }
    : {};
  const subject = merge(template.subject, values, extra, (s) => s.replace(/[\r\n]+/g, " ")).trim();
  const links: string[] = [];
  const paragraphs = template.body
    .replace(/\r\n/g, "\n")
    .trim()
    .split(/\n\s*\n/);
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const paragraph of paragraphs) {
    // Links are found before merging, so a merged value can never become a link.
    const pieces: { text: string; url?: string }[] = [];
    let last = 0;
    for (const match of paragraph.matchAll(LINK)) {
      pieces.push({ text: paragraph.slice(last, match.index) });
      pieces.push({ text: match[1]!, url: match[2]! });
      last = match.index + match[0].length;
    }
    pieces.push({ text: paragraph.slice(last) });
    let text = "";
    let html = "";
    for (const piece of pieces) {
      const plain = merge(piece.text, values, extra, (s) => s);
      const safe = merge(piece.text, values, extra, escapeHtml, escapeHtml).replace(/\n/g, "<br>\n");
      if (piece.url) {
        const index = links.push(piece.url) - 1;
        const href = options.link ? options.link(piece.url, index) : piece.url;
        text += `${plain} (${href})`;
        html += `<a href="${escapeHtml(href)}">${safe}</a>`;
      } else {
        text += plain;
        html += safe;
      }
    }
    textParts.push(text);
    htmlParts.push(`<p>${html}</p>`);
  }
  if (options.unsubscribeUrl) {
    const footer = options.footer ?? "You get this because you accepted marketing email.";
    textParts.push(`--\n${footer} Unsubscribe: ${options.unsubscribeUrl}`);
    htmlParts.push(
      `<p style="color:#666;font-size:12px">${escapeHtml(footer)} <a href="${escapeHtml(options.unsubscribeUrl)}">Unsubscribe</a></p>`,
    );
  }
  return {
    subject,
    text: `${textParts.join("\n\n")}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif;max-width:600px">${htmlParts.join("\n")}</body></html>`,
    links,
  };
}
