import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client.ts";
import { renderChart } from "../charts/index.ts";
import type { ChartSpec } from "../charts/spec.ts";
import { Core, type CoreSettings } from "../core.ts";
import { silentLogger } from "../log.ts";
import { answer } from "../threads/index.ts";
import { createCommands } from "./builtin.ts";
import type { Asker } from "./runner.ts";

/**
 * The answer thread: its own connection and the same registry as the main
 * thread, running commands and rendering charts off the main thread. Each
 * command runs at the instant the main thread asked (`now`), so fake clocks
 * in tests and the reporting day agree across threads.
 */
const { path, settings } = workerData as { path: string; settings: CoreSettings };
const db = openDatabase(path, { migrate: false });
const commands = createCommands();
const logger = silentLogger();

type Message =
  | { id: number; kind: "run"; text: string; asker: Asker; now: number }
  | { id: number; kind: "chart"; spec: ChartSpec }
  | { close: true };

parentPort!.on("message", (message: Message) => {
  if ("close" in message) {
    db.close();
    parentPort!.close();
    return;
  }
  const post = (reply: unknown) => parentPort!.postMessage(reply);
  if (message.kind === "run") {
    const core = new Core({ db, logger, settings, now: () => message.now });
    answer(post, message.id, commands.run(message.text, { core, ...message.asker }));
  } else
    answer(
      post,
      message.id,
      Promise.resolve().then(() => renderChart(message.spec)),
    );
});
