import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The console's token when none is configured: made once and kept beside the
 * database (readable by its owner only), so it survives restarts and is never
 * printed where log collectors keep it.
 */
export function consoleTokenFor(databasePath: string): string {
  const file = join(dirname(databasePath), "console-token");
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 16) return kept;
  }
  const token = randomBytes(18).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
