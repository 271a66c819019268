/**
 * The one error type of Lift. Edges translate it: HTTP status + JSON body,
 * an ephemeral Slack message, a CLI exit code. `message` is for a marketer,
 * `hint` says how to fix it, `cause` keeps the original error for logs.
 */
export type ErrorCode =
  | "invalid_input"
  | "invalid_config"
  | "not_found"
  | "unauthorized"
  /** Known, but their role does not allow it. */
  | "forbidden"
  | "payload_too_large"
  | "unsupported"
  | "conflict"
  | "no_data"
  /** Too much at once (bodies read before authentication): retry shortly. */
  | "busy"
  /** A client too slow to send its request. */
  | "timeout"
  | "internal";

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /**
   * Commands that would work instead (the closest readings of a question):
   * offered as buttons in Slack and links in the console. Never a command that changes state.
   */
  readonly suggestions: string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; suggestions?: string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.hint = options.hint;
    this.suggestions = options.suggestions ?? [];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Readable one-liner: message, then the hint when there is one. */
export function describeError(error: unknown): string {
  if (isAppError(error)) return error.hint ? `${error.message} (${error.hint})` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The error's own code or that of a cause (SQLite's SQLITE_FULL, the system's ENOSPC). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
  }
  return codes;
}

/** A write failed because the disk (or the database's file system) is full. */
export function isDiskFull(error: unknown): boolean {
  return errorCodes(error).some((code) => code === "SQLITE_FULL" || code === "ENOSPC");
}

/** What a client is told when the disk is full: a 503, so it retries later with nothing lost. */
export const DISK_FULL = {
  code: "disk_full",
  message: "Lift cannot write: the disk is full. Nothing was stored; send it again once space is freed.",
} as const;
