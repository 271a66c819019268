import cron, { type ScheduledTask } from "node-cron";
import { claimJobRun, finishJobRun } from "../db/queries/schedules.ts";
import type { Job, JobDeps, JobRegistry } from "./registry.ts";

/** Runs are keyed by the minute they were scheduled for. */
const MINUTE = 60_000;

/**
 * Runs one scheduled run of a job, exactly once across every Lift process on
 * the database: the first to insert (job, scheduled minute) into job_runs runs
 * it, the others skip. Start, end, status and error are recorded on that row.
 */
export async function runJobOnce(
  job: Job,
  deps: JobDeps,
  scheduledFor: number,
  now: () => number,
): Promise<"ran" | "skipped" | "failed"> {
  const slot = Math.floor(scheduledFor / MINUTE) * MINUTE;
  const db = deps.core.db;
  const id = await claimJobRun(db, job.name, slot, now());
  if (id === null) return "skipped";
  try {
    await job.run(deps, slot);
    await finishJobRun(db, id, "ok", now());
    return "ran";
  } catch (error) {
    deps.logger.error({ err: error, job: job.name }, "a job failed");
    await finishJobRun(db, id, "failed", now(), error instanceof Error ? error.message : String(error));
    return "failed";
  }
}

/** node-cron decides when; jobs are plain functions; the database decides who. */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];

  constructor(
    private readonly registry: JobRegistry,
    private readonly deps: JobDeps,
    private readonly now: () => number = Date.now,
  ) {}

  /** Schedules every job, and runs each once now: a run missed while Lift was down is caught up (within the grace window). */
  async start(): Promise<void> {
    for (const job of this.registry.list()) {
      const task = cron.schedule(
        job.cron,
        async (context) => {
          await runJobOnce(job, this.deps, context.date.getTime(), this.now);
        },
        { name: job.name, noOverlap: true, timezone: job.timeZone ?? "UTC" },
      );
      this.tasks.push(task);
    }
    for (const job of this.registry.list()) await runJobOnce(job, this.deps, this.now(), this.now);
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks.length = 0;
  }
}
