import { Worker } from "node:worker_threads";
import { renderChart } from "../charts/index.ts";
import type { ChartSpec } from "../charts/spec.ts";
import type { Core, CoreSettings } from "../core.ts";
import { AppError, type ErrorCode, isAppError } from "../errors.ts";
import type { Report } from "../reports/report.ts";
import type { CommandRegistry } from "./registry.ts";

/**
 * Runs commands and renders their charts for a transport. In a server the work
 * happens on a thread of its own (`AnswerThread`): better-sqlite3 and the chart
 * renderer are synchronous, and a 60 ms "channels this month" on the main thread
 * would hold up every Slack ack behind it.
 */
export interface CommandRunner {
  run(text: string, userId: string): Promise<Report>;
  chart(spec: ChartSpec): Promise<Buffer>;
  close(): Promise<void>;
}

/** Runs on the calling thread (the CLI, tests). */
export function inProcessRunner(registry: CommandRegistry, core: Core): CommandRunner {
  return {
    run: (text, userId) => registry.run(text, { core, userId }),
    chart: async (spec) => renderChart(spec),
    close: async () => {},
  };
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
}

export function serializeError(error: unknown): SerializedError {
  if (isAppError(error)) return { code: error.code, message: error.message, hint: error.hint };
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}

type Job = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** A worker thread with its own database connection and the same command registry. */
export class AnswerThread implements CommandRunner {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Job>();
  private next = 0;
  private failed: Error | null = null;

  constructor(
    databasePath: string,
    settings: CoreSettings,
    private readonly now: () => number,
  ) {
    this.worker = new Worker(new URL("./answer-worker.mjs", import.meta.url), {
      workerData: { path: databasePath, settings },
    });
    this.worker.on(
      "message",
      (message: { id: number; report?: Report; png?: Uint8Array; error?: SerializedError }) => {
        const job = this.waiting.get(message.id);
        if (!job) return;
        this.waiting.delete(message.id);
        if (this.waiting.size === 0) this.worker.unref();
        if (message.error) {
          const { code, message: text, hint } = message.error;
          job.reject(new AppError(code, text, hint ? { hint } : {}));
        } else job.resolve(message.report ?? Buffer.from(message.png!));
      },
    );
    const fail = (error: Error) => {
      this.failed = error;
      for (const job of this.waiting.values())
        job.reject(new AppError("internal", "The answer thread stopped", { cause: error }));
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => {
      if (code !== 0) fail(new Error(`answer thread exited with code ${code}`));
    });
    this.worker.unref();
  }

  run(text: string, userId: string): Promise<Report> {
    return this.post({ kind: "run", text, userId, now: this.now() }) as Promise<Report>;
  }

  chart(spec: ChartSpec): Promise<Buffer> {
    return this.post({ kind: "chart", spec }) as Promise<Buffer>;
  }

  private post(message: Record<string, unknown>): Promise<unknown> {
    if (this.failed)
      return Promise.reject(new AppError("internal", "The answer thread stopped", { cause: this.failed }));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  async close(): Promise<void> {
    this.worker.ref();
    this.worker.postMessage({ close: true });
    await new Promise((done) => this.worker.once("exit", done));
  }
}
