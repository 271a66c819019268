import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../../db/client.ts";
import {
  findActiveWriteKey,
  insertWriteKey,
  listWriteKeys,
  revokeWriteKey,
  touchWriteKey,
} from "../../../db/platform/queries/keys.ts";
import type { WriteKeyRow } from "../../../db/platform/schema/operations.ts";
import { AppError } from "../base/errors.ts";

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
  /** When each key's last use was last written. */
  private readonly touched = new Map<number, number>();

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
    return count;
  }

  /**
   * The key's id when it is valid, else null. Every request looks its key up (one indexed read,
   * microseconds), so a key created or revoked in any process counts at once. Nothing is written:
   * a request refused after this leaves the database as it was.
   */
  async verify(key: string): Promise<number | null> {
    const row = await findActiveWriteKey(this.db, hashKey(key));
    return row ? row.id : null;
  }

  /** Marks a key used by a request that was taken: its last-used time, written at most once a minute. */
  async used(id: number): Promise<void> {
    const now = this.now();
    const last = this.touched.get(id);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    this.touched.set(id, now);
    await touchWriteKey(this.db, id, now);
  }
}
