import { dbOf, openDatabase, type Tables, tablesOf } from "../client.ts";
import { writeTransaction } from "../write.ts";

/** A customer's spend on one day: the purchase occasions customer models count. */
export interface PurchaseDay {
  customer: string;
  day: string;
  amountMinor: number;
}

/**
 * Every customer's purchase days, columnar: customer k's days are days[offsets[k]] …
 * days[offsets[k + 1] − 1], in order, as days since 1970-01-01, with the day's spend in minor units.
 */
export interface PurchaseHistory {
  customers: string[];
  offsets: Int32Array;
  days: Int32Array;
  amounts: Float64Array;
}

const DAY_MS = 86_400_000;

/**
 * Every customer's purchase days up to and including `lastDay` (orders on one day are one
 * purchase, their amounts summed), read in one pass into typed arrays: half a million customers'
 * days cost a few bytes each, not an object each.
 */
export async function purchaseHistory(tables: Tables, lastDay: string): Promise<PurchaseHistory> {
  const db = dbOf(tables);
  const customers: string[] = [];
  const offsets: number[] = [];
  let days = new Int32Array(1024);
  let amounts = new Float64Array(1024);
  let n = 0;
  let previous: string | null = null;
  for (const row of db.sqlite
    .prepare(
      `SELECT customer_id, day, sum(amount_minor) FROM orders
       WHERE customer_id IS NOT NULL AND customer_id <> '' AND day <= ?
       GROUP BY customer_id, day ORDER BY customer_id, day`,
    )
    .raw()
    .iterate(lastDay) as Iterable<[string, string, number]>) {
    if (row[0] !== previous) {
      previous = row[0];
      customers.push(row[0]);
      offsets.push(n);
    }
    if (n === days.length) {
      const grownDays = new Int32Array(n * 2);
      grownDays.set(days);
      days = grownDays;
      const grownAmounts = new Float64Array(n * 2);
      grownAmounts.set(amounts);
      amounts = grownAmounts;
    }
    days[n] = Date.parse(`${row[1]}T00:00:00Z`) / DAY_MS;
    amounts[n] = row[2];
    n++;
  }
  offsets.push(n);
  return {
    customers,
    offsets: Int32Array.from(offsets),
    days: days.subarray(0, n),
    amounts: amounts.subarray(0, n),
  };
}

/** One customer's purchase days up to `lastDay`, in order. */
export async function purchaseDaysOf(
  tables: Tables,
  customer: string,
  lastDay: string,
): Promise<PurchaseDay[]> {
  const db = dbOf(tables);
  return db.sqlite
    .prepare(
      `SELECT customer_id AS customer, day, sum(amount_minor) AS amountMinor FROM orders
       WHERE customer_id = ? AND day <= ? GROUP BY day ORDER BY day`,
    )
    .all(customer, lastDay) as PurchaseDay[];
}

/** Keeps a fit, replacing one of the same kind and day. Older fits than the last `keep` days go. */
export async function saveFit(
  tables: Tables,
  fit: { kind: string; asOf: string; data: string; fittedAt: number },
  keep = 30,
): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    db.sqlite
      .prepare(
        `INSERT INTO predict_fits (kind, as_of, data, fitted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, as_of) DO UPDATE SET data = excluded.data, fitted_at = excluded.fitted_at`,
      )
      .run(fit.kind, fit.asOf, fit.data, fit.fittedAt);
    db.sqlite
      .prepare(
        `DELETE FROM predict_fits WHERE kind = ? AND as_of NOT IN
           (SELECT as_of FROM predict_fits WHERE kind = ? ORDER BY as_of DESC LIMIT ?)`,
      )
      .run(fit.kind, fit.kind, keep);
  });
}

/** The newest fit of a kind made on or before `asOf` (any day when absent). */
export async function latestFit(
  tables: Tables,
  kind: string,
  asOf?: string,
): Promise<{ asOf: string; data: string; fittedAt: number } | null> {
  const db = dbOf(tables);
  return (
    (db.sqlite
      .prepare(
        `SELECT as_of AS asOf, data, fitted_at AS fittedAt FROM predict_fits
         WHERE kind = ? AND as_of <= ? ORDER BY as_of DESC LIMIT 1`,
      )
      .get(kind, asOf ?? "9999-12-31") as { asOf: string; data: string; fittedAt: number } | undefined) ??
    null
  );
}

/** The database file behind a handle, or null for an in-memory one (a fit thread needs a file to open). */
export async function databaseFile(tables: Tables): Promise<string | null> {
  const { path } = dbOf(tables);
  return path === ":memory:" || path === "" ? null : path;
}

/** Purchase days read on a connection of the caller's own (a fit thread's), closed after. */
export async function purchaseHistoryAt(path: string, lastDay: string): Promise<PurchaseHistory> {
  const db = openDatabase(path, { migrate: false, readonly: true });
  try {
    return await purchaseHistory(tablesOf(db), lastDay);
  } finally {
    db.close();
  }
}
