import type { RowOutcome, WriteCounts } from "../../../db/platform/queries/statements.ts";
import { countOutcome } from "../../../db/platform/queries/statements.ts";

type Outcome = RowOutcome | { error: string };
export interface Written {
  counts: WriteCounts;
  outcomes: Outcome[];
}

function countsOf(outcomes: Outcome[]): WriteCounts {
  const counts: WriteCounts = { accepted: 0, updated: 0, duplicates: 0, stale: 0 };
  for (const outcome of outcomes) if (typeof outcome === "string") countOutcome(counts, outcome);
  return counts;
}

/**
 * Group commit: rows submitted by many callers in the same turn of the event
 * loop are written in one transaction, and each caller is answered after that
 * commit with its own rows' outcomes. A commit costs far more than a row, so
 * concurrent HTTP requests share one. If the shared write fails, each caller's
 * rows are retried on their own, so one bad request cannot fail the others.
 */
export class GroupCommit<T> {
  private pending: { rows: T[]; resolve: (written: Written) => void; reject: (error: unknown) => void }[] =
    [];
  private scheduled = false;

  constructor(private readonly write: (rows: T[]) => Promise<Written>) {}

  submit(rows: T[]): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const jobs = this.pending;
    this.pending = [];
    if (jobs.length === 1) {
      const job = jobs[0]!;
      await this.write(job.rows).then(job.resolve, job.reject);
      return;
    }
    let written: Written;
    try {
      written = await this.write(jobs.flatMap((job) => job.rows));
    } catch {
      for (const job of jobs) await this.write(job.rows).then(job.resolve, job.reject);
      return;
    }
    let offset = 0;
    for (const job of jobs) {
      const outcomes = written.outcomes.slice(offset, offset + job.rows.length);
      offset += job.rows.length;
      job.resolve({ counts: countsOf(outcomes), outcomes });
    }
  }
}
