import { type Db, freeBytes } from "../../db/client.ts";
import { databaseBytes, probeWrite, quickCheck } from "../../db/platform/queries/health.ts";
import { errorCodes, isDiskFull } from "./base/errors.ts";

/** Below this much free space the database cannot grow: writes are about to fail. */
export const DISK_FULL_BYTES = 1024 * 1024;
/** Databases up to this size get SQLite's quick_check (well under 100 ms); larger ones the write probe only. */
export const INTEGRITY_CHECK_MAX_BYTES = 256 * 1024 * 1024;
/** A passed integrity check is trusted for this long (probes run every few seconds). */
const INTEGRITY_TTL_MS = 60_000;
/**
 * An answer is kept this long: /readyz is unauthenticated, and a real write per call (469 a second
 * from 8 clients in the probe) is work anyone could make Lift do.
 */
export const READINESS_TTL_MS = 5_000;

/** Whether the last answer included SQLite's integrity check, or why not. */
export type IntegrityState = "checked" | "skipped: the database is over 256 MB (the write check still runs)";

export type Readiness =
  | { ok: true; integrity: IntegrityState }
  | { ok: false; reason: string; diskFull: boolean };

/**
 * Whether Lift can take data right now: free disk space, a real write
 * committed, and (on databases small enough to check quickly) SQLite's
 * integrity check. Each failure says what is wrong.
 */
export class ReadinessCheck {
  private checkedAt = Number.NEGATIVE_INFINITY;
  private last: { at: number; readiness: Readiness } | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly free: (path: string) => number | null = freeBytes,
  ) {}

  async check(): Promise<Readiness> {
    const at = this.now();
    if (this.last && at - this.last.at < READINESS_TTL_MS && at >= this.last.at) return this.last.readiness;
    const readiness = await this.measure(at);
    this.last = { at, readiness };
    return readiness;
  }

  private async measure(at: number): Promise<Readiness> {
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
      await probeWrite(this.db, at);
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
    if ((await databaseBytes(this.db)) > INTEGRITY_CHECK_MAX_BYTES)
      return { ok: true, integrity: "skipped: the database is over 256 MB (the write check still runs)" };
    if (at - this.checkedAt > INTEGRITY_TTL_MS) {
      let result: string;
      try {
        result = await quickCheck(this.db);
      } catch (error) {
        result = `${errorCodes(error)[0] ?? "error"}: ${(error as Error).message}`;
      }
      if (result !== "ok")
        return { ok: false, diskFull: false, reason: `the database fails its integrity check: ${result}` };
      this.checkedAt = at;
    }
    return { ok: true, integrity: "checked" };
  }
}
