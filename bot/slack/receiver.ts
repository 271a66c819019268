import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { Hono } from "hono";
import { readAtMost } from "../../analytics/bounded.ts";
import type { Logger } from "../../analytics/log.ts";
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

function parseBody(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const form = Object.fromEntries(new URLSearchParams(raw));
  // Interactivity (buttons, views) arrives as a form with one `payload` field of JSON.
  if (typeof form["payload"] === "string") return JSON.parse(form["payload"]) as Record<string, unknown>;
  return form;
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
      // At most 1 MB is ever held, chunked or not; the signature is checked before anything is parsed.
      const bytes = await readAtMost(c.req.raw.body, MAX_BODY_BYTES);
      if (bytes === null) return c.json({ error: "request too large" }, 413);
      const raw = bytes.toString("utf8");
      const check = verifySlackRequest(
        this.options.signingSecret,
        headers,
        raw,
        Math.floor(this.now() / 1000),
      );
      if (!check.ok) return refuse(check.reason);
      let body: Record<string, unknown>;
      try {
        body = parseBody(c.req.header("content-type") ?? "", raw);
      } catch {
        return c.json({ error: "the body is not valid JSON or form data" }, 400);
      }
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
        .finally(() => clearTimeout(timeout));
      return responded;
    });
    return routes;
  }
}
