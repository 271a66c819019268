import type { Logger } from "../base/log.ts";
import { renderChart } from "../charts/index.ts";
import type { ChartSpec } from "../charts/spec.ts";
import type { Asker } from "../contract/api.ts";
import type { ThreadKeys } from "../ingest/writer-thread.ts";
import type { Report } from "../reports/report.ts";
import { ThreadClient } from "../workers/index.ts";

export type { Asker };

/**
 * Runs commands and renders their charts for a transport. In a server the work
 * happens on a thread of its own (`AnswerThread`): better-sqlite3 and the chart
 * renderer are synchronous, and a 60 ms "channels this month" on the main thread
 * would hold up every Slack ack behind it. Every answer is stored (with an id)
 * before it is returned.
 */
export interface CommandRunner {
  run(text: string, asker: Asker): Promise<Report>;
  /** The chart as PNG, 960×480 unless a size is asked for (the console's narrow screens). */
  chart(spec: ChartSpec, size?: ChartSize): Promise<Buffer>;
  close(): Promise<void>;
}

export interface ChartSize {
  width: number;
  height: number;
}

/** Runs on the calling thread (the CLI, tests). */
export function inProcessRunner(platform: {
  answer(text: string, asker: Asker): Promise<Report>;
}): CommandRunner {
  return {
    run: (text, asker) => platform.answer(text, asker),
    chart: async (spec, size) => renderChart(spec, size),
    close: async () => {},
  };
}

/** A worker thread with its own database connection and the same capability list. */
export class AnswerThread implements CommandRunner {
  private readonly thread: ThreadClient;

  constructor(
    /** The worker's script: it builds the platform with the capability list (analytics/capabilities/). */
    script: URL,
    databasePath: string,
    settings: unknown,
    private readonly now: () => number,
    logger?: Logger,
    keys?: ThreadKeys,
  ) {
    this.thread = new ThreadClient(
      script,
      { path: databasePath, settings, keys },
      "answer thread",
      "Answering failed",
      logger,
    );
  }

  run(text: string, asker: Asker): Promise<Report> {
    // A function does not cross threads: the worker sends each sentence back as a progress update.
    const { onSentence, ...plain } = asker;
    return this.thread.request(
      { kind: "run", text, asker: plain, now: this.now(), stream: Boolean(onSentence) },
      onSentence ? (sentence) => onSentence(String(sentence)) : undefined,
    );
  }

  async chart(spec: ChartSpec, size?: ChartSize): Promise<Buffer> {
    return Buffer.from(await this.thread.request<Uint8Array>({ kind: "chart", spec, size }));
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
