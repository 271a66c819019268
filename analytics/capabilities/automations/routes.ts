import { addClick, markUnsubscribed, sendById, skipQueuedTo } from "../../../db/automations/sends.ts";
import { suppress } from "../../../db/automations/suppressions.ts";
import { readAtMost } from "../../platform/base/bounded.ts";
import { AppError } from "../../platform/base/errors.ts";
import { escapeHtml } from "../../platform/base/text.ts";
import type { HttpRoute } from "../../platform/contract/capability.ts";
import { maskEmail } from "../../platform/customers/page.ts";
import { automationsApi } from "./api.ts";
import { emailHash, readToken } from "./signing.ts";
import { renderSample } from "./template-report.ts";
import { saveTemplateAs } from "./template-store.ts";
import { checkTemplate } from "./templates.ts";

/*
 * What recipients reach (public, each link signed per message): the unsubscribe page and its
 * one-click POST (RFC 8058: the POST suppresses at once, the GET only asks), click redirects
 * and the optional open pixel. What admins reach in the console (behind its token): a
 * template's HTML view and its editor.
 */

const PAGE = (title: string, body: string, status = 200) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:520px;margin:3em auto;padding:0 1em">${body}</body></html>`,
    {
      status,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      },
    },
  );

/** A small form body, read to at most `limit` bytes whatever the request claims (a chunked one too). */
async function readForm(request: Request, limit: number, what: string): Promise<URLSearchParams> {
  const bytes = await readAtMost(request.body, limit);
  if (bytes === null) throw new AppError("payload_too_large", `${what} is ${limit / 1024} KB at most`);
  return new URLSearchParams(bytes.toString("utf8"));
}

const gone = () =>
  PAGE(
    "Link not valid",
    "<h1>This link is not valid</h1><p>It may be incomplete; copy the whole link from the message.</p>",
    404,
  );

async function unsubscribeTarget(
  params: Record<string, string>,
  context: Parameters<HttpRoute["handle"]>[2],
) {
  const core = automationsApi.of(context.platform).core;
  const token = readToken(await core.key(), "u", params["token"] ?? "");
  if (!token) return null;
  const send = await sendById(context.tables, token.sendId);
  if (send?.channel !== "email" || !send.recipient) return null;
  return { core, send };
}

const unsubscribePage: HttpRoute = {
  method: "GET",
  path: "/v1/unsubscribe/:token",
  surface: "public",
  async handle(_request, params, context) {
    const target = await unsubscribeTarget(params, context);
    if (!target) return gone();
    return PAGE(
      "Unsubscribe",
      `<h1>Unsubscribe?</h1><p>${escapeHtml(maskEmail(target.send.recipient))} will get no more marketing email from us.</p>
       <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size:1.1em;padding:.5em 1.2em">Unsubscribe</button></form>`,
    );
  },
};

const unsubscribe: HttpRoute = {
  method: "POST",
  path: "/v1/unsubscribe/:token",
  surface: "public",
  async handle(request, params, context) {
    await readForm(request, 4096, "An unsubscribe request");
    const target = await unsubscribeTarget(params, context);
    if (!target) return gone();
    const { core, send } = target;
    const now = context.now();
    const added = await suppress(
      context.tables,
      emailHash(await core.key(), send.recipient),
      "unsubscribed",
      now,
    );
    if (added) {
      await markUnsubscribed(context.tables, send.id);
      await skipQueuedTo(context.tables, send.personId, "suppressed: unsubscribed");
      context.logger.info({ send: send.id }, "a recipient unsubscribed");
    }
    return PAGE(
      "Unsubscribed",
      `<h1>You are unsubscribed</h1><p>${escapeHtml(maskEmail(send.recipient))} gets no more marketing email from us.</p>`,
    );
  },
};

