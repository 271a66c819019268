import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { meta } from "../schema/index.ts";

export async function getMeta(db: Db, key: string): Promise<string | null> {
  return db.orm.select().from(meta).where(eq(meta.key, key)).get()?.value ?? null;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}
