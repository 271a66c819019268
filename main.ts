import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { registries } from "./analytics/capabilities.ts";
import { AnswerThread, type CommandRunner } from "./analytics/commands/index.ts";
import { Core, type CoreSettings } from "./analytics/core.ts";
import { demoOptionsFor } from "./analytics/demo/index.ts";
import { describeError, isAppError } from "./analytics/errors.ts";
import { WriterThread } from "./analytics/ingest/index.ts";
import { createLogger, type Logger } from "./analytics/log.ts";
import { routeNotifier } from "./analytics/schedules/index.ts";
import { createApi } from "./api/app.ts";
import { processIo, runCli } from "./bot/cli/index.ts";
import { consoleRoutes } from "./bot/console/routes.ts";
import { createSlackApp, type SlackTransport } from "./bot/slack/app.ts";
import { type Db, openDatabase } from "./db/client.ts";
import { type Config, ConfigError, loadConfig } from "./env.ts";
import { Scheduler } from "./jobs/index.ts";

/**
 * The composition root: the only place that builds the database, the core and
 * the edges and wires them together. `lift` with no command (or `serve`)
 * starts the server; any other command runs the CLI over the same core.
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

export interface Built {
  config: Config;
  db: Db;
  core: Core;
  /** Runs commands for the Slack transport and the console (on a thread of its own when serving). */
  runner: CommandRunner;
  logger: Logger;
  /** Closes the writer thread (if any) and the database. */
  close(): Promise<void>;
}

/** What the core reads from the configuration. */
export function settingsOf(config: Config): CoreSettings {
  return {
    timeZone: config.LIFT_TIMEZONE,
    currency: config.LIFT_CURRENCY,
    fxRates: config.LIFT_FX_RATES,
    catchUpGraceMs: config.LIFT_CATCHUP_GRACE_MINUTES * 60_000,
    sourcesAllowPrivate: config.LIFT_SOURCES_ALLOW_PRIVATE,
  };
}

export async function build(
  config: Config,
  options: { logger?: Logger; now?: () => number; writerThread?: boolean; answerThread?: boolean } = {},
): Promise<Built> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = openDatabase(config.DATABASE_URL);
  // A server writes HTTP events on a thread of its own; an in-memory database cannot be shared with one.
  const writer =
    options.writerThread && config.DATABASE_URL !== ":memory:" ? new WriterThread(config.DATABASE_URL) : null;
  const core = new Core({
    db,
    logger,
    settings: settingsOf(config),
    registries: registries(),
    ...(options.now ? { now: options.now } : {}),
    ...(writer ? { committer: writer } : {}),
  });
  await core.checkSettings();
  // A server answers on a thread of its own, so slow queries and charts never delay a Slack ack.
  const runner =
    options.answerThread && config.DATABASE_URL !== ":memory:"
      ? new AnswerThread(config.DATABASE_URL, core.settings, () => core.now())
      : core.runner();
  return {
    config,
    db,
    core,
    runner,
    logger,
    close: async () => {
      await runner.close();
      await writer?.close();
      db.close();
    },
  };
}

/** Loopback addresses: the only ones where the console may go without a token. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/**
 * The one hono app on the one port: the API routes, the Slack receiver (HTTP
 * mode) and the console. `consoleToken` guards the console when set.
 */
export function createApp(built: Built, consoleToken?: string, slackRoutes?: Hono | null): Hono {
  const app = new Hono();
  app.route("/", createApi(built.core));
  if (slackRoutes) app.route("/", slackRoutes);
  app.route("/", consoleRoutes({ core: built.core, runner: built.runner, token: consoleToken }));
  return app;
}

/** The Slack transport for the configured mode, or null in local mode. */
export function createSlack(built: Built): SlackTransport | null {
  const { config } = built;
  const { mode } = modeOf(config);
  if (mode === "local" || !config.SLACK_BOT_TOKEN) return null;
  return createSlackApp({
    mode,
    botToken: config.SLACK_BOT_TOKEN,
    appToken: config.SLACK_APP_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    apiUrl: config.SLACK_API_URL,
    access: { admins: config.LIFT_ADMINS, readers: config.LIFT_READERS, channels: config.LIFT_CHANNELS },
    core: built.core,
    runner: built.runner,
    logger: built.logger,
  });
}

