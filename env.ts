import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";

/**
 * Configuration, read once. Nothing else in Lift reads process.env.
 * Every wrong value is reported on a line of its own, then start-up stops.
 */

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isCurrency(value: string): boolean {
  if (!/^[A-Z]{3}$/.test(value)) return false;
  try {
    new Intl.NumberFormat("en-US", { style: "currency", currency: value });
    return true;
  } catch {
    return false;
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** A comma-separated list of Slack ids, each matching `pattern` (e.g. U…/W… users, S… groups, C…/G… channels). */
function slackIds(pattern: RegExp, what: string) {
  return z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(/[\s,]+/)
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    )
    .superRefine((ids, ctx) => {
      for (const id of ids) {
        if (!pattern.test(id)) {
          ctx.addIssue({
            code: "custom",
            message: `“${id}” is not ${what} (copy it from the Slack profile or channel details)`,
          });
        }
      }
    });
}

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .default("./data/lift.db")
    .superRefine((value, ctx) => {
      if (/^postgres(ql)?:\/\//.test(value)) {
        ctx.addIssue({ code: "custom", message: "PostgreSQL is not supported yet; use a SQLite file path" });
      } else if (/^[a-z]+:\/\//i.test(value) && !value.startsWith("file:")) {
        ctx.addIssue({ code: "custom", message: `"${value}" is neither a file path nor a file: URL` });
      }
    })
    .transform(sqlitePath),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optionalText,
  LIFT_TIMEZONE: z
    .string()
    .trim()
    .default("UTC")
    .refine(isTimeZone, { message: "is not an IANA time zone (e.g. Europe/Berlin, America/New_York)" }),
  LIFT_CURRENCY: z
    .string()
    .trim()
    .toUpperCase()
    .default("USD")
    .refine(isCurrency, { message: "is not an ISO 4217 currency code (e.g. USD, EUR)" }),
  LIFT_FX_RATES: z
    .string()
    .trim()
    .default("")
    .transform((value, ctx) => {
      const rates: Record<string, number> = {};
      for (const pair of value.split(",").filter((part) => part.trim() !== "")) {
        const match = /^\s*([A-Za-z]{3})\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(pair);
        if (!match || !isCurrency(match[1]!.toUpperCase()) || Number(match[2]) <= 0) {
          ctx.addIssue({ code: "custom", message: `"${pair.trim()}" is not CODE=rate (e.g. EUR=1.08)` });
          continue;
        }
        rates[match[1]!.toUpperCase()] = Number(match[2]);
      }
      return rates;
    }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** auto: lines for people on a terminal, JSON lines otherwise; json or pretty to choose. */
  LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  LIFT_DEMO: z.enum(["auto", "off"]).default("auto"),
  /** Pulled sources may fetch private, loopback and link-local addresses (tests; feeds on a company LAN). */
  LIFT_SOURCES_ALLOW_PRIVATE: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /** A digest missed by up to this long (Lift was down) is sent once at start; older ones are skipped. */
  LIFT_CATCHUP_GRACE_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(120),
  LIFT_CONSOLE_TOKEN: optionalText.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  /** Who may change subscriptions, alerts and experiments; everyone when empty. */
  LIFT_ADMINS: slackIds(/^[UW][A-Z0-9]{2,}$/, "a Slack user id like U024BE7LH"),
  /** Who may read answers (users or user groups); everyone when empty. */
  LIFT_READERS: slackIds(/^[UWS][A-Z0-9]{2,}$/, "a Slack user or user group id like U024BE7LH or S0614TZR7"),
  /** Channels Lift answers in (DMs and App Home always work); all when empty. */
  LIFT_CHANNELS: slackIds(/^[CG][A-Z0-9]{2,}$/, "a Slack channel id like C024BE91L"),
  /** Where experiment alerts go when an experiment names no channel; the console's feed when empty. */
  LIFT_EXPERIMENTS_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a Slack channel id like C024BE91L")
      .optional(),
  ),
  /** Where the social connectors go (self-hosted instances, or a test's local server). */
  LIFT_MASTODON_URL: optionalText.pipe(z.url().optional()),
  LIFT_HN_URL: optionalText.pipe(z.url().optional()),
  LIFT_REDDIT_AUTH_URL: optionalText.pipe(z.url().optional()),
  LIFT_REDDIT_API_URL: optionalText.pipe(z.url().optional()),
  LIFT_BLUESKY_URL: optionalText.pipe(z.url().optional()),
  /** Reddit search: a "script" app's id and secret (reddit.com/prefs/apps). */
  REDDIT_CLIENT_ID: optionalText,
  REDDIT_CLIENT_SECRET: optionalText,
  /** Bluesky search: a handle and an app password (Settings › App passwords). */
  BLUESKY_HANDLE: optionalText,
  BLUESKY_APP_PASSWORD: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  /** A language model for ask (any OpenAI-compatible server with OPENAI_BASE_URL); ask works without one. */
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url().optional()),
  LIFT_LLM_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
  /** OpenAI takes max_completion_tokens; many local servers (llama.cpp, vLLM, Ollama) max_tokens. */
  LIFT_LLM_TOKEN_PARAM: z.enum(["max_completion_tokens", "max_tokens"]).default("max_completion_tokens"),
  /** Caps per question: model calls, tokens in all, seconds. */
  LIFT_LLM_MAX_STEPS: z.coerce.number().int().min(1).max(10).default(4),
  LIFT_LLM_MAX_TOKENS: z.coerce.number().int().min(200).max(200_000).default(6000),
  LIFT_LLM_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(20),
});

export type Config = z.infer<typeof schema>;

/** `file:./x.db`, `file:///abs/x.db` or a plain path → an absolute file path (or :memory:). */
function sqlitePath(value: string): string {
  if (value === ":memory:") return value;
  let path = value;
  if (value.startsWith("file://")) path = new URL(value).pathname;
  else if (value.startsWith("file:")) path = value.slice("file:".length);
  return isAbsolute(path) ? path : resolve(path);
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Lift cannot start:\n${problems.map((line) => `  - ${line}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Parses configuration from `source`; throws ConfigError with one line per wrong value. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "config");
    const raw = source[key];
    const shown = raw === undefined || /TOKEN|SECRET|KEY/.test(key) ? "" : ` (got "${raw}")`;
    return `${key} ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}

/** Reads `.env` (if present) under the process environment, then parses. */
export function loadConfig(envFile = ".env"): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
