import { endianness } from "node:os";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { preparedFor } from "./statements.ts";

/*
 * Exact distinct people over any range of days, without a DISTINCT over
 * millions of rows: each day's people per channel are kept as a sorted array
 * of person numbers (day_people), made from daily_people the first time a day
 * is asked for and remade when its version (day_versions, bumped by every
 * write that touches the day, and by merges) has moved on. A range's count is
 * the size of the union of its days' arrays, taken in a bitmap.
 */

export type PeopleGrain = "none" | "day" | "week" | "month" | "channel";

export interface PeopleQuery {
  from: string;
  to: string;
  grain: PeopleGrain;
  /** Only people whose day belongs to this channel. */
  channel?: string | undefined;
}

const prepared = preparedFor((sqlite) => ({
  versions: sqlite.prepare<[string, string], { day: string; version: number }>(
    "SELECT day, version FROM day_versions WHERE day BETWEEN ? AND ?",
  ),
  stored: sqlite.prepare<[string, string], { day: string; channel: string; version: number; people: Buffer }>(
    "SELECT day, channel, version, people FROM day_people WHERE day BETWEEN ? AND ?",
  ),
  storedVersions: sqlite.prepare<[string, string], { day: string; version: number }>(
    "SELECT day, min(version) AS version FROM day_people WHERE day BETWEEN ? AND ? GROUP BY day",
  ),
  dayRows: sqlite.prepare<[string], { channel: string; no: number }>(
    "SELECT channel, person_no AS no FROM daily_people WHERE day = ?",
  ),
  dropDay: sqlite.prepare("DELETE FROM day_people WHERE day = ?"),
  saveSet: sqlite.prepare("INSERT INTO day_people (day, channel, version, people) VALUES (?, ?, ?, ?)"),
}));

type DaySets = Map<string, Uint32Array>;

// Blobs are little-endian uint32s; on a little-endian machine (x86, ARM) they are copied, not decoded.
const LITTLE_ENDIAN = endianness() === "LE";

function toBlob(numbers: Uint32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength);
  const blob = Buffer.alloc(numbers.length * 4);
  for (let i = 0; i < numbers.length; i++) blob.writeUInt32LE(numbers[i]!, i * 4);
  return blob;
}

function fromBlob(blob: Buffer): Uint32Array {
  if (LITTLE_ENDIAN) {
    const copy = new Uint8Array(blob.length);
    copy.set(blob);
    return new Uint32Array(copy.buffer);
  }
  const numbers = new Uint32Array(blob.length / 4);
  for (let i = 0; i < numbers.length; i++) numbers[i] = blob.readUInt32LE(i * 4);
  return numbers;
}

/** One day's sets, from daily_people; stored for next time (skipped on a read-only connection). */
function buildDay(db: Db, day: string, version: number): DaySets {
  const lists = new Map<string, number[]>();
  for (const row of prepared(db).dayRows.all(day)) {
    let list = lists.get(row.channel);
    if (!list) {
      list = [];
      lists.set(row.channel, list);
    }
    list.push(row.no);
  }
  const sets: DaySets = new Map();
  for (const [channel, list] of lists) sets.set(channel, Uint32Array.from(list).sort());
  try {
    writeTransaction(db, () => {
      prepared(db).dropDay.run(day);
      for (const [channel, numbers] of sets) prepared(db).saveSet.run(day, channel, version, toBlob(numbers));
    });
  } catch {
    // A reader that cannot write still answers; the sets are made again next time.
  }
  return sets;
}

/** Monday of the day's ISO week (as SQLite's date(day, '-6 days', 'weekday 1')). */
function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

function bucketOf(grain: PeopleGrain, day: string, channel: string): string {
  switch (grain) {
    case "none":
      return "";
    case "day":
      return day;
    case "week":
      return mondayOf(day);
    case "month":
      return `${day.slice(0, 7)}-01`;
    case "channel":
      return channel;
  }
}

/** A set of person numbers that only grows, counting as it goes. */
class Union {
  private bits = new Uint32Array(1024);
  size = 0;

  addAll(numbers: Uint32Array): void {
    const last = numbers[numbers.length - 1];
    if (last !== undefined && last >>> 5 >= this.bits.length) {
      const grown = new Uint32Array(Math.max((last >>> 5) + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bits = this.bits;
    let size = this.size;
    for (let i = 0; i < numbers.length; i++) {
      const n = numbers[i]!;
      const word = n >>> 5;
      const mask = 1 << (n & 31);
      if ((bits[word]! & mask) === 0) {
        bits[word] = bits[word]! | mask;
        size++;
      }
    }
    this.size = size;
  }
}

/**
 * Makes the sets of every day in the range whose sets are missing or behind
 * (an hourly job does this, so the first year-long question after an upgrade
 * or a burst of late events does not pay for it). Returns the days made.
 */
export async function prepareDaySets(db: Db, from: string, to: string): Promise<number> {
  const q = prepared(db);
  const stored = new Map<string, number>();
  for (const row of q.storedVersions.all(from, to)) stored.set(row.day, row.version);
  let made = 0;
  for (const { day, version } of q.versions.all(from, to)) {
    if (stored.get(day) === version) continue;
    buildDay(db, day, version);
    made++;
  }
  return made;
}

/** Exact distinct people per group (a day, week, month, channel, or everything) over whole days. */
export function distinctPeople(db: Db, query: PeopleQuery): Map<string, number> {
  const q = prepared(db);
  const days = new Map<string, DaySets>();
  const storedVersion = new Map<string, number>();
  for (const row of q.stored.all(query.from, query.to)) {
    let sets = days.get(row.day);
    if (!sets) {
      sets = new Map();
      days.set(row.day, sets);
    }
    sets.set(row.channel, fromBlob(row.people));
    const seen = storedVersion.get(row.day);
    storedVersion.set(row.day, seen === undefined ? row.version : Math.min(seen, row.version));
  }
  for (const { day, version } of q.versions.all(query.from, query.to)) {
    if (storedVersion.get(day) !== version) days.set(day, buildDay(db, day, version));
  }
  const out = new Map<string, number>();
  if (query.grain === "day") {
    for (const [day, sets] of days) {
      let count = 0;
      for (const [channel, numbers] of sets)
        if (!query.channel || channel === query.channel) count += numbers.length;
      if (count > 0) out.set(day, count);
    }
    return out;
  }
  const unions = new Map<string, Union>();
  for (const [day, sets] of days) {
    for (const [channel, numbers] of sets) {
      if (query.channel && channel !== query.channel) continue;
      const key = bucketOf(query.grain, day, channel);
      let union = unions.get(key);
      if (!union) {
        union = new Union();
        unions.set(key, union);
      }
      union.addAll(numbers);
    }
  }
  for (const [key, union] of unions) out.set(key, union.size);
  return out;
}
