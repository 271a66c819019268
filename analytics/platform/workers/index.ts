import { parentPort, Worker } from "node:worker_threads";
import { AppError, type ErrorCode, errorCodes, isAppError } from "../base/errors.ts";
import { createLogger, type Logger } from "../base/log.ts";

/**
 * Where a worker's script is, beside the module that starts it: the compiled
 * .js in a build, or a small .mjs bootstrap that loads the .ts through tsx.
 */
export function workerScript(name: string, base: string): URL {
  return new URL(base.endsWith(".ts") ? `./${name}.mjs` : `./${name}.js`, base);
}

/** An error as it crosses a thread boundary (an AppError keeps its code and hint). */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
  suggestions?: string[];
  /** False for an unexpected error (a bug, a disk failure), whose message is not for people. */
  app: boolean;
  /** SQLite's or the system's code for an unexpected error (SQLITE_FULL, SQLITE_BUSY, ENOSPC), for logs and status codes. */
  systemCode?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (isAppError(error))
    return {
      code: error.code,
      message: error.message,
      hint: error.hint,
      suggestions: error.suggestions,
      app: true,
    };
  const systemCode = errorCodes(error).find((code) => /^(SQLITE_|E[A-Z]+$)/.test(code));
  return {
    code: "internal",
    message: error instanceof Error ? error.message : String(error),
    app: false,
    ...(systemCode ? { systemCode } : {}),
  };
}

/** What a worker answers to a request: its value, or the error it failed with. */
export type Reply<T> = { id: number; value: T } | { id: number; error: SerializedError };

/** An update a worker sends about a request before answering it (a streamed sentence). */
export interface Progress {
  id: number;
  progress: unknown;
}

/**
 * Requests to a worker thread, each answered once by id. An idle worker never
 * keeps the process alive; one with requests outstanding does. If the worker
 * dies, every outstanding and later request fails with `what` stopped.
 */
export class ThreadClient {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    number,
    {
      resolve: (value: unknown) => void;
      reject: (error: unknown) => void;
      progress?: ((update: unknown) => void) | undefined;
    }
  >();
  private next = 0;
  private failed: Error | null = null;

  constructor(
    script: URL,
    workerData: unknown,
    private readonly what: string,
    /** Said for an unexpected error in the worker, with the worker's message as its cause. */
    private readonly failure: string,
    /** Where the worker's log lines go (they arrive as messages: see `workerLogger`). */
    private readonly logger?: Logger,
  ) {
    this.worker = new Worker(script, {
      workerData: { ...(workerData as object), logLevel: logger?.level ?? "silent" },
    });
    this.worker.on("message", (reply: Reply<unknown> | { log: string } | Progress) => {
      if ("log" in reply) return relayLog(this.logger, reply.log);
      const job = this.waiting.get(reply.id);
      if (!job) return;
      if ("progress" in reply) {
        job.progress?.(reply.progress);
        return;
      }
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ("error" in reply) {
        const { code, message, hint, suggestions, app, systemCode } = reply.error;
        job.reject(
          app
            ? new AppError(code, message, {
                ...(hint ? { hint } : {}),
                ...(suggestions ? { suggestions } : {}),
              })
            : new AppError("internal", this.failure, {
                cause: Object.assign(new Error(message), systemCode ? { code: systemCode } : {}),
              }),
        );
      } else job.resolve(reply.value);
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const job of this.waiting.values()) job.reject(this.stopped());
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => {
      if (code !== 0) fail(new Error(`${what} exited with code ${code}`));
    });
    this.worker.unref();
  }

  private stopped(): AppError {
    return new AppError("internal", `The ${this.what} stopped`, { cause: this.failed });
  }

  /** Sends a request; `progress` hears the updates the worker sends before its answer. */
  request<T>(message: Record<string, unknown>, progress?: (update: unknown) => void): Promise<T> {
    if (this.failed) return Promise.reject(this.stopped());
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject, progress });
      this.worker.postMessage({ id, ...message });
    });
  }

  async close(): Promise<void> {
    // Unref'd so an idle worker never keeps the process alive; while closing it must.
    this.worker.ref();
    this.worker.postMessage({ close: true });
    await new Promise((done) => this.worker.once("exit", done));
  }
}

/** In a worker: answers a request with what `work` returns or throws. */
export function answer<T>(post: (reply: Reply<T>) => void, id: number, work: Promise<T>): void {
  work.then(
    (value) => post({ id, value }),
    (error: unknown) => post({ id, error: serializeError(error) }),
  );
}

const LEVEL_NAMES: Record<number, "trace" | "debug" | "info" | "warn" | "error" | "fatal"> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** A worker's log line (JSON, already redacted there) through the main thread's logger. */
function relayLog(logger: Logger | undefined, line: string): void {
  if (!logger) return;
  try {
    const {
      level,
      msg,
      time: _time,
      pid: _pid,
      hostname: _hostname,
      ...fields
    } = JSON.parse(line) as Record<string, unknown>;
    logger[LEVEL_NAMES[Number(level)] ?? "info"](fields, String(msg ?? ""));
  } catch {
    // Not a log line: nothing to relay.
  }
}

/**
 * In a worker: a logger at the main thread's level whose lines go to the main thread as messages
 * (a worker's own stdout would interleave lines and bypass the main logger's format).
 */
export function workerLogger(level: string): Logger {
  return createLogger(level, { write: (line: string) => parentPort?.postMessage({ log: line }) });
}
