import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, inject, it } from "vitest";
import { copyWithKeys } from "./support/db.ts";
import { FakeSlack } from "./support/fake-slack.ts";

const root = new URL("..", import.meta.url).pathname;
// tsx's loader by path: the child runs in a temp folder (so no .env of the checkout is read).
const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
let dir: string;
let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `lift` (main.ts, as the bin does) in a child process, with only the environment given. */
function lift(args: string[], env: Record<string, string>, wrap: string[] = []) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const command = [...wrap, process.execPath, "--import", TSX, join(root, "main.ts"), ...args];
    const child = spawn(command[0]!, command.slice(1), {
      cwd: dir,
      env: { PATH: process.env["PATH"] ?? "", HOME: dir, LIFT_DEMO: "off", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One line on stderr, naming the cause and the fix; no stack trace. */
function expectOneLine(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^lift: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const freshDir = () => {
  dir = mkdtempSync(join(tmpdir(), "lift-start-"));
  return dir;
};

/** A private mount namespace with a tmpfs (no root needed): a small disk, or one mounted read-only. */
const canMount = await promisify(execFile)("unshare", ["-rm", "true"]).then(
  () => true,
  () => false,
);
const mounted = (mountpoint: string, setup: string) => [
  "unshare",
  "-rm",
  "sh",
  "-c",
  `${setup.replaceAll("$MNT", mountpoint)} && exec "$@"`,
  "sh",
];

describe("start-up failures: one line, the real cause and the fix, exit 1", () => {
  it("a port that is in use", async () => {
    freshDir();
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await lift(["serve"], { DATABASE_URL: join(dir, "lift.db"), PORT: String(port) });
      expectOneLine(
        result,
        new RegExp(`port ${port} is already in use on 127\\.0\\.0\\.1 .*set PORT to a free port`),
      );
    } finally {
      blocker.close();
    }
  });

  it("a database path that is a folder, and a file that is not a database", async () => {
    freshDir();
    mkdirSync(join(dir, "folder.db"));
    expectOneLine(
      await lift(["status"], { DATABASE_URL: join(dir, "folder.db") }),
      /cannot open the database at .*folder\.db: check that the path is a file/,
    );
    writeFileSync(join(dir, "notes.db"), "these are my notes, not a database".repeat(200));
    expectOneLine(
      await lift(["serve"], { DATABASE_URL: join(dir, "notes.db"), PORT: "0" }),
      /notes\.db is not an SQLite database: point DATABASE_URL/,
    );
  });

  it.runIf(canMount || process.env["CI"])("a database on a read-only disk", async () => {
    freshDir();
    const mnt = join(dir, "ro");
    mkdirSync(mnt);
    const demo = inject("demoDbPath");
    const result = await lift(
      ["status"],
      { DATABASE_URL: join(mnt, "lift.db") },
      mounted(mnt, `mount -t tmpfs tmpfs $MNT && cp '${demo}' $MNT/lift.db && mount -o remount,ro $MNT`),
    );
    expectOneLine(
      result,
      /the database at .*lift\.db is read-only \(its disk is mounted read-only\): give Lift write access/,
    );
  });

  it.runIf(canMount || process.env["CI"])("a full disk", async () => {
    freshDir();
    const mnt = join(dir, "small");
    mkdirSync(mnt);
    const result = await lift(
      ["serve"],
      { DATABASE_URL: join(mnt, "lift.db"), PORT: "0" },
      mounted(mnt, "mount -t tmpfs -o size=64k tmpfs $MNT"),
    );
    expectOneLine(result, /the disk is full: Lift cannot write to .*lift\.db; free some space/);
  });

  it("a bad or revoked Slack bot token", async () => {
    freshDir();
    copyWithKeys(inject("demoDbPath"), join(dir, "lift.db"));
    fake = await FakeSlack.start();
    fake.fail("auth.test", { body: { ok: false, error: "token_revoked" } });
    const result = await lift(["serve"], {
      DATABASE_URL: join(dir, "lift.db"),
      PORT: "0",
      SLACK_BOT_TOKEN: "xoxb-revoked-0000",
      SLACK_SIGNING_SECRET: "a-signing-secret-of-some-length",
      SLACK_API_URL: fake.apiUrl,
    });
    expectOneLine(result, /Slack refused SLACK_BOT_TOKEN \(token_revoked\): copy the Bot User OAuth Token/);
  });

  it("Socket Mode refused", async () => {
    freshDir();
    copyWithKeys(inject("demoDbPath"), join(dir, "lift.db"));
    fake = await FakeSlack.start();
    fake.fail("apps.connections.open", { body: { ok: false, error: "not_allowed_token_type" } }, 10);
    const result = await lift(["serve"], {
      DATABASE_URL: join(dir, "lift.db"),
      PORT: "0",
      SLACK_BOT_TOKEN: "xoxb-fine-0000",
      SLACK_APP_TOKEN: "xoxb-not-an-app-token",
      SLACK_API_URL: fake.apiUrl,
    });
    expectOneLine(
      result,
      /Slack refused Socket Mode \(not_allowed_token_type\): SLACK_APP_TOKEN must be an app-level token/,
    );
  });

  it("Slack out of reach", async () => {
    freshDir();
    copyWithKeys(inject("demoDbPath"), join(dir, "lift.db"));
    const result = await lift(["serve"], {
      DATABASE_URL: join(dir, "lift.db"),
      PORT: "0",
      SLACK_BOT_TOKEN: "xoxb-fine-0000",
      SLACK_SIGNING_SECRET: "a-signing-secret-of-some-length",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
    });
    expectOneLine(result, /cannot reach Slack at http:\/\/127\.0\.0\.1:9\/api\/ \(ECONNREFUSED\)/);
  });
});

describe("starting on an empty database", () => {
  it("listens at once, says the demo is being seeded, and the console shows the progress, then the data", async () => {
    freshDir();
    const child = spawn(process.execPath, ["--import", TSX, join(root, "main.ts"), "serve"], {
      cwd: dir,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: dir,
        DATABASE_URL: join(dir, "lift.db"),
        PORT: "0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let stdout = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      const started = Date.now();
      while (!/Lift is running at (\S+)/.test(stdout) && Date.now() - started < 20_000)
        await new Promise((done) => setTimeout(done, 50));
      const url = /Lift is running at (\S+)/.exec(stdout)![1]!;
      expect(stdout).toContain(
        "Seeding the demo workspace (90 days; LIFT_DEMO=off skips it): the console shows its progress.",
      );
      // Reachable while it seeds: the page, and each panel saying how far the seeding has got.
      expect((await fetch(`${url}/`)).status).toBe(200);
      const panel = (await (await fetch(`${url}/console/panels/today`)).json()) as {
        seeding?: { done: number; total: number };
      };
      expect(panel.seeding).toMatchObject({ total: 90 });
      expect(panel.seeding!.done).toBeLessThan(90);
      const asked = await fetch(`${url}/console/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ command: "revenue last 7 days" }),
      });
      expect(asked.status).toBe(503);
      expect(((await asked.json()) as { error: { message: string } }).error.message).toMatch(
        /^Lift is seeding the demo workspace \(\d+ of 90 days\); answers come once it is done\.$/,
      );
      // Then the data.
      for (let seeding = true; seeding; ) {
        await new Promise((done) => setTimeout(done, 500));
        seeding =
          ((await (await fetch(`${url}/console/state`)).json()) as { seeding: unknown }).seeding !== null;
      }
      const today = (await (await fetch(`${url}/console/panels/today`)).json()) as { html: string };
      expect(today.html).toContain("<h2>Today so far</h2>");
    } finally {
      child.kill("SIGTERM");
    }
  }, 90_000);
});
