import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client.ts";
import { type EventWrite, writeEvents } from "../../db/queries/events.ts";
import { GroupCommit } from "./group-commit.ts";

/**
 * The writer thread: its own connection to the database, writing event rows
 * that the main thread validated. Everything queued while a transaction runs
 * is committed together in the next one (group commit).
 */
const { path } = workerData as { path: string };
const db = openDatabase(path, { migrate: false });
const commits = new GroupCommit<EventWrite>(async (rows) => {
  const written = await writeEvents(db, rows, { receivedAt: Date.now() });
  return { counts: written.counts, outcomes: written.outcomes };
});

parentPort!.on("message", (message: { id: number; rows: EventWrite[] } | { close: true }) => {
  if ("close" in message) {
    db.close();
    parentPort!.close();
    return;
  }
  commits.submit(message.rows).then(
    (written) => parentPort!.postMessage({ id: message.id, written }),
    (error: unknown) =>
      parentPort!.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
