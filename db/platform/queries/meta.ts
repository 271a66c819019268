import { eq } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { meta } from "../schema/operations.ts";

export async function getMeta(db: Db, key: string): Promise<string | null> {
  return db.orm.select().from(meta).where(eq(meta.key, key)).get()?.value ?? null;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}

/** A counter every ingest transaction bumps: live views compare it to know when to refresh. */
export async function dataVersion(db: Db): Promise<string> {
  return (await getMeta(db, "data_version")) ?? "0";
}