const click: HttpRoute = {
  method: "GET",
  path: "/v1/r/:token",
  surface: "public",
  async handle(request, params, context) {
    const core = automationsApi.of(context.platform).core;
    const url = new URL(request.url).searchParams.get("u") ?? "";
    const token = readToken(await core.key(), "c", params["token"] ?? "", url);
    if (!token || !/^https?:\/\//.test(url)) return gone();
    await addClick(context.tables, token.sendId, context.now(), url);
    return new Response(null, {
      status: 302,
      headers: { location: url, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  },
};

const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const open: HttpRoute = {
  method: "GET",
  path: "/v1/o/:token",
  surface: "public",
  async handle(_request, params, context) {
    const core = automationsApi.of(context.platform).core;
    const token = readToken(await core.key(), "o", params["token"] ?? "");
    if (token && core.settings.LIFT_OPEN_TRACKING)
      await addClick(context.tables, token.sendId, context.now(), "(open)");
    return new Response(PIXEL, { headers: { "content-type": "image/gif", "cache-control": "no-store" } });
  },
};

const templateView: HttpRoute = {
  method: "GET",
  path: "/console/templates/:name",
  surface: "console",
  async handle(_request, params, context) {
    const core = automationsApi.of(context.platform).core;
    const template = await core.template(params["name"] ?? "");
    if (!template) throw new AppError("not_found", `There is no template “${params["name"]}”`);
    const rendered = renderSample(core, template);
    return PAGE(
      `Template ${template.name}`,
      `<p><a href="/">← Console</a> · <a href="/console/templates/${encodeURIComponent(template.name)}/edit">Edit</a></p>
       <p><b>Subject:</b> ${escapeHtml(rendered.subject)}<br><b>From:</b> ${escapeHtml(template.fromAddress ?? core.settings.LIFT_EMAIL_FROM)}</p>
       <hr>${rendered.html.replace(/^<!doctype html><html><body[^>]*>|<\/body><\/html>$/g, "")}`,
    );
  },
};

const templateEditor: HttpRoute = {
  method: "GET",
  path: "/console/templates/:name/edit",
  surface: "console",
  async handle(_request, params, context) {
    const core = automationsApi.of(context.platform).core;
    const name = (params["name"] ?? "").toLowerCase();
    const template = (await core.template(name)) ?? {
      name,
      subject: "",
      body: "",
      kind: "marketing",
      fromAddress: null,
      replyTo: null,
    };
    const field = (label: string, key: string, value: string | null) =>
      `<label>${label}<br><input name="${key}" value="${escapeHtml(value ?? "")}" style="width:100%"></label><br><br>`;
    return PAGE(
      `Edit ${name}`,
      `<p><a href="/">← Console</a></p><h1>Template ${escapeHtml(name)}</h1>
       <form method="post" action="/console/templates/${encodeURIComponent(name)}">
       ${field("Subject", "subject", template.subject)}${field("From (empty: LIFT_EMAIL_FROM)", "from", template.fromAddress)}${field("Reply-To", "replyTo", template.replyTo)}
       <label>Kind <select name="kind"><option${template.kind === "marketing" ? " selected" : ""}>marketing</option><option${template.kind === "transactional" ? " selected" : ""}>transactional</option></select></label><br><br>
       <label>Body: paragraphs split by a blank line, {{first_name|there}}, {{email}}, {{traits.plan}}, [a link](https://…)<br>
       <textarea name="body" rows="16" style="width:100%">${escapeHtml(template.body)}</textarea></label><br>
       <button type="submit">Save</button></form>`,
    );
  },
};

const templateSave: HttpRoute = {
  method: "POST",
  path: "/console/templates/:name",
  surface: "console",
  async handle(request, params, context) {
    const form = await readForm(request, 64 * 1024, "A template");
    const kind = form.get("kind") === "transactional" ? "transactional" : "marketing";
    const template = {
      subject: form.get("subject") ?? "",
      body: form.get("body") ?? "",
      fromAddress: form.get("from") || null,
      replyTo: form.get("replyTo") || null,
      kind,
    } as const;
    try {
      checkTemplate(template);
    } catch (error) {
      return PAGE(
        "Not saved",
        `<h1>Not saved</h1><p>${escapeHtml((error as Error).message)}</p><p>${escapeHtml((error as AppError).hint ?? "")}</p><p><a href="/console/templates/${encodeURIComponent(params["name"] ?? "")}/edit">Back to the editor</a></p>`,
        400,
      );
    }
    const name = await saveTemplateAs(context, params["name"] ?? "", template, "console");
    return new Response(null, {
      status: 303,
      headers: { location: `/console/templates/${encodeURIComponent(name)}` },
    });
  },
};

export const automationRoutes: HttpRoute[] = [
  unsubscribePage,
  unsubscribe,
  click,
  open,
  templateView,
  templateEditor,
  templateSave,
];
