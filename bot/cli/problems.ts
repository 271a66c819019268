import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { describeError, isAppError } from "../../analytics/platform/base/errors.ts";

/** Below this much free space a database cannot grow: a write is about to fail, or has. */
const DISK_FULL_BYTES = 1024 * 1024;

/** Where a start-up failure happened, so its line can name the cause and the fix. */
export type StartupPhase = "database" | "listen" | "slack-token" | "slack-socket" | "slack";

export interface StartupFacts {
  databasePath?: string;
  /** Bytes free on the database's disk, when it could be told (a wrapped error can hide SQLITE_FULL). */
  freeBytes?: () => number | null;
  port?: number;
  host?: string;
  slackApiUrl?: string;
}

/** A Slack start-up failure: which step (the bot token's auth.test, or Socket Mode) and why. */
export class SlackStartError extends Error {
  constructor(
    readonly step: "token" | "socket",
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = "SlackStartError";
  }
}

/** The error and the errors it wraps (a failed migration wraps SQLite's own error as its cause). */
function chain(error: unknown): unknown[] {
  const list: unknown[] = [];
  for (let e = error; e && list.length < 5; e = (e as { cause?: unknown }).cause) list.push(e);
  return list;
}

function ownCode(error: unknown): string {
  const e = error as { code?: unknown; data?: { error?: unknown } };
  if (typeof e?.data?.error === "string") return e.data.error;
  return typeof e?.code === "string" ? e.code : "";
}

/** The most telling code along the chain: SQLite's or the system's, not a wrapper's. */
function codeOf(error: unknown): string {
  const codes = chain(error).map(ownCode).filter(Boolean);
  return codes.find((c) => c.startsWith("SQLITE_") || c.startsWith("E")) ?? codes[0] ?? "";
}

/** Whether Lift may write in `path`'s folder (and to the file, when it exists). */
function writable(path: string): { ok: boolean; code: string } {
  for (const target of [path, dirname(path)]) {
    if (target === path && !existsSync(path)) continue;
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      return { ok: false, code: (error as { code?: string }).code ?? "" };
    }
  }
  return { ok: true, code: "" };
}

const BAD_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "account_inactive",
  "token_expired",
]);
const UNREACHABLE = new Set(["ENOTFOUND", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN"]);

function slackLine(step: "token" | "socket", original: unknown, facts: StartupFacts): string {
  const code = codeOf(original);
  const cause = (original as { original?: unknown })?.original ?? (original as { cause?: unknown })?.cause;
  const transport = codeOf(cause) || code;
  const where = facts.slackApiUrl ?? "https://slack.com/api/";
  if (UNREACHABLE.has(transport) || code === "slack_webapi_request_error")
    return `cannot reach Slack at ${where} (${transport || "network error"}): check the network, or SLACK_API_URL`;
  if (step === "token") {
    if (BAD_TOKEN.has(code))
      return `Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from your app's Install App page; reinstall the app if it was revoked`;
    return `Slack did not accept SLACK_BOT_TOKEN (${code || describeError(original)}): check it and SLACK_API_URL`;
  }
  if (code === "not_allowed_token_type" || BAD_TOKEN.has(code))
    return `Slack refused Socket Mode (${code}): SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write, and Socket Mode must be on in the app's settings`;
  return `Slack refused the Socket Mode connection (${code || describeError(original)}): check SLACK_APP_TOKEN and that Socket Mode is on`;
}

/**
 * One line for a start-up failure, naming the cause and the fix: a port in
 * use, a database that cannot be opened, read or written, a full disk, a bad
 * or revoked Slack token, Socket Mode refused. (The stack goes to the log at debug level.)
 */
export function startupProblem(error: unknown, phase: StartupPhase, facts: StartupFacts = {}): string {
  if (error instanceof SlackStartError) return slackLine(error.step, error.original, facts);
  const code = codeOf(error);
  const message = chain(error)
    .map((e) => (e instanceof Error ? e.message : String(e)))
    .join(" · ");
  const db = facts.databasePath ?? "the database";
  const free = phase === "database" ? (facts.freeBytes?.() ?? null) : null;
  if (
    code === "SQLITE_FULL" ||
    code === "ENOSPC" ||
    /database or disk is full/.test(message) ||
    (free !== null && free < DISK_FULL_BYTES)
  )
    return `the disk is full: Lift cannot write to ${db}; free some space (df -h) and start again`;
  if (phase === "listen") {
    const at = `${facts.host ?? "127.0.0.1"}:${facts.port ?? "?"}`;
    if (code === "EADDRINUSE")
      return `port ${facts.port} is already in use on ${facts.host ?? "127.0.0.1"} (another Lift, or another program): set PORT to a free port, or stop the other one`;
    if (code === "EACCES") return `no permission to listen on ${at}: use a port above 1023 (PORT=3000)`;
    if (code === "EADDRNOTAVAIL")
      return `${facts.host} is not an address of this machine: set HOST to one that is, or leave it unset`;
    return `cannot listen on ${at} (${code || message})`;
  }
  if (code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY_") || code === "EROFS")
    return `the database at ${db} is read-only: give Lift write access to the file and its folder (SQLite writes a -wal file beside it), or point DATABASE_URL elsewhere`;
  if (code === "SQLITE_NOTADB" || /file is not a database/.test(message))
    return `${db} is not an SQLite database: point DATABASE_URL at a Lift database file (a new path is created)`;
  if (
    code === "SQLITE_CANTOPEN" &&
    facts.databasePath &&
    !statSync(facts.databasePath, { throwIfNoEntry: false })?.isDirectory()
  ) {
    // SQLite cannot say why: a read-only disk, or a folder it may not write in, is the usual cause.
    const check = writable(facts.databasePath);
    if (!check.ok)
      return check.code === "EROFS"
        ? `the database at ${db} is read-only (its disk is mounted read-only): give Lift write access to the file and its folder (SQLite writes a -wal file beside it), or point DATABASE_URL elsewhere`
        : `the database at ${db} is read-only: give Lift write access to the file and its folder (SQLite writes a -wal file beside it), or point DATABASE_URL elsewhere`;
  }
  if (code === "SQLITE_CANTOPEN" || code === "EISDIR" || code === "ENOTDIR")
    return `cannot open the database at ${db}: check that the path is a file (not a folder) in a folder Lift may write to, or set DATABASE_URL`;
  if (code === "EACCES" || code === "EPERM" || code === "SQLITE_PERM" || code === "SQLITE_AUTH")
    return `no permission to open ${db}: give Lift read and write access to it and its folder, or set DATABASE_URL`;
  if (code.startsWith("SQLITE_IOERR") || code === "EIO")
    return `the disk failed while reading or writing ${db} (${code}): check the disk, then start again`;
  if (code === "SQLITE_CORRUPT")
    return `${db} is damaged (${code}): restore it from a backup, or point DATABASE_URL at a new file`;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED")
    return `${db} stayed locked by another process: stop the other process or wait, then start again`;
  if (isAppError(error)) return describeError(error);
  return `could not start: ${message}`;
}
