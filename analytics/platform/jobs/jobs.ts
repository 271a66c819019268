import type { Notifier } from "../delivery/notifier.ts";
import type { Logger } from "../log.ts";
import type { Platform } from "../platform.ts";

/** What every job gets: the platform, the Notifier main.ts wires in (Slack or console), a logger. */
export interface JobContext {
  platform: Platform;
  notifier: Notifier;
  logger: Logger;
  /** Aborted when the run passes its time cap (the watchdog): a job stops what it can. */
  signal: AbortSignal;
}

/**
 * A job is a plain function of its context and the time it runs for; node-cron
 * only decides when. Tests call `run` with a fake clock.
 */
export interface Job {
  name: string;
  /** node-cron expression, e.g. "* * * * *" for every minute. */
  cron: string;
  /** The zone the expression is read in; UTC when not given. */
  timeZone?: string;
  /**
   * The most one run may take (default JOB_TIMEOUT_MS). Past it the run is recorded as failed
   * and its schedule is free again, whatever the job is still waiting for.
   */
  timeoutMs?: number;
  run(context: JobContext, now: number): Promise<void>;
}

/** The jobs capabilities contribute, one each. */
export class JobRegistry {
  private readonly jobs: Job[] = [];

  register(job: Job): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`job “${job.name}” is registered twice`);
    this.jobs.push(job);
  }

  list(): readonly Job[] {
    return this.jobs;
  }

  get(name: string): Job | undefined {
    return this.jobs.find((j) => j.name === name);
  }
}
