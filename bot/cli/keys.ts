import { AppError } from "../../analytics/platform/base/errors.ts";
import type { Core } from "../../analytics/platform/core.ts";
import type { CliIo } from "./io.ts";

export const KEYS_HELP = `lift keys create NAME [--json]   make a write key for /v1/* (shown once; only its hash is stored)
lift keys list [--json]          list keys (names, prefixes, last use)
lift keys revoke ID|NAME
A new key works at once and a revoked one stops at once, in every Lift process on the database.
`;

export async function keysCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const json = args.includes("--json");
  const [action, ...rest] = args.filter((arg) => arg !== "--json");
  if (action === "create") {
    const name = rest.join(" ");
    const { key, info } = await core.keys.create(name);
    if (json) {
      io.out(`${JSON.stringify({ id: info.id, name: info.name, key, prefix: info.prefix })}\n`);
      return 0;
    }
    io.out(
      `Write key “${info.name}” (id ${info.id}):\n\n  ${key}\n\nCopy it now: Lift keeps only its hash and cannot show it again.\n` +
        `Use it as the Segment write key (HTTP Basic user, empty password) for POST /v1/batch, /v1/track, /v1/identify, /v1/page, /v1/mentions.\n`,
    );
    return 0;
  }
  if (action === "list") {
    const keys = await core.keys.list();
    if (json) {
      io.out(`${JSON.stringify(keys)}\n`);
      return 0;
    }
    if (keys.length === 0) io.out("No write keys yet: lift keys create NAME\n");
    for (const key of keys) {
      const state = key.revokedAt ? `revoked ${new Date(key.revokedAt).toISOString()}` : "active";
      const used = key.lastUsedAt ? `last used ${new Date(key.lastUsedAt).toISOString()}` : "never used";
      io.out(`${String(key.id).padStart(4)}  ${key.prefix}…  ${key.name}  (${state}, ${used})\n`);
    }
    return 0;
  }
  if (action === "revoke") {
    const target = rest.join(" ");
    if (!target)
      throw new AppError("invalid_input", "Which key? lift keys revoke ID|NAME", { hint: "lift keys list" });
    const count = await core.keys.revoke(target);
    io.out(`Revoked ${count} key${count === 1 ? "" : "s"}.\n`);
    return 0;
  }
  throw new AppError("invalid_input", `lift keys ${action ?? ""}: unknown action`, { hint: KEYS_HELP });
}
