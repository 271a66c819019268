import { type Db, freeBytes } from "../db/client.ts";
import { databaseBytes, probeWrite, quickCheck } from "../db/queries/health.ts";
import { errorCodes, isDiskFull } from "./errors.ts";

/** Below this much free space the database cannot grow: writes are about to fail. */
export const DISK_FULL_BYTES = 1024 * 1024;
/** Databases up to this size get SQLite's quick_check (well under 100 ms); larger ones the write probe only. */
export const INTEGRITY_CHECK_MAX_BYTES = 256 * 1024 * 1024;
/** A passed integrity check is trusted for this long (probes run every few seconds). */
const INTEGRITY_TTL_MS = 60_000;

export type Readiness = { ok: true } | { ok: false; reason: string; diskFull: boolean };

/**
 * Whether Lift can take data right now: free disk space, a real write
 * committed, and (on databases small enough to check quickly) SQLite's
 * integrity check. Each failure says what is wrong.
 */
export class ReadinessCheck {
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly free: (path: string) => number | null = freeBytes,
  ) {}

  check(): Readiness {
    const at = this.now();
    if (this.db.path !== ":memory:") {
      const free = this.free(this.db.path);
      if (free !== null && free < DISK_FULL_BYTES)
        return {
          ok: false,
          diskFull: true,
          reason: `disk full: ${Math.round(free / 1024)} KB free beside ${this.db.path}`,
        };
    }
    try {
      probeWrite(this.db, at);
    } catch (error) {
      if (isDiskFull(error))
        return { ok: false, diskFull: true, reason: "disk full: a test write failed (SQLITE_FULL)" };
      const code = errorCodes(error)[0] ?? "error";
      return {
        ok: false,
        diskFull: false,
        reason: `the database fails a write check (${code}: ${(error as Error).message})`,
      };
    }
    if (at - this.checkedAt > INTEGRITY_TTL_MS && databaseBytes(this.db) <= INTEGRITY_CHECK_MAX_BYTES) {
      let result: string;
      try {
        result = quickCheck(this.db);
      } catch (error) {
        result = `${errorCodes(error)[0] ?? "error"}: ${(error as Error).message}`;
      }
      if (result !== "ok")
        return { ok: false, diskFull: false, reason: `the database fails its integrity check: ${result}` };
      this.checkedAt = at;
    }
    return { ok: true };
  }
}
