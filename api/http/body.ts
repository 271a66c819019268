import { gunzipSync } from "node:zlib";
import { readAtMost, UNAUTHENTICATED_BODIES } from "../../analytics/platform/base/bounded.ts";
import { AppError } from "../../analytics/platform/base/errors.ts";
import { MAX_EVENT_BYTES } from "../../analytics/platform/ingest/index.ts";

/**
 * Segment's documented limits for its HTTP Tracking API: 500 KB per batch
 * request, 32 KB per call (segment.com/docs/connections/sources/catalog/libraries/server/http-api).
 */
export const MAX_REQUEST_BYTES = 500 * 1024;
export { MAX_EVENT_BYTES };

/**
 * Reads a request body without buffering more than `limit` bytes; gunzips when asked (limit applies
 * after). `authenticated` says the sender is already known (a write key in the header): otherwise
 * the body is read through the gate that bounds memory before authentication.
 */
export async function readJsonBody(
  request: Request,
  options: { limit?: number; authenticated: boolean },
): Promise<unknown> {
  const limit = options.limit ?? MAX_REQUEST_BYTES;
  const declared = Number(request.headers.get("content-length") ?? "0");
  const encoding = (request.headers.get("content-encoding") ?? "identity").toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new AppError("invalid_input", `Content-Encoding ${encoding} is not supported`, {
      hint: "send plain or gzip bodies",
    });
  }
  if (encoding === "identity" && declared > limit) throw tooLarge(limit);
  let bytes = options.authenticated
    ? await readAtMost(request.body, limit)
    : await UNAUTHENTICATED_BODIES.read(request.body, limit);
  if (bytes === null) throw tooLarge(limit);
  if (encoding === "gzip") {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(limit);
      throw new AppError("invalid_input", "The body is not valid gzip", { cause: error });
    }
  }
  if (bytes.length === 0)
    throw new AppError("invalid_input", "The request body is empty", { hint: "send a JSON object" });
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new AppError("invalid_input", `The body is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `The request is larger than ${Math.round(limit / 1024)} KB`, {
    hint: "split it into smaller batches (Segment's limit is 500 KB per batch)",
  });
}
