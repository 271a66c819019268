import { bufferIo, runCli } from "../../bot/cli/index.ts";
import type { TestDb } from "./db.ts";

/** Runs the `lift` CLI over a test database, as a terminal would, and keeps what it printed. */
export async function runLift(t: TestDb, argv: string[], serverUrl = "http://127.0.0.1:1") {
  const io = bufferIo();
  const code = await runCli(argv, { core: t.core, runner: t.core.runner(), io, serverUrl });
  return { code, out: io.stdout, err: io.stderr };
}
