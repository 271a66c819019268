import { formatCount } from "../../analytics/platform/base/format.ts";
import type { CliIo } from "./io.ts";

/** A one-line progress bar on stderr, redrawn at most ten times a second; nothing when not a terminal. */
export function progressBar(io: CliIo, label: string) {
  let last = 0;
  const started = performance.now();
  return {
    update(done: number, total: number, rows?: number) {
      if (!io.isTTY) return;
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const share = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const filled = Math.round(share * width);
      const rate =
        rows !== undefined
          ? ` ${formatCount(rows)} rows · ${formatCount(rows / ((now - started) / 1000 || 1))}/s`
          : "";
      io.err(
        `\r${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%${rate}   `,
      );
    },
    done() {
      if (io.isTTY) io.err("\n");
    },
  };
}
