/** Where the CLI writes: the real terminal, or a buffer in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars only on a terminal. */
  isTTY: boolean;
  /** Asks the long-running commands to stop (Ctrl-C). */
  onInterrupt(handler: () => void): () => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
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
};

export function bufferIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    onInterrupt: () => () => {},
  };
  return io;
}
