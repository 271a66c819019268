import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client.ts";
import { type EventWrite, writeEvents } from "../../db/platform/queries/events.ts";
import type { WriteOptions } from "../../db/platform/queries/imports.ts";
import { GroupCommit, type Written } from "../platform/ingest/group-commit.ts";
import { type ThreadKeys, threadKeys } from "../platform/ingest/writer-thread.ts";
import { eventObservers } from "../platform/registries.ts";
import { answer } from "../platform/workers/index.ts";
import { CAPABILITIES } from "./index.ts";

/**
 * The writer thread: its own connection to the database, writing event rows
 * that the main thread validated, with what the capabilities' event observers
 * keep of them (exposures) in the same transaction. Everything queued while a
 * transaction runs is committed together in the next one (group commit).
 */
const { path, keys } = workerData as { path: string; keys?: ThreadKeys };
const db = openDatabase(path, { migrate: false, keys: threadKeys(keys) });
const steps = eventObservers(CAPABILITIES).map((o) => o.step);
const commits = new GroupCommit<EventWrite>(async (rows) => {
  const written = await writeEvents(db, rows, { receivedAt: Date.now() }, steps);
  return { counts: written.counts, outcomes: written.outcomes };
});

type Message = { id: number; rows: EventWrite[]; options?: WriteOptions } | { close: true };

parentPort!.on("message", (message: Message) => {
  if ("close" in message) {
    db.close();
    parentPort!.close();
    return;
  }
  // A batch with options (a file import's, with its checkpoint) is written alone and in
  // arrival order; batches without are grouped with whatever else is queued.
  const written = message.options
    ? writeEvents(db, message.rows, message.options, steps).then((w) => ({
        counts: w.counts,
        outcomes: w.outcomes,
      }))
    : commits.submit(message.rows);
  answer<Written>((reply) => parentPort!.postMessage(reply), message.id, written);
});
