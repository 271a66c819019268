import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client.ts";
import { renderChart } from "../platform/charts/index.ts";
import type { ChartSpec } from "../platform/charts/spec.ts";
import type { Asker } from "../platform/contract/api.ts";
import { type ThreadKeys, threadKeys } from "../platform/ingest/writer-thread.ts";
import { type CoreSettings, Platform } from "../platform/platform.ts";
import { answer, workerLogger } from "../platform/workers/index.ts";
import { CAPABILITIES } from "./index.ts";

/**
 * The answer thread: its own connection, and the platform set up once with the
 * same capability list as the main thread, running commands and rendering
 * charts off the main thread. Each command runs at the instant the main thread
 * asked (`now`), so fake clocks in tests and the reporting day agree across
 * threads. Like main.ts, it composes the platform and the capabilities.
 */
const { path, settings, logLevel, keys } = workerData as {
  path: string;
  settings: CoreSettings;
  logLevel: string;
  keys?: ThreadKeys;
};
const db = openDatabase(path, { migrate: false, keys: threadKeys(keys) });
const platform = new Platform({ db, logger: workerLogger(logLevel), settings, capabilities: CAPABILITIES });

type Message =
  | { id: number; kind: "run"; text: string; asker: Asker; now: number; stream: boolean }
  | { id: number; kind: "chart"; spec: ChartSpec; size?: { width: number; height: number } }
  | { close: true };

parentPort!.on("message", (message: Message) => {
  if ("close" in message) {
    db.close();
    parentPort!.close();
    return;
  }
  const post = (reply: unknown) => parentPort!.postMessage(reply);
  if (message.kind === "run")
    answer(
      post,
      message.id,
      platform.clock.at(message.now, () =>
        platform.answer(message.text, {
          ...message.asker,
          ...(message.stream
            ? { onSentence: (sentence: string) => post({ id: message.id, progress: sentence }) }
            : {}),
        }),
      ),
    );
  else
    answer(
      post,
      message.id,
      Promise.resolve().then(() => renderChart(message.spec, message.size)),
    );
});
