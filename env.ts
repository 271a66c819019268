import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { createLogger, type Logger } from "./analytics/platform/base/log.ts";
import { optionalText, parseSettings } from "./analytics/platform/contract/settings.ts";
import type { CoreSettings } from "./analytics/platform/platform.ts";

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

export const schema = z.object({
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
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  /**
   * The keys personal values are sealed with (AES-256-GCM), base64 of 32 bytes each, comma
   * separated: the first seals, every one opens (a rotation keeps the old one until it is done).
   * Made beside the database when not set.
   */
  LIFT_DATA_KEY: optionalText.pipe(
    z
      .string()
      .transform((value, ctx) => {
        const keys = value.split(",").map((k) => Buffer.from(k.trim(), "base64"));
        if (keys.some((k) => k.length !== 32))
          ctx.addIssue({
            code: "custom",
            message: "must be 32 bytes, base64 (openssl rand -base64 32), comma separated",
          });
        return keys;
      })
      .optional(),
  ),
  /** The key of blind indexes, suppression and erasure lists and signed links; made beside the database when not set. */
  LIFT_HASH_KEY: optionalText.pipe(
    z
      .string()
      .refine(
        (v) => Buffer.from(v, "base64").length >= 32,
        "must be at least 32 bytes, base64 (openssl rand -base64 32)",
      )
      .transform((v) => Buffer.from(v, "base64"))
      .optional(),
  ),
});

/**
 * The platform's configuration, and each capability's own settings (parsed by
 * the schema the capability declares) under `capabilities`.
 */
export type Config = z.infer<typeof schema> & { capabilities: Record<string, unknown> };

/** A capability's settings schema, as main.ts hands them over (env.ts knows no capability). */
export interface SettingsSchema {
  name: string;
  settings?: z.ZodType | undefined;
}

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

/**
 * Parses configuration from `source`: the platform's and every capability's
 * settings; throws ConfigError with one line per wrong value, all of them.
 */
export function parseConfig(
  source: Record<string, string | undefined>,
  capabilities: readonly SettingsSchema[] = [],
): Config {
  const core = parseSettings(schema, source);
  const problems = [...core.problems];
  const settings: Record<string, unknown> = {};
  for (const capability of capabilities) {
    const parsed = parseSettings(capability.settings, source);
    problems.push(...parsed.problems);
    settings[capability.name] = parsed.value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(core.value as z.infer<typeof schema>), capabilities: settings };
}

/** Reads `.env` (if present) under the process environment, then parses. */
export function loadConfig(capabilities: readonly SettingsSchema[] = [], envFile = ".env"): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env, capabilities);
}

/**
 * The composition root: the only place that builds the database, the core and
 * the edges and wires them together. `lift` with no command (or `serve`)
 * starts the server; any other command runs the CLI over the same core. The
 * server's parts (hono, Bolt, the console, the scheduler) load only when serving,
 * and Bolt only in a Slack mode, so a CLI command starts in a fraction of a second.
 */

export type Mode = "socket" | "http" | "local";

export function modeOf(config: Config): { mode: Mode; why: string } {
  if (config.SLACK_BOT_TOKEN && config.SLACK_APP_TOKEN)
    return { mode: "socket", why: "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are set" };
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    return { mode: "http", why: "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set" };
  }
  if (config.SLACK_BOT_TOKEN)
    return {
      mode: "local",
      why: "SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET",
    };
  return { mode: "local", why: "no Slack tokens are set" };
}

/** What the platform reads from the configuration (the capabilities' own settings included). */
export function settingsOf(config: Config): CoreSettings {
  return {
    timeZone: config.LIFT_TIMEZONE,
    currency: config.LIFT_CURRENCY,
    fxRates: config.LIFT_FX_RATES,
    catchUpGraceMs: config.LIFT_CATCHUP_GRACE_MINUTES * 60_000,
    access: { admins: config.LIFT_ADMINS, readers: config.LIFT_READERS, channels: config.LIFT_CHANNELS },
    capabilities: config.capabilities,
  };
}

/** The logger the configuration asks for: lines for people on a terminal, JSON lines otherwise. */
export function loggerFor(config: Config, level: string = config.LOG_LEVEL): Logger {
  const pretty =
    config.LOG_FORMAT === "pretty" || (config.LOG_FORMAT === "auto" && Boolean(process.stdout.isTTY));
  return createLogger(
    level,
    undefined,
    pretty ? { format: "pretty", colour: Boolean(process.stdout.isTTY) } : {},
  );
}
