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

/** The events Lift's listeners take (bot/slack/events/, assistant.ts), with the fields each must have. */
const NEEDED: Record<string, string[]> = {
  app_mention: ["user", "channel", "ts"],
  app_home_opened: ["user"],
  message: ["channel", "ts"],
};

const SLACK_ID = /^[A-Z][A-Z0-9]{1,31}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** A Slack type name (`app_mention`, `block_actions`): never one of an object's own (Bolt looks them up by name). */
const isName = (value: unknown): value is string =>
  typeof value === "string" && /^[a-z][a-z0-9_.]*$/.test(value) && !(value in Object.prototype);
const isUrl = (value: unknown): boolean =>
  typeof value === "string" && /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value);
const isText = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * What is wrong with a signed body that is not the shape of a Slack request Lift takes, or null.
 * Slack's own are always well formed; one that is not (a replayed secret, a bug upstream) gets a
 * 400 here instead of reaching Bolt, which throws on them.
 */
export function shapeProblem(body: Record<string, unknown>): string | null {
  // An empty body is acknowledged and does nothing; anything else names what it is.
  if (Object.keys(body).length === 0) return null;
  if (body["type"] === undefined && body["command"] === undefined && body["event"] === undefined)
    return "neither a command, an event nor a typed payload";
  if (body["type"] !== undefined && !isName(body["type"])) return "a type that is not a Slack type name";
  // Workspace and app ids are Slack ids (T…, E…, A…): Bolt keys its state by them.
  const team = isObject(body["team"]) ? body["team"]["id"] : undefined;
  const user = isObject(body["user"]) ? body["user"]["team_id"] : undefined;
  for (const id of [body["team_id"], body["enterprise_id"], body["api_app_id"], team, user])
    if (id !== undefined && id !== null && (typeof id !== "string" || !SLACK_ID.test(id)))
      return "a workspace or app id that is not a Slack id";
  if (body["type"] === "event_callback" || body["event"] !== undefined) {
    const event = body["event"];
    if (!isObject(event) || !isName(event["type"]))
      return "an event_callback without an event object and its type";
    // The events Lift listens to name their person, channel and message as text (a bot's message may name no person).
    const needs = NEEDED[event["type"]];
    if (needs)
      for (const field of ["user", "channel", "ts", "text", "thread_ts", "channel_type", "tab"])
        if (
          needs.includes(field)
            ? !isText(event[field])
            : event[field] !== undefined && typeof event[field] !== "string"
        )
          return `a ${event["type"]} event without its ${field} as text`;
    return null;
  }
  if (body["command"] !== undefined) {
    if (!isText(body["command"]) || !body["command"].startsWith("/"))
      return "a command that is not /something";
    if (!isText(body["user_id"])) return "a command without user_id";
    if (!isUrl(body["response_url"])) return "a command without a response_url";
    return null;
  }
  if (
    typeof body["type"] === "string" &&
    body["type"] !== "url_verification" &&
    body["type"] !== "app_rate_limited"
  ) {
    const user = body["user"];
    if (!isObject(user) || !isText(user["id"]))
      return `a ${body["type"].slice(0, 40)} payload without user.id`;
    if (body["response_url"] !== undefined && !isUrl(body["response_url"]))
      return "a response_url that is not a URL";
    if (body["channel"] !== undefined && !(isObject(body["channel"]) && isText(body["channel"]["id"])))
      return "a channel without its id";
    const actions = body["actions"];
    if (
      actions !== undefined &&
      !(Array.isArray(actions) && actions.every((a) => isObject(a) && isText(a["action_id"])))
    )
      return "actions that are not a list of actions with their action_id";
  }
  return null;
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
  /** Requests still being answered (acknowledged, their work running). */
  private readonly working = new Set<Promise<unknown>>();

  constructor(private readonly options: HttpReceiverOptions) {
    this.now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  /** Stops taking work only once the answers under way are given (at most `waitMs`), so none is cut off. */
  async stop(waitMs = 10_000): Promise<void> {
    await this.idle(waitMs);
  }

  /** Resolves when no request is being answered (or after `waitMs`). */
  async idle(waitMs = 10_000): Promise<void> {
    const until = Date.now() + waitMs;
    while (this.working.size > 0 && Date.now() < until)
      await Promise.race([
        Promise.allSettled([...this.working]),
        new Promise((r) => setTimeout(r, until - Date.now())),
      ]);
  }

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
      const problem = shapeProblem(body);
      if (problem) return c.json({ error: `the body is not a Slack request Lift takes: ${problem}` }, 400);
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
      const work = this.app
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
      this.working.add(work);
      void work.finally(() => this.working.delete(work));
      return responded;
    });
    return routes;
  }
}
