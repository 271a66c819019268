import type { Report } from "../reports/report.ts";

/** Where a CLI verb writes: the real terminal, or a buffer in tests. */
export interface CliIo {
  out(text: string): void;
  /** Resolves when the output can take more (a long CSV waits for a slow reader instead of piling up in memory). */
  drain?(): Promise<void>;
  err(text: string): void;
  /** Progress bars only on a terminal. */
  isTTY: boolean;
  /** Asks the long-running commands to stop (Ctrl-C). */
  onInterrupt(handler: () => void): () => void;
  /** Reads standard input to the end (for `-` as a file). */
  readStdin?(): Promise<string>;
  /** Asks a yes/no question on a terminal; null when there is no terminal to ask on. */
  confirm?(question: string): Promise<boolean | null>;
}

/** How the CLI prints a report: text (the default), JSON or CSV, and where its chart goes. */
export interface OutputFlags {
  json: boolean;
  csv: boolean;
  chart?: string | undefined;
  /** A folder for every chart. */
  out?: string | undefined;
}

/**
 * What a CLI verb leaves to the CLI: an exit code (it printed what it had to),
 * a report to print, or a command in Lift's command language to run and print
 * (the `kpi`, `funnel` and `pacing` flags are a thin translation to one).
 */
export type CliOutcome =
  | { exitCode: number }
  | { report: Report; output: OutputFlags }
  | { command: string; output: OutputFlags };

/** The output flags every report-printing verb takes (node:util parseArgs options). */
export const OUTPUT_FLAGS = {
  json: { type: "boolean" },
  csv: { type: "boolean" },
  chart: { type: "string" },
  out: { type: "string" },
} as const;

export function outputFlags(values: {
  json?: boolean;
  csv?: boolean;
  chart?: string;
  out?: string;
}): OutputFlags {
  return {
    json: Boolean(values.json),
    csv: Boolean(values.csv),
    ...(values.chart ? { chart: values.chart } : {}),
    ...(values.out ? { out: values.out } : {}),
  };
}
