import { randomBytes } from "node:crypto";
import { type Db, writeDataKeys } from "../../client.ts";
import type { PersonalTable } from "../../personal.ts";
import { keyId, SEALED } from "../../sealer.ts";
import { writeTransaction } from "../../write.ts";
import { getMeta, setMeta } from "./meta.ts";

/*
 * Sealing what was stored before: a database from before sealing has its personal values sealed
 * once, a batch at a time (an upgrade); a key rotation seals every value again under the new key.
 * Which columns are sealed comes from the personal-data maps (`sealed`).
 */

const MARK = "sealed_with";
const BATCH = 2000;

interface Target {
  table: string;
  /** Sealed whole. */
  whole: string[];
  /** JSON with its personal values sealed (`traits`: a person's own, names sealed too). */
  json: string[];
}

function targetsOf(maps: readonly PersonalTable[]): Target[] {
  return maps
    .filter((m) => (m.sealed ?? []).length > 0)
    .map((m) => ({
      table: m.table,
      whole: m.sealed!.filter((c) => m.columns[c] !== "json"),
      json: m.sealed!.filter((c) => m.columns[c] === "json"),
    }));
}

/** Whether the stored values were sealed (under any key) since sealing began, and under which key last. */
export async function sealedWith(db: Db): Promise<string | null> {
  return getMeta(db, MARK);
}

/** Whether any table with sealed columns holds a row (a new database needs no pass). */
export async function holdsSealable(db: Db, maps: readonly PersonalTable[]): Promise<boolean> {
  return targetsOf(maps).some(
    (t) => db.sqlite.prepare(`SELECT 1 FROM "${t.table}" LIMIT 1`).get() !== undefined,
  );
}

export async function markSealed(db: Db): Promise<void> {
  await setMeta(db, MARK, db.sealer.keyId);
}

/**
 * Seals every stored personal value under the current key, a batch of rows a transaction:
 * plain values (written before sealing) sealed, values under another key sealed again. Returns
 * the rows changed. Runs beside writers: each batch reads and writes its rows in one transaction.
 */
