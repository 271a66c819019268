import { Worker } from "node:worker_threads";
import type { EventWrite } from "../../db/queries/events.ts";
import type { WriteOptions } from "../../db/queries/imports.ts";
import { AppError } from "../errors.ts";
import type { Written } from "./group-commit.ts";

/** Something that writes validated event rows and answers once they are committed. */
export interface EventCommitter {
  /** Grouped with other callers' rows into one commit. */
  submit(rows: EventWrite[]): Promise<Written>;
  /** Written alone, in order, with its options (a file import's checkpoint). */
  write(rows: EventWrite[], options: WriteOptions): Promise<Written>;
  close(): Promise<void>;
}

/**
 * Event writes on a thread of their own, so the main thread keeps parsing and
 * validating requests while SQLite commits: on two cores the two overlap.
 */
export class WriterThread implements EventCommitter {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    number,
    { resolve: (w: Written) => void; reject: (e: unknown) => void }
  >();
  private next = 0;
  private failed: Error | null = null;

  constructor(databasePath: string) {
    // The worker is TypeScript: a small JS bootstrap loads it through tsx, as the main program is.
    this.worker = new Worker(new URL("./writer-worker.mjs", import.meta.url), {
      workerData: { path: databasePath },
    });
    this.worker.on("message", (message: { id: number; written?: Written; error?: string }) => {
      const job = this.waiting.get(message.id);
      if (!job) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (message.error !== undefined)
        job.reject(new AppError("internal", "Writing events failed", { cause: new Error(message.error) }));
      else job.resolve(message.written!);
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const job of this.waiting.values())
        job.reject(new AppError("internal", "The event writer stopped", { cause: error }));
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => {
      if (code !== 0) fail(new Error(`writer thread exited with code ${code}`));
    });
    this.worker.unref();
  }

  submit(rows: EventWrite[]): Promise<Written> {
    return this.post(rows, undefined);
  }

  write(rows: EventWrite[], options: WriteOptions): Promise<Written> {
    return this.post(rows, options);
  }

  private post(rows: EventWrite[], options: WriteOptions | undefined): Promise<Written> {
    if (this.failed)
      return Promise.reject(new AppError("internal", "The event writer stopped", { cause: this.failed }));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      // Outstanding writes keep the process alive; an idle writer does not.
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(options ? { id, rows, options } : { id, rows });
    });
  }

  async close(): Promise<void> {
    // Unref'd so an idle writer never keeps the process alive; while closing it must.
    this.worker.ref();
    this.worker.postMessage({ close: true });
    await new Promise((done) => this.worker.once("exit", done));
  }
}
