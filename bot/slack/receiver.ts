import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { Hono } from "hono";
import { UNAUTHENTICATED_BODIES } from "../../analytics/platform/base/bounded.ts";
import { AppError } from "../../analytics/platform/base/errors.ts";
import type { Logger } from "../../analytics/platform/base/log.ts";
import { verifySlackRequest } from "./signature.ts";

/** Slack's own payloads are small; anything bigger is not from Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /**
   * Claims a signed request by a key once: false when it was seen before. A
   * slash command or interaction repeated inside Slack's five-minute window
   * (a replay) is acknowledged and not run again.
   */
  claimRequest?: (key: string) => Promise<boolean>;
  now?: () => number;
  /** Slack gives up after 3 s; if nothing has acknowledged by then, answer anyway. */
  ackTimeoutMs?: number;
}

/** Slack's body as an object, or null when it is none (`[]`, `"x"`, `null`, bad JSON): not Slack's. */
function parseBody(contentType: string, raw: string): Record<string, unknown> | null {
  const object = (value: unknown) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  try {
    if (contentType.includes("application/json")) return object(JSON.parse(raw));
    const form = Object.fromEntries(new URLSearchParams(raw));
    // Interactivity (buttons, views) arrives as a form with one `payload` field of JSON.
    if (typeof form["payload"] === "string") return object(JSON.parse(form["payload"]));
    return form;
  } catch {
    return null;
  }
}

/**
 * Slack's HTTP requests (commands, events, interactivity) at POST /slack/events,
 * on the hono app and port the API already uses. Every request is verified
 * (signature and five-minute window) before anything in it is read, including
 * url_verification and ssl_check. The HTTP response is the ack.
 */
export class HttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HttpReceiverOptions) {
    this.now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  // Long on purpose: the receiver's checks in the order Slack's signing spec gives them, before the body is trusted.
  routes(): Hono {
    const routes = new Hono();
    routes.post("/slack/events", async (c) => {
      const log = this.options.logger;
      const headers = {
        signature: c.req.header("x-slack-signature"),
        timestamp: c.req.header("x-slack-request-timestamp"),
      };
      const refuse = (reason: string) => {
        log.warn({ reason }, "refused a Slack request that failed verification");
        return c.json({ error: "invalid signature", reason }, 401);
      };
      // Headers first: a request without a fresh timestamp and a signature is refused unread.
      const early = verifySlackRequest(
        this.options.signingSecret,
        headers,
        null,
        Math.floor(this.now() / 1000),
      );
      if (!early.ok) return refuse(early.reason);
      const length = Number(c.req.header("content-length") ?? 0);
      if (length > MAX_BODY_BYTES) return c.json({ error: "request too large" }, 413);
      // At most 1 MB is ever held, chunked or not, by at most a few requests at once, and only for a
      // few seconds; the signature is checked before anything is parsed.
      let bytes: Buffer | null;
      try {
        bytes = await UNAUTHENTICATED_BODIES.read(c.req.raw.body, MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof AppError && error.code === "busy")
          return c.json({ error: "busy" }, 503, { "retry-after": "5" });
        if (error instanceof AppError && error.code === "timeout")
          return c.json({ error: "request timeout" }, 408);
        throw error;
      }
      if (bytes === null) return c.json({ error: "request too large" }, 413);
      const raw = bytes.toString("utf8");
      const check = verifySlackRequest(
        this.options.signingSecret,
        headers,
        raw,
        Math.floor(this.now() / 1000),
      );
      if (!check.ok) return refuse(check.reason);
      const body = parseBody(c.req.header("content-type") ?? "", raw);
      if (!body)
        return c.json({ error: "the body is not a Slack payload (a JSON object or form data)" }, 400);
      if (body["ssl_check"] !== undefined) return c.body(null, 200);
      if (body["type"] === "url_verification") return c.json({ challenge: body["challenge"] });
      if (!this.app) return c.json({ error: "the Slack app is not ready" }, 503);
      // Events carry an event_id (deduplicated by the middleware); commands and interactions do
      // not, so a repeated signed request is recognised by its signature.
      if (body["event_id"] === undefined && this.options.claimRequest) {
        const fresh = await this.options.claimRequest(`signed:${headers.signature}`);
        if (!fresh) {
          log.warn({ type: body["type"] ?? body["command"] }, "skipped a replayed Slack request");
          return c.body(null, 200);
        }
      }

      const retryNum = c.req.header("x-slack-retry-num");
      const retryReason = c.req.header("x-slack-retry-reason");
      let settle: (response: Response) => void = () => {};
      const responded = new Promise<Response>((resolve) => {
        settle = resolve;
      });
      let acked = false;
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          if (response === undefined || response === "") settle(new Response(null, { status: 200 }));
          else if (typeof response === "string") settle(new Response(response, { status: 200 }));
          else settle(Response.json(response));
        },
        ...(retryNum !== undefined ? { retryNum: Number(retryNum) } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      };
      const timeout = setTimeout(() => {
        if (acked) return;
        acked = true;
        log.warn({ type: body["type"] }, "nothing acknowledged a Slack request within the time limit");
        settle(new Response(null, { status: 200 }));
      }, this.options.ackTimeoutMs ?? 2500);
      this.app
        .processEvent(event)
        .catch((error: unknown) => {
          if (!acked) {
            acked = true;
            settle(new Response(JSON.stringify({ error: "internal" }), { status: 500 }));
          }
          log.error({ err: error }, "a Slack request failed");
        })
        .finally(() => {
          clearTimeout(timeout);
          // Bolt finished without acknowledging (a payload no listener takes: `{}`, view_closed, an
          // unknown action or command): Slack still gets its 200, or it retries and shows an error.
          if (!acked) {
            acked = true;
            log.debug(
              { type: body["type"] ?? body["command"] },
              "acknowledged a Slack request no listener took",
            );
            settle(new Response(null, { status: 200 }));
          }
        });
      return responded;
    });
    return routes;
  }
}
