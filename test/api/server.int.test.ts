import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../analytics/platform/base/log.ts";
import { parseConfig } from "../../env.ts";
import { type Built, build, type Server, startServer } from "../../main.ts";

let dir: string;
let built: Built | undefined;
let server: Server | undefined;
let lines: string[] = [];

afterEach(async () => {
  await server?.close();
  await built?.close();
  server = undefined;
  built = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}, host = "127.0.0.1") {
  dir = mkdtempSync(join(tmpdir(), "lift-server-"));
  lines = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
  built = await build(parseConfig({ DATABASE_URL: join(dir, "lift.db"), LIFT_DEMO: "off", ...env }), {
    logger,
  });
  server = await startServer(built, { port: 0, host });
  return { port: Number(new URL(server.url).port), key: (await built.core.keys.create("test")).key };
}

/** A request with any Host header (fetch will not send a made-up one). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const subscriptions = () =>
  built!.db.sqlite.prepare("SELECT count(*) FROM subscriptions").pluck().get() as number;

describe("the local console against other origins", () => {
  it("refuses requests whose Host is not its loopback address and port (DNS rebinding)", async () => {
    const { port } = await start();
    for (const path of ["/", "/api/status", "/console/panels", "/status"]) {
      const refused = await raw(port, { path, headers: { host: "evil.example" } });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).error.code).toBe("forbidden_host");
      expect((await raw(port, { path, headers: { host: `evil.example:${port}` } })).status).toBe(403);
    }
    expect(
      (await raw(port, { path: "/api/status", headers: { host: `127.0.0.1:${port + 1}` } })).status,
    ).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
      expect((await raw(port, { path: "/api/status", headers: { host } })).status).toBe(200);
  });

  it("takes state-changing requests only as same-origin JSON", async () => {
    const { port } = await start();
    const host = `127.0.0.1:${port}`;
    const body = JSON.stringify({ command: "subscribe daily at 9:00" });
    // What a form or a no-cors fetch on another site can send: text/plain or a form type.
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const simple = await raw(port, {
        method: "POST",
        path: "/console/run",
        headers: { host, "content-type": type, origin: "http://evil.example" },
        body,
      });
      expect(simple.status).toBe(415);
    }
    const crossOrigin = await raw(port, {
      method: "POST",
      path: "/console/run",
      headers: { host, "content-type": "application/json", origin: "http://evil.example" },
      body,
    });
    expect(crossOrigin.status).toBe(403);
    const crossSite = await raw(port, {
      method: "POST",
      path: "/console/run",
      headers: { host, "content-type": "application/json", "sec-fetch-site": "cross-site" },
      body,
    });
    expect(crossSite.status).toBe(403);
    expect(subscriptions()).toBe(0);
    // The console's own page: same origin, JSON.
    const own = await raw(port, {
      method: "POST",
      path: "/console/run",
      headers: {
        host,
        "content-type": "application/json",
        origin: `http://${host}`,
        "sec-fetch-site": "same-origin",
      },
      body,
    });
    expect(own.status).toBe(200);
    expect(subscriptions()).toBe(1);
  });

  it("reads at most 64 KB of a console request", async () => {
    const { port } = await start();
    const host = `127.0.0.1:${port}`;
    const big = await raw(port, {
      method: "POST",
      path: "/console/run",
      headers: { host, "content-type": "application/json" },
      body: JSON.stringify({ command: "x".repeat(200_000) }),
    });
    expect(big.status).toBe(413);
  });
});

describe("beyond loopback", () => {
  it("needs the console token for /status and /api/status; health and the write-key API do not", async () => {
    const { port, key } = await start({ LIFT_CONSOLE_TOKEN: "a-console-token-of-the-test" }, "0.0.0.0");
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/api/status`)).status).toBe(401);
    expect((await fetch(`${url}/status`)).status).toBe(401);
    const authorised = await fetch(`${url}/api/status`, {
      headers: { authorization: "Bearer a-console-token-of-the-test" },
    });
    expect(authorised.status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const batch = await fetch(`${url}/v1/batch`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
      },
      body: JSON.stringify({ batch: [{ type: "track", event: "A", userId: "u" }] }),
    });
    expect(batch.status).toBe(200);
  });
});

describe("a full disk", () => {
  it("answers 503 disk full with nothing half-written, and the log says so", async () => {
    const { port, key } = await start();
    const { sqlite } = built!.db;
    // SQLite refuses to grow the file past max_page_count with SQLITE_FULL, as a full disk does.
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.pragma(`max_page_count = ${sqlite.pragma("page_count", { simple: true })}`);
    const batch = Array.from({ length: 1200 }, (_, i) => ({
      type: "track",
      event: "Product Viewed",
      userId: `u${i}`,
      messageId: `m${i}`,
      properties: { text: "x".repeat(200) },
    }));
    const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
      },
      body: JSON.stringify({ batch }),
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("disk_full");
    expect(sqlite.prepare("SELECT count(*) FROM events").pluck().get()).toBe(0);
    const logged = lines.map(
      (line) => JSON.parse(line) as { msg: string; err?: { code?: string; cause?: { code?: string } } },
    );
    const entry = logged.find((l) => l.msg === "disk full: a write was refused");
    expect(entry).toBeDefined();
    expect([entry!.err?.code, entry!.err?.cause?.code]).toContain("SQLITE_FULL");
  });
});

describe("unexpected errors", () => {
  it("go through the logger, redacted, and the client gets a 500 with no details", async () => {
    const { port } = await start();
    built!.core.status = async () => {
      throw new Error("boom for ana@example.com");
    };
    const response = await fetch(`http://127.0.0.1:${port}/api/status`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("ana@example.com");
    const line = lines.find((l) => l.includes("boom"));
    expect(line).toBeDefined();
    expect(line).not.toContain("ana@example.com");
    expect(line).toContain("[email]");
  });
});

describe("two Lift processes on one database", () => {
  it("both write without a failure: immediate transactions wait for each other", async () => {
    dir = mkdtempSync(join(tmpdir(), "lift-two-"));
    const path = join(dir, "lift.db");
    const script = `
      import { openDatabase } from "./db/client.ts";
      import { writeEvents } from "./db/platform/queries/events.ts";
      const db = openDatabase(process.argv[1]);
      const who = process.argv[2];
      // Both start at the same instant, so their transactions interleave.
      while (Date.now() < Number(process.argv[3])) {}
      let failures = 0;
      for (let i = 0; i < 1500; i++) {
        try {
          await writeEvents(db, [{ messageId: who + i, type: "track", event: "A", eventKey: "A", userId: null,
            anonymousId: "anon" + (i % 7), channel: null, campaignId: null, properties: "{}", context: "{}",
            timestamp: 1763887100000 + i, day: "2026-11-23", receivedAt: 1763887100000 }]);
        } catch (error) { failures++; console.error(error.code); }
      }
      console.log(failures);
    `;
    // The schema first, then two processes writing at once.
    built = await build(parseConfig({ DATABASE_URL: path, LIFT_DEMO: "off" }), {
      logger: createLogger("silent"),
    });
    const at = Date.now() + 2500;
    const run = (who: string) =>
      new Promise<{ failures: number; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", "--input-type=module", "-e", script, path, who, String(at)],
          {
            cwd: join(import.meta.dirname, "../.."),
          },
        );
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
        });
        child.stderr.on("data", (chunk) => {
          err += chunk;
        });
        child.on("close", () => resolve({ failures: Number(out.trim() || "NaN"), stderr: err }));
      });
    const [a, b] = await Promise.all([run("a"), run("b")]);
    expect(a).toEqual({ failures: 0, stderr: "" });
    expect(b).toEqual({ failures: 0, stderr: "" });
    expect(built.db.sqlite.prepare("SELECT count(*) FROM events").pluck().get()).toBe(3000);
  }, 60_000);
});
