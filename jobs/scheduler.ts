import cron, { type ScheduledTask } from "node-cron";
import type { Core } from "../analytics/platform/core.ts";
import type { Notifier } from "../analytics/platform/delivery/notifier.ts";

/**
 * node-cron decides when; jobs are plain functions the capabilities contribute;
 * the database decides who (each run is claimed through the core, so several
 * Lift processes on one database run it once). Every minute a sweep runs
 * again what crashed or was left running by a process that died.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];

  constructor(
    private readonly core: Core,
    private readonly notifier: Notifier,
  ) {}

  /** Schedules every job, and runs each once now: a run missed while Lift was down is caught up (within the grace window). */
  async start(): Promise<void> {
    for (const job of this.core.jobs()) {
      this.tasks.push(
        cron.schedule(
          job.cron,
          // The core's clock, not node-cron's date: the same instant in production, and in tests a
          // real minute passing while a fake clock runs cannot run a job in the real present.
          async () => {
            await this.core.runJob(job.name, this.core.now(), this.notifier);
          },
          { name: job.name, noOverlap: true, timezone: job.timeZone ?? "UTC" },
        ),
      );
    }
    this.tasks.push(
      cron.schedule(
        "30 * * * * *",
        async () => {
          await this.core.retryJobs(this.notifier);
        },
        { name: "retry unfinished job runs", noOverlap: true, timezone: "UTC" },
      ),
    );
    for (const job of this.core.jobs()) await this.core.runJob(job.name, this.core.now(), this.notifier);
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks.length = 0;
  }
}
