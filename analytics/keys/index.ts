import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../db/client.ts";
import {
  findActiveWriteKey,
  insertWriteKey,
  listWriteKeys,
  revokeWriteKey,
  touchWriteKey,
} from "../../db/queries/keys.ts";
import type { WriteKeyRow } from "../../db/schema/index.ts";
import { AppError } from "../errors.ts";

/** Segment-style write keys. Only a SHA-256 hash is stored; the key is shown once. */
const PREFIX = "lift_wk_";
const TOUCH_EVERY_MS = 60_000;

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export interface WriteKeyInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

function info(row: WriteKeyRow): WriteKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export class WriteKeys {
  private readonly verified = new Map<string, { id: number; checkedAt: number }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Creates a key; the returned `key` is the only time it is ever visible. */
  async create(name: string): Promise<{ key: string; info: WriteKeyInfo }> {
    const label = name.trim();
    if (label === "" || label.length > 100) {
      throw new AppError("invalid_input", "A write key needs a name of 1–100 characters", {
        hint: "lift keys create website",
      });
    }
    const key = `${PREFIX}${randomBytes(24).toString("base64url")}`;
    const row = await insertWriteKey(this.db, {
      name: label,
      keyHash: hashKey(key),
      prefix: key.slice(0, PREFIX.length + 4),
      createdAt: this.now(),
    });
    return { key, info: info(row) };
  }

  async list(): Promise<WriteKeyInfo[]> {
    return (await listWriteKeys(this.db)).map(info);
  }

  async revoke(idOrName: string): Promise<number> {
    const count = await revokeWriteKey(this.db, idOrName, this.now());
    if (count === 0)
      throw new AppError("not_found", `No active write key “${idOrName}”`, { hint: "lift keys list" });
    this.verified.clear();
    return count;
  }

  /**
   * The key's id when it is valid, else null. Valid keys are remembered for a
   * minute, so a busy ingest endpoint does not write last_used_at per request
   * and a revoked key stops working within a minute in other processes.
   */
  async verify(key: string): Promise<number | null> {
    const hash = hashKey(key);
    const now = this.now();
    const cached = this.verified.get(hash);
    if (cached && now - cached.checkedAt < TOUCH_EVERY_MS) return cached.id;
    const row = await findActiveWriteKey(this.db, hash);
    if (!row) {
      this.verified.delete(hash);
      return null;
    }
    this.verified.set(hash, { id: row.id, checkedAt: now });
    await touchWriteKey(this.db, row.id, now);
    return row.id;
  }
}
