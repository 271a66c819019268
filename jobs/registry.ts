import type { Core } from "../analytics/core.ts";
import type { Logger } from "../analytics/log.ts";
import type { Notifier } from "../analytics/schedules/index.ts";

/** What every job gets: the core, the Notifier that main.ts wires in (Slack or console), a logger. */
export interface JobDeps {
  core: Core;
  notifier: Notifier;
  logger: Logger;
}

/**
 * A job is a plain function of its dependencies and the time it runs for;
 * node-cron only decides when. Tests call `run` with a fake clock.
 */
export interface Job {
  name: string;
  /** node-cron expression (with seconds optional), e.g. "* * * * *" for every minute. */
  cron: string;
  /** The zone the expression is read in; UTC when not given. */
  timeZone?: string;
  run(deps: JobDeps, now: number): Promise<void>;
}

/** Capabilities register their jobs here, one call each. */
export class JobRegistry {
  private readonly jobs: Job[] = [];

  register(job: Job): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`job “${job.name}” is registered twice`);
    this.jobs.push(job);
  }

  list(): readonly Job[] {
    return this.jobs;
  }
}