export async function sealStored(
  db: Db,
  maps: readonly PersonalTable[],
  onProgress?: (table: string, rows: number) => void,
): Promise<number> {
  const { sealer } = db;
  let changed = 0;
  for (const target of targetsOf(maps)) {
    if (target.table === "customers") {
      const n = await sealCustomers(db);
      if (n > 0) onProgress?.("customers", n);
      changed += n;
      continue;
    }
    const columns = [...target.whole, ...target.json];
    const select = db.sqlite.prepare(
      `SELECT rowid AS _row, ${columns.map((c) => `"${c}"`).join(", ")}
       FROM "${target.table}" WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    );
    const update = db.sqlite.prepare(
      `UPDATE "${target.table}" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE rowid = ?`,
    );
    let after = 0;
    let tableChanged = 0;
    for (;;) {
      const done = writeTransaction(db, () => {
        const rows = select.all(after, BATCH) as Record<string, unknown>[];
        for (const row of rows) {
          let dirty = false;
          const values = columns.map((column) => {
            const value = row[column];
            if (typeof value !== "string" || value === "") return value;
            const next = target.json.includes(column)
              ? sealer.sealJsonText(sealer.resealJsonText(value))
              : value.startsWith(SEALED)
                ? sealer.reseal(value)
                : sealer.seal(value);
            if (next !== value) dirty = true;
            return next;
          });
          if (dirty) {
            update.run(...values, row["_row"]);
            tableChanged++;
          }
        }
        if (rows.length > 0) after = rows[rows.length - 1]!["_row"] as number;
        return rows.length < BATCH;
      });
      if (done) break;
    }
    if (tableChanged > 0) onProgress?.(target.table, tableChanged);
    changed += tableChanged;
  }
  await markSealed(db);
  return changed;
}

/**
 * Customers: the email and the personal traits sealed as one value under the current key, the
 * rest of the traits plain, the blind index made — from whatever an older version wrote.
 */
async function sealCustomers(db: Db): Promise<number> {
  const { sealer } = db;
  const select = db.sqlite.prepare(
    "SELECT rowid AS _row, email, traits, email_index FROM customers WHERE rowid > ? ORDER BY rowid LIMIT ?",
  );
  const update = db.sqlite.prepare(
    "UPDATE customers SET email = ?, traits = ?, email_index = ? WHERE rowid = ?",
  );
  let after = 0;
  let changed = 0;
  for (;;) {
    const done = writeTransaction(db, () => {
      const rows = select.all(after, BATCH) as {
        _row: number;
        email: string | null;
        traits: string;
        email_index: string | null;
      }[];
      for (const row of rows) {
        const opened = sealer.openCustomer(row.email, row.traits);
        const next = sealer.sealCustomer(opened.email, JSON.parse(opened.traits) as Record<string, unknown>);
        const blind = opened.email ? sealer.blind("email", opened.email) : null;
        const current =
          row.email === null
            ? next.email === null
            : sealer.current(row.email) && sealer.open(row.email).startsWith("{");
        if (current && next.traits === row.traits && blind === row.email_index) continue;
        update.run(next.email, next.traits, blind, row._row);
        changed++;
      }
      if (rows.length > 0) after = rows[rows.length - 1]!._row;
      return rows.length < BATCH;
    });
    if (done) return changed;
  }
}

/** Values still sealed under another key than the current one, or not sealed (a rotation is done at 0). */
export async function notCurrent(db: Db, maps: readonly PersonalTable[]): Promise<number> {
  const current = `${SEALED}${db.sealer.keyId}:%`;
  let n = 0;
  for (const target of targetsOf(maps)) {
    for (const column of target.whole)
      n += (
        db.sqlite
          .prepare(
            `SELECT count(*) AS n FROM "${target.table}" WHERE "${column}" IS NOT NULL AND "${column}" <> '' AND "${column}" NOT LIKE ?`,
          )
          .get(current) as { n: number }
      ).n;
    for (const column of target.json)
      n += (
        db.sqlite
          .prepare(
            `SELECT count(*) AS n FROM "${target.table}" WHERE "${column}" LIKE '%${SEALED}%' AND replace("${column}", ?, '') LIKE '%${SEALED}%'`,
          )
          .get(`${SEALED}${db.sealer.keyId}:`) as { n: number }
      ).n;
  }
  return n;
}

export interface Rotation {
  from: string[];
  to: string;
  rows: number;
  /** Where the keys are kept (null: LIFT_DATA_KEY, which the person changes). */
  file: string | null;
  /** Values still under an old key (another process wrote them before it followed): the old key stays. */
  left: number;
}

/**
 * Seals every stored personal value under a new data key. Keys kept beside the database: a new
 * key is made and written first (the old after it, so every process still reads everything),
 * every value is sealed again, then the old key is dropped from the file once nothing needs it.
 * LIFT_DATA_KEY: its first key is the new one and the rest are old; afterwards the old can go.
 */
export async function rotateDataKey(
  db: Db,
  maps: readonly PersonalTable[],
  onProgress?: (table: string, rows: number) => void,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Rotation> {
  const { sealer } = db;
  const before = sealer.keys;
  if (db.keys.source === "environment") {
    if (before.length < 2)
      throw new Error(
        "LIFT_DATA_KEY holds one key: put a new key first and the current one after it (LIFT_DATA_KEY=new,old), then rotate",
      );
    const rows = await sealStored(db, maps, onProgress);
    return {
      from: before.slice(1).map(keyId),
      to: sealer.keyId,
      rows,
      file: null,
      left: await notCurrent(db, maps),
    };
  }
  const fresh = randomBytes(32);
  const file = writeDataKeys(db.path, [fresh, ...before]);
  sealer.use([fresh, ...before]);
  let rows = await sealStored(db, maps, onProgress);
  let left = await notCurrent(db, maps);
  if (left > 0) {
    // Another process sealed with the old key before it read the new file (it does within 5 s).
    await wait(6000);
    rows += await sealStored(db, maps, onProgress);
    left = await notCurrent(db, maps);
  }
  if (left === 0) {
    writeDataKeys(db.path, [fresh]);
    sealer.use([fresh]);
  }
  return { from: before.map(keyId), to: keyId(fresh), rows, file, left };
}
