import { AppError } from "./errors.ts";

/**
 * Reads a request body (a web ReadableStream) without ever holding more than
 * `limit` bytes: a body over the limit, chunked or not, is cancelled at the
 * first chunk past it and answered `null`, so an unauthenticated upload costs
 * at most `limit` bytes of memory. A body that has not arrived within
 * `timeoutMs` (a client that sends a little and stalls) is cancelled with a
 * `timeout` error.
 */
export async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  timeoutMs: number = BODY_READ_TIMEOUT_MS,
): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
    timer.unref?.();
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), late]);
      if (next === "late") {
        await reader.cancel().catch(() => {});
        throw new AppError(
          "timeout",
          `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s`,
          {
            hint: "send the whole body at once",
          },
        );
      }
      const { done, value } = next;
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * How long a body may take to arrive: well below Node's 300 s request timeout,
 * so a client that sends a little and stalls holds nothing for long.
 */
export const BODY_READ_TIMEOUT_MS = 10_000;

/**
 * Bodies read before the sender is known (Slack's body comes before its
 * signature can be checked; a Segment client may carry its write key in the
 * body) are read a few at a time: memory before authentication is at most
 * `slots` × the route's body limit. A request past the slots is answered 503
 * with Retry-After at once, its body never read.
 */
export class BodyGate {
  #inFlight = 0;

  constructor(readonly slots: number) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  async read(
    body: ReadableStream<Uint8Array> | null,
    limit: number,
    timeoutMs?: number,
  ): Promise<Buffer | null> {
    if (this.#inFlight >= this.slots) {
      await body?.cancel().catch(() => {});
      throw new AppError("busy", "Too many requests are sending their bodies at once", {
        hint: "retry in a few seconds",
      });
    }
    this.#inFlight++;
    try {
      return await readAtMost(body, limit, timeoutMs);
    } finally {
      this.#inFlight--;
    }
  }
}

/**
 * The gate every unauthenticated body goes through, in this process: 32 × Slack's 1 MB
 * or Segment's 500 KB is at most 32 MB held before anyone is known.
 */
export const UNAUTHENTICATED_BODIES = new BodyGate(32);
