import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module of the launcher (no types)
import { staleBuild } from "../../../bot/cli/freshness.mjs";

const run = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of the checkout's sources in a temp folder (node_modules linked), to build and run there. */
function checkout(): string {
  dir = mkdtempSync(join(tmpdir(), "lift-build-"));
  for (const source of ["package.json", "main.ts", "env.ts", "analytics", "bot", "api", "jobs", "db"])
    cpSync(join(root, source), join(dir, source), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

const lift = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(cwd, "bot/cli/lift.mjs"), ...args], {
    cwd,
    env: {
      PATH: process.env["PATH"] ?? "",
      DATABASE_URL: join(cwd, "data/lift.db"),
      LIFT_DEMO: "off",
      ...env,
    },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

/** What `lift status` says while no roles are set. */
const OPEN =
  "lift: warning: No roles are set: everyone in this Slack workspace is a Lift admin (may see customers and change or send anything). Give the admin role to a user group first: access role admin @lift-admins.\n";

describe("the compiled build", () => {
  it("runs `lift` from dist/, rebuilds a build older than the sources with a line saying so, or refuses", async () => {
    const tree = checkout();
    expect(staleBuild(tree)).toBe("Lift has not been built yet");
    const first = await lift(tree, ["status"]);
    expect(first.code).toBe(0);
    // A new database: its keys are made beside it, and said once.
    const data = join(tree, "data");
    expect(first.stderr).toBe(
      "lift: Lift has not been built yet: building it now (npm run build, a second)…\n" +
        `lift: LIFT_DATA_KEY is not set: made ${data}/lift-data.key (0600); personal data is sealed with it, so keep it with your backups\n` +
        `lift: LIFT_HASH_KEY is not set: made ${data}/lift-hash.key (0600); lookups by email, suppressions and erasures need it, so keep it with your backups\n` +
        OPEN,
    );
    expect(first.stdout).toMatch(/^events +0\n/);
    expect(staleBuild(tree)).toBeNull();
    // A source edited after the build: never run silently.
    const later = new Date(Date.now() + 60_000);
    writeFileSync(join(tree, "analytics/platform/format.ts"), `${"// touched\n"}`, { flag: "a" });
    utimesSync(join(tree, "analytics/platform/format.ts"), later, later);
    expect(staleBuild(tree)).toBe("the sources changed since the last build");
    const refused = await lift(tree, ["status"], { LIFT_NO_BUILD: "1" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "lift: the sources changed since the last build: run `npm run build` (or npm install) first\n",
    );
    const rebuilt = await lift(tree, ["status"]);
    expect(rebuilt.stderr).toBe(
      "lift: the sources changed since the last build: building it now (npm run build, a second)…\n" + OPEN,
    );
    expect(rebuilt.code).toBe(0);
    // The workers and the migrations come from the build too.
    expect((await run("ls", [join(tree, "dist")])).stdout).toMatch(
      /answer-worker\.js\n[\s\S]*main\.js\n[\s\S]*migrations\n/,
    );
  }, 60_000);
});
