import { Hono } from "hono";
import { AppError } from "../../analytics/platform/base/errors.ts";
import type { Core } from "../../analytics/platform/core.ts";
import { type IngestResult, MAX_DEPTH, tooMuch } from "../../analytics/platform/ingest/index.ts";
import { authenticate } from "../http/auth.ts";
import { MAX_EVENT_BYTES, readJsonBody } from "../http/body.ts";
import { errorResponse } from "../http/errors.ts";

type Body = Record<string, unknown>;

function isObject(value: unknown): value is Body {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Authenticates from the header before reading the body; falls back to the body's writeKey. */
async function readAuthenticated(core: Core, request: Request): Promise<{ body: Body; key: number }> {
  const header = request.headers.get("authorization") ?? undefined;
  const fromHeader = header ? await authenticate(core.keys, header, undefined) : null;
  const body = await readJsonBody(request, { authenticated: header !== undefined });
  if (!isObject(body)) throw new AppError("invalid_input", "The body must be a JSON object");
  const key = fromHeader ?? (await authenticate(core.keys, undefined, body["writeKey"]));
  return { body, key };
}

function answer(result: IngestResult, total: number) {
  return {
    success: result.rejected.length < total,
    accepted: result.accepted,
    duplicates: result.duplicates,
    rejected: result.rejected,
  };
}

/**
 * Segment-compatible tracking API: /v1/track, /v1/identify, /v1/page and
 * /v1/batch. Valid events are written and answered 200 with the rejected ones
 * listed; 400 only when nothing in the request is valid.
 */
// Long on purpose: the Segment-compatible route table (batch, track, identify, page), each route short.
export function trackingRoutes(core: Core) {
  const app = new Hono();

  const ingest = async (events: unknown[], sentAt: unknown, batchContext: unknown) => {
    const receivedAt = core.now();
    const tooBig: { index: number; reason: string }[] = [];
    const kept: unknown[] = [];
    const positions: number[] = [];
    events.forEach((event, index) => {
      const excess = tooMuch(event, MAX_DEPTH + 1, MAX_EVENT_BYTES);
      if (excess === "deep") {
        tooBig.push({ index, reason: `is nested more than ${MAX_DEPTH} levels deep` });
        return;
      }
      if (excess === "large") {
        tooBig.push({
          index,
          reason: `is larger than ${MAX_EVENT_BYTES / 1024} KB (Segment's limit per event)`,
        });
        return;
      }
      let prepared = event;
      if (isObject(event)) {
        prepared = { ...event };
        const p = prepared as Body;
        if (p["sentAt"] === undefined && sentAt !== undefined) p["sentAt"] = sentAt;
        if (isObject(batchContext))
          p["context"] = { ...batchContext, ...(isObject(p["context"]) ? p["context"] : {}) };
      }
      kept.push(prepared);
      positions.push(index);
    });
    const result = await core.ingestEvents(kept, { receivedAt });
    result.rejected = [
      ...tooBig,
      ...result.rejected.map((rejection) => ({
        index: positions[rejection.index]!,
        reason: rejection.reason,
      })),
    ].sort((a, b) => a.index - b.index);
    return result;
  };

  app.post("/batch", async (c) => {
    try {
      const { body, key } = await readAuthenticated(core, c.req.raw);
      const batch = body["batch"];
      if (!Array.isArray(batch))
        throw new AppError("invalid_input", "The body needs a `batch` array of events");
      if (batch.length === 0) return c.json({ success: true, accepted: 0, duplicates: 0, rejected: [] });
      const result = await ingest(batch, body["sentAt"], body["context"]);
      if (result.accepted + result.duplicates === 0) {
        return c.json(
          {
            error: { code: "invalid_input", message: `None of the ${batch.length} events is valid` },
            rejected: result.rejected,
          },
          400,
        );
      }
      await core.keys.used(key);
      return c.json(answer(result, batch.length));
    } catch (error) {
      return errorResponse(c, error, core.logger);
    }
  });

  for (const type of ["track", "identify", "page"] as const) {
    app.post(`/${type}`, async (c) => {
      try {
        const { body, key } = await readAuthenticated(core, c.req.raw);
        const excess = tooMuch(body, MAX_DEPTH + 1, MAX_EVENT_BYTES);
        if (excess === "deep")
          throw new AppError("invalid_input", `The event is nested more than ${MAX_DEPTH} levels deep`);
        if (excess === "large") {
          throw new AppError("payload_too_large", `An event is limited to ${MAX_EVENT_BYTES / 1024} KB`);
        }
        const { writeKey: _key, ...event } = body;
        const result = await ingest([{ ...event, type }], undefined, undefined);
        const rejection = result.rejected[0];
        if (rejection) {
          return c.json(
            { error: { code: "invalid_input", message: rejection.reason }, rejected: result.rejected },
            400,
          );
        }
        await core.keys.used(key);
        return c.json(answer(result, 1));
      } catch (error) {
        return errorResponse(c, error, core.logger);
      }
    });
  }

  return app;
}
