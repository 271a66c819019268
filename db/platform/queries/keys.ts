import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { type WriteKeyRow, writeKeys } from "../schema/operations.ts";
import { writeAudit } from "./audit.ts";

export async function insertWriteKey(
  db: Db,
  key: { name: string; keyHash: string; prefix: string; createdAt: number },
): Promise<WriteKeyRow> {
  return writeTransaction(db, () => {
    const row = db.orm.insert(writeKeys).values(key).returning().get();
    writeAudit(db, {
      at: key.createdAt,
      actor: "cli",
      action: "write_key.create",
      detail: JSON.stringify({ id: row.id, name: key.name }),
    });
    return row;
  });
}

export async function findActiveWriteKey(db: Db, keyHash: string): Promise<WriteKeyRow | undefined> {
  return db.orm
    .select()
    .from(writeKeys)
    .where(and(eq(writeKeys.keyHash, keyHash), isNull(writeKeys.revokedAt)))
    .get();
}

export async function touchWriteKey(db: Db, id: number, at: number): Promise<void> {
  db.orm.update(writeKeys).set({ lastUsedAt: at }).where(eq(writeKeys.id, id)).run();
}

export async function listWriteKeys(db: Db): Promise<WriteKeyRow[]> {
  return db.orm.select().from(writeKeys).orderBy(desc(writeKeys.createdAt)).all();
}

/** Revokes by id or name; returns how many keys were revoked. */
export async function revokeWriteKey(db: Db, idOrName: string, at: number): Promise<number> {
  return writeTransaction(db, () => {
    const byId = /^\d+$/.test(idOrName) ? eq(writeKeys.id, Number(idOrName)) : eq(writeKeys.name, idOrName);
    const revoked = db.orm
      .update(writeKeys)
      .set({ revokedAt: at })
      .where(and(byId, isNull(writeKeys.revokedAt)))
      .returning({ id: writeKeys.id })
      .all();
    if (revoked.length > 0) {
      writeAudit(db, {
        at,
        actor: "cli",
        action: "write_key.revoke",
        detail: JSON.stringify({ ids: revoked.map((r) => r.id) }),
      });
    }
    return revoked.length;
  });
}
