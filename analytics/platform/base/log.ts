import { type Logger, pino } from "pino";

export type { Logger } from "pino";

// Keys whose values never reach a log line, wherever they sit in an object.
const SECRET_KEYS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "apiKey",
  "writeKey",
  "password",
  "authorization",
  "email",
  "phone",
  "traits",
];
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'req.headers["authorization"]',
  'req.headers["x-slack-signature"]',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Slack tokens (xoxb-, xapp-, …), OpenAI-style keys and Lift write keys.
const TOKEN = /\b(?:xox[abposr]|xapp|sk|lift_wk)[-_][A-Za-z0-9-_]{8,}\b/g;
const PHONE = /\+?\d[\d ()-]{7,}\d/g;
/** A day or a range of days (2026-11-22, 2026-11-01 - 2026-11-22) looks like a phone number but is not one. */
const DATE = /^\d{4}-\d{2}-\d{2}(?:\s*-\s*\d{4}-\d{2}-\d{2})?$/;

/** Removes emails, phone numbers and tokens from free text before it is logged. */
export function scrub(text: string): string {
  return text
    .replace(TOKEN, "[token]")
    .replace(EMAIL, "[email]")
    .replace(PHONE, (match) => (DATE.test(match) ? match : "[phone]"));
}

const LEVELS: Record<number, [string, string]> = {
  10: ["TRACE", "\x1b[90m"],
  20: ["DEBUG", "\x1b[90m"],
  30: ["INFO ", "\x1b[36m"],
  40: ["WARN ", "\x1b[33m"],
  50: ["ERROR", "\x1b[31m"],
  60: ["FATAL", "\x1b[41m"],
};
const HIDDEN = new Set(["level", "time", "pid", "hostname", "msg", "v"]);

function fieldText(value: unknown): string {
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  if (value && typeof value === "object" && "message" in value)
    return JSON.stringify((value as { message: unknown }).message);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * One JSON log line → a line for people: time, level, message, a few fields
 * ("12:04:31 WARN  a source failed to pull  source=3 error=…"), coloured on a terminal.
 */
export function prettyLine(json: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const [name, tint] = LEVELS[Number(entry["level"])] ?? ["LOG  ", ""];
  const time = new Date(Number(entry["time"] ?? Date.now())).toTimeString().slice(0, 8);
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .slice(0, 6)
    .map(([key, value]) => `${key}=${fieldText(value)}`)
    .join(" ");
  const level = colour ? `${tint}${name}\x1b[0m` : name;
  const dim = (text: string) => (colour ? `\x1b[90m${text}\x1b[0m` : text);
  return `${dim(time)} ${level} ${String(entry["msg"] ?? "")}${fields ? `  ${dim(fields)}` : ""}\n`;
}

/** Where pretty lines go: a stream that rewrites each JSON line pino writes. */
export function prettyDestination(out: NodeJS.WritableStream, colour: boolean): pino.DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line, colour)) };
}

export interface LoggerOptions {
  /** "json": one JSON object a line (for log collectors); "pretty": lines for people. */
  format?: "json" | "pretty";
  /** Colours in pretty lines (on a terminal). */
  colour?: boolean;
}

export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const target =
    options.format === "pretty"
      ? prettyDestination(
          destination ? (destination as unknown as NodeJS.WritableStream) : process.stdout,
          options.colour ?? false,
        )
      : destination;
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === "string" ? scrub(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      formatters: {
        log(fields) {
          // Free text in fields (an `error` a remote server wrote, naming an address) is scrubbed as messages are.
          const object: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(fields))
            object[key] = typeof value === "string" ? scrub(value) : value;
          const err = object["err"];
          if (err instanceof Error) {
            const cause = (err as { cause?: unknown }).cause;
            return {
              ...object,
              err: {
                type: err.name,
                message: scrub(err.message),
                code: (err as { code?: unknown }).code,
                // The cause says what really failed (SQLite's SQLITE_FULL under "Writing events failed").
                ...(cause instanceof Error
                  ? {
                      cause: {
                        message: scrub(cause.message),
                        code: (cause as { code?: unknown }).code,
                      },
                    }
                  : {}),
              },
            };
          }
          return object;
        },
      },
    },
    target,
  );
}

/** A logger that writes nothing: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
