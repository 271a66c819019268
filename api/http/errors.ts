import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, DISK_FULL, isAppError, isDiskFull } from "../../analytics/platform/base/errors.ts";
import type { Logger } from "../../analytics/platform/base/log.ts";

const STATUS: Record<AppError["code"], ContentfulStatusCode> = {
  invalid_input: 400,
  invalid_config: 500,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported: 400,
  conflict: 409,
  no_data: 404,
  busy: 503,
  timeout: 408,
  internal: 500,
};

/** Every error leaves as JSON `{error: {code, message, hint?}}` with the matching status. */
export function errorResponse(
  c: Context,
  error: unknown,
  logger: Logger,
  extra: Record<string, unknown> = {},
) {
  if (isAppError(error) && !isDiskFull(error)) {
    if (STATUS[error.code] >= 500) logger.error({ err: error, path: c.req.path }, "request failed");
    return c.json(
      {
        error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
        ...extra,
      },
      STATUS[error.code],
      error.code === "busy" ? { "retry-after": "5" } : undefined,
    );
  }
  return unexpectedError(c, error, logger);
}

/**
 * An error nothing expected, through the logger (redacted), never raw to
 * stderr: a full disk is a 503 "disk full" (the client retries later and
 * nothing was half-written), anything else a 500.
 */
export function unexpectedError(c: Context, error: unknown, logger: Logger) {
  if (isDiskFull(error)) {
    logger.error({ err: error, path: c.req.path }, "disk full: a write was refused");
    return c.json({ error: DISK_FULL }, 503, { "retry-after": "60" });
  }
  logger.error({ err: error, path: c.req.path }, "request failed");
  return c.json(
    { error: { code: "internal", message: "Something went wrong on our side; it has been logged." } },
    500,
  );
}

export { AppError };
