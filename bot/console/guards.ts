import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { readAtMost } from "../../analytics/platform/base/bounded.ts";
import { AppError } from "../../analytics/platform/base/errors.ts";

/*
 * What stands between the console and everyone else: its token, the headers that keep its page
 * its own, the same-origin rule for requests that change anything, and the size of a request.
 */

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Every request must carry the console's token (query, Bearer header or the cookie it sets). A page
 * opened with `?token=` is sent on to the same address without it, once the cookie is set, so the
 * token does not stay in the address bar, the history or a Referer.
 */
export function consoleTokenGuard(token: string): MiddlewareHandler {
  return async (c, next) => {
    const fromQuery = c.req.query("token");
    const header = c.req.header("authorization")?.replace(/^Bearer /, "");
    if (sameToken(fromQuery, token) || sameToken(header, token)) {
      setCookie(c, "lift_console", token, { httpOnly: true, sameSite: "Strict", path: "/" });
      if (fromQuery !== undefined && c.req.method === "GET" && c.req.path === "/") {
        const url = new URL(c.req.url);
        url.searchParams.delete("token");
        return c.redirect(`${url.pathname}${url.search}`, 302);
      }
      return next();
    }
    if (sameToken(getCookie(c, "lift_console"), token)) return next();
    return c.json(
      {
        error: {
          code: "unauthorized",
          message: "The console needs its token",
          hint: "open the URL Lift printed at start (…?token=…), or send Authorization: Bearer <token>",
        },
      },
      401,
    );
  };
}

/**
 * Headers on every console response: it cannot be framed (clickjacking), leaks no address in a
 * Referer, runs only its own script (by hash) and talks only to its own origin.
 */
export function securityHeaders(scriptHash: () => string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header(
      "content-security-policy",
      `default-src 'self'; script-src '${scriptHash()}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    );
    c.header("x-frame-options", "DENY");
    c.header("referrer-policy", "no-referrer");
    c.header("x-content-type-options", "nosniff");
  };
}

/** The hash a Content-Security-Policy allows an inline script by: the page's one script. */
export function inlineScriptHash(html: string): string {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
  return `sha256-${createHash("sha256").update(script).digest("base64")}`;
}

/** The largest console request: a command is at most 2,000 characters. */
const MAX_CONSOLE_BODY = 64 * 1024;

/**
 * Requests that can change state (anything but GET and HEAD) come from the
 * console's own pages only: JSON (which a page on another origin cannot send
 * without a CORS preflight Lift never grants), and, when the browser says
 * where it comes from (Origin, Sec-Fetch-Site), from this origin. A plain HTML
 * form may post to the paths `formsAt` names (a capability's console page: the
 * template editor), but only with an Origin of this host: every browser sends one
 * on a form POST, so a form on another site, or a client that hides where it
 * posts from, is refused.
 */
export const sameOriginWrites =
  (formsAt: (path: string) => boolean = () => false): MiddlewareHandler =>
  async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const refuse = (status: 403 | 415, message: string) =>
      c.json({ error: { code: "forbidden", message, hint: "use the console page Lift serves" } }, status);
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const form = type === "application/x-www-form-urlencoded" && formsAt(c.req.path);
    if (type !== "application/json" && !form)
      return refuse(415, "Console requests are JSON (Content-Type: application/json)");
    if (form && !c.req.header("origin"))
      return refuse(403, "A form is accepted only from this console's own page");
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none")
      return refuse(403, `A ${site} request cannot change anything here`);
    const origin = c.req.header("origin");
    if (origin) {
      let from: string | null = null;
      try {
        from = new URL(origin).host;
      } catch {}
      if (from !== c.req.header("host"))
        return refuse(403, "Requests from another origin cannot change anything here");
    }
    return next();
  };

/** The body of a console request as JSON, at most 64 KB. */
export async function consoleJson(request: Request): Promise<Record<string, unknown>> {
  const bytes = await readAtMost(request.body, MAX_CONSOLE_BODY);
  if (bytes === null) throw new AppError("payload_too_large", "A console request is at most 64 KB");
  try {
    const body = JSON.parse(bytes.toString("utf8")) as unknown;
    if (typeof body === "object" && body !== null && !Array.isArray(body))
      return body as Record<string, unknown>;
  } catch {}
  throw new AppError("invalid_input", 'Send {"command": "…"}');
}
