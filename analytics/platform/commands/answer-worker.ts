import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../../db/client.ts";
import { registries } from "../../capabilities/index.ts";
import { renderChart } from "../charts/index.ts";
import type { ChartSpec } from "../charts/spec.ts";
import { type CoreSettings, Platform } from "../platform.ts";
import { answer, workerLogger } from "../workers/index.ts";
import type { Asker } from "./runner.ts";

/**
 * The answer thread: its own connection and the same capability list as the
 * main thread, running commands and rendering charts off the main thread. Each
 * command runs at the instant the main thread asked (`now`), so fake clocks in
 * tests and the reporting day agree across threads.
 */
const { path, settings, logLevel } = workerData as { path: string; settings: CoreSettings; logLevel: string };
const db = openDatabase(path, { migrate: false });
const logger = workerLogger(logLevel);
const contributions = registries();

type Message =
  | { id: number; kind: "run"; text: string; asker: Asker; now: number }
  | { id: number; kind: "chart"; spec: ChartSpec; size?: { width: number; height: number } }
  | { close: true };

parentPort!.on("message", (message: Message) => {
  if ("close" in message) {
    db.close();
    parentPort!.close();
    return;
  }
  const post = (reply: unknown) => parentPort!.postMessage(reply);
  if (message.kind === "run") {
    const platform = new Platform({
      db,
      logger,
      settings,
      registries: contributions,
      now: () => message.now,
    });
    answer(post, message.id, platform.answer(message.text, message.asker));
  } else
    answer(
      post,
      message.id,
      Promise.resolve().then(() => renderChart(message.spec, message.size)),
    );
});
