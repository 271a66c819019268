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

/** Removes emails, phone numbers and tokens from free text before it is logged. */
export function scrub(text: string): string {
  return text.replace(TOKEN, "[token]").replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
        log(object) {
          const err = object["err"];
          if (err instanceof Error) {
            return {
              ...object,
              err: { type: err.name, message: scrub(err.message), code: (err as { code?: unknown }).code },
            };
          }
          return object;
        },
      },
    },
    destination,
  );
}

/** A logger that writes nothing: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
