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
  | "payload_too_large"
  | "unsupported"
  | "conflict"
  | "no_data"
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
