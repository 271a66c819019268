import type { CliIo } from "../../analytics/platform/contract/cli.ts";

export type { CliIo };

let pipeGuarded = false;

/** `lift … | head`: the reader went away, so the output is done; not a crash with a stack trace. */
function guardPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

export const processIo: CliIo = {
  out: (text) => {
    guardPipe();
    process.stdout.write(text);
  },
  drain: () =>
    process.stdout.writableNeedDrain
      ? new Promise((resolve) => process.stdout.once("drain", () => resolve()))
      : Promise.resolve(),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
  onInterrupt(handler) {
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  },
  async confirm(question) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
    const { createInterface } = await import("node:readline/promises");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
      rl.close();
    }
  },
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

export function bufferIo(
  stdin = "",
  /** What a person at a terminal answers to a confirmation; undefined: no terminal. */
  answer?: boolean,
): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: false,
    confirm: async (question: string) => {
      io.stderr += `${question} `;
      return answer ?? null;
    },
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    onInterrupt: () => () => {},
    readStdin: async () => stdin,
  };
  return io;
}
