import { renderChart } from "../charts/index.ts";
import type { ChartSpec } from "../charts/spec.ts";
import type { Core, CoreSettings } from "../core.ts";
import type { Report } from "../reports/report.ts";
import { ThreadClient } from "../threads/index.ts";
import type { CommandContext, CommandRegistry } from "./registry.ts";

/** Who asks, and where: the command context without the core. */
export type Asker = Omit<CommandContext, "core">;

/**
 * Runs commands and renders their charts for a transport. In a server the work
 * happens on a thread of its own (`AnswerThread`): better-sqlite3 and the chart
 * renderer are synchronous, and a 60 ms "channels this month" on the main thread
 * would hold up every Slack ack behind it.
 */
export interface CommandRunner {
  run(text: string, asker: Asker): Promise<Report>;
  chart(spec: ChartSpec): Promise<Buffer>;
  close(): Promise<void>;
}

/** Runs on the calling thread (the CLI, tests). */
export function inProcessRunner(registry: CommandRegistry, core: Core): CommandRunner {
  return {
    run: (text, asker) => registry.run(text, { core, ...asker }),
    chart: async (spec) => renderChart(spec),
    close: async () => {},
  };
}

/** A worker thread with its own database connection and the same command registry. */
export class AnswerThread implements CommandRunner {
  private readonly thread: ThreadClient;

  constructor(
    databasePath: string,
    settings: CoreSettings,
    private readonly now: () => number,
  ) {
    this.thread = new ThreadClient(
      new URL("./answer-worker.mjs", import.meta.url),
      { path: databasePath, settings },
      "answer thread",
      "Answering failed",
    );
  }

  run(text: string, asker: Asker): Promise<Report> {
    return this.thread.request({ kind: "run", text, asker, now: this.now() });
  }

  async chart(spec: ChartSpec): Promise<Buffer> {
    return Buffer.from(await this.thread.request<Uint8Array>({ kind: "chart", spec }));
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
