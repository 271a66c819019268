import type { Db } from "../../../db/client.ts";
import { claimJobRun, finishJobRun, unfinishedJobRuns } from "../../../db/platform/queries/schedules.ts";
import type { Logger } from "../base/log.ts";
import type { JobContext } from "../contract/capability.ts";
import type { Notifier } from "../delivery/notifier.ts";
import type { Job } from "./jobs.ts";

/** What running a job needs of the platform. */
export interface JobRunDeps {
  db: Db;
  logger: Logger;
  now(): number;
  jobContext(job: Job, notifier: Notifier, signal: AbortSignal): JobContext;
}

/** Runs are keyed by the minute they were scheduled for. */
const MINUTE = 60_000;
/** A run still "running" after this long was left by a process that died. */
export const JOB_STALE_MS = 15 * MINUTE;
/**
 * The watchdog: no run holds its schedule longer than this (node-cron's noOverlap would
 * otherwise keep every later run of the job waiting on one that never ends). Below JOB_STALE_MS,
 * so a living process always closes its own run before another takes it for dead.
 */
export const JOB_TIMEOUT_MS = 10 * MINUTE;
/** A failed run is tried this many times in all. */
export const JOB_MAX_ATTEMPTS = 3;
/** How far back the sweep looks for runs to retry. */
const RETRY_WINDOW_MS = 24 * 3600_000;

const POLICY = { staleMs: JOB_STALE_MS, maxAttempts: JOB_MAX_ATTEMPTS };

/**
 * Runs one scheduled run of a job, exactly once across every Lift process on
 * the database: the first to record (job, scheduled minute) in job_runs runs
 * it, the others skip. Start, end, status, tries and error are kept on that row.
 */
export async function runJobOnce(
  platform: JobRunDeps,
  job: Job,
  notifier: Notifier,
  scheduledFor: number,
): Promise<"ran" | "skipped" | "failed"> {
  const slot = Math.floor(scheduledFor / MINUTE) * MINUTE;
  const id = await claimJobRun(platform.db, job.name, slot, platform.now(), POLICY);
  if (id === null) return "skipped";
  const limit = job.timeoutMs ?? JOB_TIMEOUT_MS;
  const watchdog = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(
        `did not finish within ${Math.round(limit / 1000)} s (stopped by the watchdog)`,
      );
      watchdog.abort(error);
      reject(error);
    }, limit);
    timer.unref?.();
  });
  try {
    await Promise.race([job.run(platform.jobContext(job, notifier, watchdog.signal), slot), overdue]);
    await finishJobRun(platform.db, id, "ok", platform.now());
    platform.logger.debug({ job: job.name, slot: new Date(slot).toISOString() }, "job ran");
    return "ran";
  } catch (error) {
    platform.logger.error({ err: error, job: job.name }, "a job failed; the next tick retries it");
    await finishJobRun(
      platform.db,
      id,
      "failed",
      platform.now(),
      error instanceof Error ? error.message : String(error),
    );
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

/** Runs that crashed, or were left "running" by a dead process, in the last day: run them again. */
export async function retryJobRuns(
  platform: JobRunDeps,
  jobs: readonly Job[],
  notifier: Notifier,
): Promise<number> {
  let retried = 0;
  const now = platform.now();
  for (const job of jobs) {
    for (const run of await unfinishedJobRuns(platform.db, job.name, now - RETRY_WINDOW_MS, now, POLICY)) {
      if ((await runJobOnce(platform, job, notifier, run.scheduledFor)) !== "skipped") retried++;
    }
  }
  return retried;
}
