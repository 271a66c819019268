import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A local stand-in for Slack that speaks its wire formats on loopback:
 * the Web API (form-encoded or JSON POSTs to /api/<method>, `{ok, error}`
 * answers, 429 with Retry-After), the files upload v2 upload URL,
 * response_urls, and a Socket Mode WebSocket (hello, envelopes acked by
 * envelope_id, disconnect and reconnect). It records every call.
 */

export interface Call {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
}

export interface Reply {
  /** Do what the call asks (post the message), then answer with the failure: a lost response. */
  afterEffect?: boolean;
  status?: number;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface Posted {
  channel: string;
  ts: string;
  /** A message being streamed (chat.startStream) until chat.stopStream. */
  streaming?: boolean;
  thread_ts?: string;
  text?: string;
  blocks?: Record<string, unknown>[];
  metadata?: unknown;
}

export const BOT_USER = "ULIFTBOT";
export const TEAM = "T0LIFT";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The file part of a multipart/form-data upload (what the Web API client sends to the upload URL), else the raw body. */
function uploadedBytes(contentType: string, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return raw;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = raw.indexOf(marker);
  while (at >= 0) {
    const headersEnd = raw.indexOf("\r\n\r\n", at);
    if (headersEnd < 0) break;
    const next = raw.indexOf(marker, headersEnd);
    const headers = raw.subarray(at, headersEnd).toString();
    if (/filename=/.test(headers)) return raw.subarray(headersEnd + 4, next < 0 ? raw.length : next - 2);
    at = next;
  }
  return raw;
}

function parseParams(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The Web API client sends nested values (blocks, metadata, files) as JSON strings.
    params[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return params;
}

/** The markdown a streaming call carries (`markdown_text`, or `chunks` of type markdown_text). */
function streamedText(params: Record<string, unknown>): string {
  const chunks = Array.isArray(params["chunks"])
    ? (params["chunks"] as { type: string; text?: string }[])
    : [];
  return `${typeof params["markdown_text"] === "string" ? params["markdown_text"] : ""}${chunks
    .filter((c) => c.type === "markdown_text")
    .map((c) => c.text ?? "")
    .join("")}`;
}

export class FakeSlack {
  readonly calls: Call[] = [];
  /** Bodies POSTed to response_urls, by url. */
  readonly responses: { url: string; body: Record<string, unknown> }[] = [];
  readonly uploads = new Map<string, { bytes: Buffer; filename: string }>();
  readonly messages: Posted[] = [];
  readonly usergroups = new Map<string, string[]>();
  /** User groups' @handles (without the @), by id, as usergroups.list gives them. */
  readonly groupHandles = new Map<string, string>();
  /** Channels' names by id (conversations.info); "channel" when not set. */
  readonly channelNames = new Map<string, string>();
  /** Channel topics conversations.info answers with. */
  readonly topics = new Map<string, string>();
  socketConnections = 0;

  private server!: Server;
  private wss!: WebSocketServer;
  private socket: WebSocket | null = null;
  private readonly failures = new Map<string, Reply[]>();
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private tsCounter = 0;
  private fileCounter = 0;
  private responseCounter = 0;
  url = "";

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await fake.listen();
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** The next `times` calls to `method` get `reply` instead of the normal answer. */
  fail(method: string, reply: Reply, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(reply);
    this.failures.set(method, queue);
  }

  callsTo(method: string): Call[] {
    return this.calls.filter((call) => call.method === method);
  }

  newResponseUrl(): string {
    return `${this.url}/response/${++this.responseCounter}`;
  }

  responsesTo(url: string): Record<string, unknown>[] {
    return this.responses.filter((r) => r.url === url).map((r) => r.body);
  }

  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() - started > timeoutMs) throw new Error("fake Slack: timed out waiting");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Sends a Socket Mode envelope; resolves with the app's ack (`{envelope_id, payload?}`). */
  sendEnvelope(
    type: "events_api" | "slash_commands" | "interactive",
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; envelopeId?: string } = {},
  ): Promise<Record<string, unknown>> {
    if (!this.socket) throw new Error("fake Slack: no Socket Mode connection");
    const envelopeId = options.envelopeId ?? randomUUID();
    const acked = new Promise<Record<string, unknown>>((resolve) => {
      this.acks.set(envelopeId, resolve as (payload: unknown) => void);
    });
    this.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type !== "events_api",
        ...(type === "events_api"
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? "timeout" : "" }
          : {}),
      }),
    );
    return acked;
  }

  /** Slack's "refresh_requested": the app must open a new connection. */
  disconnectSocket(): void {
    this.socket?.send(
      JSON.stringify({ type: "disconnect", reason: "refresh_requested", debug_info: { host: "fake" } }),
    );
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((done) => this.wss.close(() => done()));
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket")) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.socketConnections++;
        this.socket = ws;
        ws.on("message", (data) => {
          const message = JSON.parse(String(data)) as { envelope_id?: string };
          if (message.envelope_id) this.acks.get(message.envelope_id)?.(message);
        });
        ws.send(
          JSON.stringify({
            type: "hello",
            num_connections: 1,
            debug_info: { host: "fake-applink", approximate_connection_time: 18060 },
            connection_info: { app_id: "A0LIFT" },
          }),
        );
      });
    });
    return new Promise((resolve) => {
      this.server.listen(0, "127.0.0.1", () => {
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  private nextTs(): string {
    this.tsCounter++;
    return `1763886600.${String(this.tsCounter).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url ?? "/";
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    if (path.startsWith("/upload/")) {
      const id = path.slice("/upload/".length);
      const upload = this.uploads.get(id);
      if (!upload) return json(404, { ok: false });
      upload.bytes = uploadedBytes(req.headers["content-type"] ?? "", raw);
      res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${raw.length}`);
      return;
    }
    if (path.startsWith("/response/")) {
      this.responses.push({
        url: `${this.url}${path}`,
        body: JSON.parse(String(raw)) as Record<string, unknown>,
      });
      return json(200, { ok: true });
    }
    if (!path.startsWith("/api/")) return json(404, { ok: false, error: "unknown_path" });
    const method = path.slice("/api/".length).split("?")[0]!;
    const params = parseParams(req.headers["content-type"] ?? "", String(raw));
    const token = req.headers.authorization?.replace(/^Bearer /, "");
    this.calls.push({ method, params, token });
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if (failure.afterEffect) this.answer(method, params);
      return json(
        failure.status ?? 200,
        failure.body ?? { ok: false, error: "fatal_error" },
        failure.headers,
      );
    }
    return json(200, this.answer(method, params));
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://acme.slack.com/",
          team: "Acme",
          user: "lift",
          team_id: TEAM,
          user_id: BOT_USER,
          bot_id: "B0LIFT",
        };
      case "apps.connections.open":
        return { ok: true, url: `${this.url.replace("http", "ws")}/socket?ticket=${randomUUID()}` };
      case "chat.postMessage": {
        const message: Posted = {
          channel: String(params["channel"]),
          ts: this.nextTs(),
          ...(params["thread_ts"] ? { thread_ts: String(params["thread_ts"]) } : {}),
          ...(typeof params["text"] === "string" ? { text: params["text"] } : {}),
          ...(Array.isArray(params["blocks"])
            ? { blocks: params["blocks"] as Record<string, unknown>[] }
            : {}),
          ...(params["metadata"] ? { metadata: params["metadata"] } : {}),
        };
        this.messages.push(message);
        return {
          ok: true,
          channel: message.channel,
          ts: message.ts,
          message: { ...message, bot_id: "B0LIFT" },
        };
      }
      case "chat.startStream": {
        const message: Posted = {
          channel: String(params["channel"]),
          ts: this.nextTs(),
          ...(params["thread_ts"] ? { thread_ts: String(params["thread_ts"]) } : {}),
          text: streamedText(params),
          streaming: true,
        };
        this.messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case "chat.appendStream":
      case "chat.stopStream": {
        const message = this.messages.find((m) => m.channel === params["channel"] && m.ts === params["ts"]);
        if (!message) return { ok: false, error: "message_not_found" };
        if (!message.streaming) return { ok: false, error: "message_not_in_streaming_state" };
        message.text = `${message.text ?? ""}${streamedText(params)}`;
        if (method === "chat.stopStream") {
          message.streaming = false;
          if (Array.isArray(params["blocks"])) message.blocks = params["blocks"] as Record<string, unknown>[];
        }
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case "assistant.threads.setStatus":
      case "assistant.threads.setSuggestedPrompts":
      case "assistant.threads.setTitle":
        return params["channel_id"] && params["thread_ts"]
          ? { ok: true }
          : { ok: false, error: "invalid_arguments" };
      case "functions.completeSuccess":
      case "functions.completeError":
        return params["function_execution_id"] ? { ok: true } : { ok: false, error: "invalid_arguments" };
      case "conversations.info":
        return {
          ok: true,
          channel: {
            id: params["channel"],
            name: this.channelNames.get(String(params["channel"])) ?? "channel",
            topic: { value: this.topics.get(String(params["channel"])) ?? "" },
            purpose: { value: "" },
          },
        };
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "chat.update":
        return { ok: true, channel: params["channel"], ts: params["ts"] };
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(params["users"]).slice(1)}` } };
      case "conversations.history":
        return {
          ok: true,
          messages: this.messages
            // Like Slack: the channel's own messages, newest first; thread replies are not in it.
            .filter((m) => m.channel === params["channel"] && (!m.thread_ts || m.thread_ts === m.ts))
            .reverse()
            .map((m) => ({ type: "message", ...m })),
          has_more: false,
        };
      case "conversations.replies":
        return {
          ok: true,
          messages: this.messages
            .filter(
              (m) =>
                m.channel === params["channel"] && (m.ts === params["ts"] || m.thread_ts === params["ts"]),
            )
            .map((m) => ({ type: "message", ...m })),
          has_more: false,
        };
      case "files.getUploadURLExternal": {
        const id = `F${String(++this.fileCounter).padStart(6, "0")}`;
        this.uploads.set(id, { bytes: Buffer.alloc(0), filename: String(params["filename"]) });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files = params["files"] as { id: string; title?: string }[];
        return {
          ok: true,
          files: files.map((f) => ({
            id: f.id,
            title: f.title ?? "",
            name: this.uploads.get(f.id)?.filename,
          })),
        };
      }
      case "views.publish":
        return { ok: true, view: { id: "V0HOME", type: "home" } };
      case "usergroups.list":
        return {
          ok: true,
          usergroups: [...this.groupHandles].map(([id, handle]) => ({
            id,
            team_id: TEAM,
            is_usergroup: true,
            name: handle.replace(/-/g, " "),
            handle,
            user_count: this.usergroups.get(id)?.length ?? 0,
          })),
        };
      case "usergroups.users.list":
        return { ok: true, users: this.usergroups.get(String(params["usergroup"])) ?? [] };
      case "users.info":
        return { ok: true, user: { id: params["user"], tz: "Europe/Berlin", tz_offset: 3600 } };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}
