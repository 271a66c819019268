import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../analytics/platform/base/log.ts";
import { fuzzOptions, fuzzTimeout } from "./budget.ts";
import {
  changedTables,
  type FuzzLift,
  fingerprint,
  slackSettled,
  startFuzzLift,
  totalChanges,
} from "./lift-app.ts";
import { type FuzzRequest, requestArb } from "./requests.ts";

/*
 * Every HTTP route Lift serves — ingest (/v1/batch, /v1/track, /v1/ingest/:kind, /v1/mentions),
 * Slack's receiver, the console and its privacy API, unsubscribe and tracking links, the shops'
 * webhooks — sent generated requests, most of them a valid request mutated a little so they get
 * past the first check. Each must be answered (never a 500, never a thrown error), and one
 * answered 4xx must leave the database exactly as it was.
 */

const SECONDS = 30;

/**
 * Caches a read may fill whatever its answer: day_people holds each day's people as built from
 * daily_people "when first asked for" (db/platform/schema/rollups.ts), the same for every question;
 * predict_fits keeps customer-model fits, which a worker thread started by an earlier question
 * stores when it finishes (db/predict/schema.ts), whatever request is being answered then.
 */
const CACHES = new Set(["day_people", "predict_fits"]);

let lift: FuzzLift;
beforeAll(async () => {
  // FUZZ_DEBUG=1 shows what Lift logged at error level (the cause behind a 500).
  lift = await startFuzzLift(
    process.env["FUZZ_DEBUG"]
      ? createLogger("error", { write: (line: string) => void process.stderr.write(line) })
      : undefined,
  );
}, 120_000);
afterAll(async () => {
  await lift?.close();
});

function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? "" : ` ${request.body.slice(0, 300)}`;
  return `${request.method} ${request.path.slice(0, 200)}${body}`;
}

describe("every HTTP route, fuzzed", () => {
  it(
    "answers every request below 500, and writes nothing for one it refuses",
    async () => {
      const examples = lift.built.core.commands.list().flatMap((c) => c.examples);
      let before = fingerprint(lift.db);
      let changes = totalChanges(lift.db);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(requestArb(lift, examples), async (request) => {
          const response = await lift.app.request(request.path, {
            method: request.method,
            headers: request.headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
          });
          if (response.headers.get("content-type")?.startsWith("text/event-stream"))
            await response.body?.cancel();
          else await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          // Slack is answered before the work: wait for the work, so its writes are its own.
          if (request.path === "/slack/events" && response.status < 300) {
            await lift.idle();
            await slackSettled(lift.db);
          }
          // What the request wrote, known before anything is asserted: the next request (or the
          // shrinking of this one) starts from the database as it is now.
          let changed: string[] = [];
          const now = totalChanges(lift.db);
          if (now !== changes) {
            changes = now;
            const after = fingerprint(lift.db);
            changed = changedTables(before, after).filter((table) => !CACHES.has(table));
            before = after;
          }
          expect(response.status, describeRequest(request)).toBeLessThan(500);
          if (response.status >= 400 && changed.length > 0)
            expect.fail(
              `${describeRequest(request)} was answered ${response.status} but wrote to ${changed.join(", ")}`,
            );
        }),
        fuzzOptions(SECONDS),
      );
      if (process.env["FUZZ_SECONDS"])
        process.stdout.write(
          `http: ${JSON.stringify(Object.fromEntries([...statuses].sort()))} (status: requests)\n`,
        );
      // The requests reached past the first checks: some were taken, some refused.
      expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    },
    fuzzTimeout(SECONDS),
  );
});