export interface Server {
  url: string;
  slack: SlackTransport | null;
  /** The console's token when one is needed (shown once on the terminal, never logged). */
  consoleToken: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts Lift: the hono server on one port and, in a Slack mode, the Bolt app
 * (its token checked with auth.test; in Socket Mode, connected).
 */
export async function startServer(
  built: Built,
  options: { port?: number; host?: string; slack?: SlackTransport | null } = {},
): Promise<Server> {
  const { config } = built;
  const { mode } = modeOf(config);
  // Local mode has no authentication in front of the console, so it listens on loopback only;
  // anywhere else the console needs a token.
  const host = options.host ?? config.HOST ?? (mode === "local" ? "127.0.0.1" : "0.0.0.0");
  const consoleToken =
    mode === "local" && isLoopback(host)
      ? undefined
      : (config.LIFT_CONSOLE_TOKEN ?? randomBytes(18).toString("base64url"));
  const slack = options.slack === undefined ? createSlack(built) : options.slack;
  const app = createApp(built, consoleToken, slack?.routes);
  const server = await new Promise<Server>((resolve) => {
    const http = serve({ fetch: app.fetch, port: options.port ?? config.PORT, hostname: host }, (info) => {
      const shownHost = host === "0.0.0.0" ? "localhost" : host;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        slack,
        consoleToken,
        close: async () => {
          await slack?.stop();
          await new Promise<void>((done) => http.close(() => done()));
        },
      });
    });
  });
  try {
    await slack?.start();
  } catch (error) {
    await server.close().catch(() => {});
    throw error;
  }
  return server;
}

async function serveCommand(built: Built): Promise<void> {
  const { config, core, logger } = built;
  const { mode, why } = modeOf(config);
  logger.info({ mode }, `starting in ${mode} mode: ${why}`);
  if (mode === "local" && config.LIFT_DEMO === "auto" && !(await core.hasData())) {
    logger.info("empty database: seeding the demo workspace (90 days, set LIFT_DEMO=off to skip)");
    const started = performance.now();
    const summary = await core.seedDemo(demoOptionsFor(core.now(), config.LIFT_TIMEZONE));
    logger.info(
      {
        events: summary.results["events"]?.accepted ?? 0,
        customers: summary.results["customers"]?.accepted ?? 0,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      },
      "demo workspace ready",
    );
  }
  let server: Server;
  try {
    server = await startServer(built);
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    logger.error({ code }, "could not connect to Slack");
    process.stderr.write(
      `lift: Slack refused the connection${code ? ` (${code})` : ""}: check SLACK_BOT_TOKEN${mode === "socket" ? " and SLACK_APP_TOKEN" : ""}${config.SLACK_API_URL ? ` and SLACK_API_URL` : ""}\n`,
    );
    await built.close();
    process.exit(1);
  }
  process.stdout.write(
    `\nLift is running at ${server.url}${server.consoleToken ? `/?token=${server.consoleToken}` : ""}  (reporting time zone ${config.LIFT_TIMEZONE}, database ${built.db.path})\n${
      mode === "http"
        ? `Slack: HTTP mode; point the app's request URLs (manifest.http.yml) at https://<your host>/slack/events\n`
        : mode === "socket"
          ? "Slack: connected over Socket Mode\n"
          : "Slack: local mode (no tokens); the console above runs the same commands\n"
    }\n`,
  );
  // Digests and alerts go to Slack in the Slack modes (and to the console's feed for "console"), else to the feed.
  const notifier = routeNotifier(core.consoleNotifier, server.slack?.notifier ?? null);
  const scheduler = new Scheduler(core, notifier);
  await scheduler.start();
  const shutdown = async () => {
    logger.info("shutting down");
    await scheduler.stop();
    await server.close();
    await built.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

export async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const command = argv[0];
  let built: Built;
  try {
    // CLI output is for people: only warnings and errors go to the log there.
    const serving = command === undefined || command === "serve";
    // The server and bulk imports write events on a writer thread, beside the main thread's parsing.
    built = await build(config, {
      ...(serving ? {} : { logger: createLogger("warn") }),
      writerThread: serving || command === "import",
      answerThread: serving,
    });
  } catch (error) {
    process.stderr.write(`lift: ${describeError(error)}\n`);
    return isAppError(error) ? 1 : 2;
  }
  if (command === undefined || command === "serve") {
    await serveCommand(built);
    return -1;
  }
  const code = await runCli(argv, {
    core: built.core,
    runner: built.runner,
    io: processIo,
    serverUrl: `http://127.0.0.1:${config.PORT}`,
    databasePath: built.db.path,
  });
  await built.close();
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
}
