import { parentPort, workerData } from "node:worker_threads";
import { purchaseHistoryAt } from "../../../db/predict/queries.ts";
import { epochDay, fitClv } from "./clv.ts";

/**
 * The customer models' fit thread: reads the purchase days on its own connection and fits, so the
 * nightly fit of half a million customers (seconds of arithmetic) never holds the main thread's
 * event loop, where Slack's requests are acknowledged. Posts the fit, or the error's message.
 */
const { path, lastDay } = workerData as { path: string; lastDay: string };
try {
  const history = await purchaseHistoryAt(path, lastDay);
  parentPort!.postMessage({ fit: fitClv(history, epochDay(lastDay), epochDay(lastDay)) });
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).message });
}
