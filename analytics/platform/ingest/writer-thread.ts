import type { EventWrite } from "../../../db/platform/queries/events.ts";
import type { WriteOptions } from "../../../db/platform/queries/imports.ts";
import { ThreadClient } from "../workers/index.ts";
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
  private readonly thread: ThreadClient;

  /** `script`: the worker, beside the capability list (its observers run in the worker). */
  /** `keys`: the keys from the environment (LIFT_DATA_KEY, LIFT_HASH_KEY); else the worker reads those beside the file. */
  constructor(script: URL, databasePath: string, keys?: ThreadKeys) {
    this.thread = new ThreadClient(
      script,
      { path: databasePath, keys },
      "event writer",
      "Writing events failed",
    );
  }

  submit(rows: EventWrite[]): Promise<Written> {
    return this.thread.request({ rows });
  }

  write(rows: EventWrite[], options: WriteOptions): Promise<Written> {
    return this.thread.request({ rows, options });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** Keys handed to a thread (a Buffer crosses as bytes). */
export interface ThreadKeys {
  data?: readonly Uint8Array[] | undefined;
  hash?: Uint8Array | undefined;
}

/** The keys a thread was handed, as the database opens with them. */
export function threadKeys(keys: ThreadKeys | undefined): { data?: Buffer[]; hash?: Buffer } {
  return {
    ...(keys?.data ? { data: keys.data.map((k) => Buffer.from(k)) } : {}),
    ...(keys?.hash ? { hash: Buffer.from(keys.hash) } : {}),
  };
}
