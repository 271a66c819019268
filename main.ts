import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Hono } from "hono";
import { ANSWER_WORKER, CAPABILITIES, WRITER_WORKER } from "./analytics/capabilities/index.ts";
import { type Logger, scrub } from "./analytics/platform/base/log.ts";
import { AnswerThread, type CommandRunner } from "./analytics/platform/commands/index.ts";
import { Core } from "./analytics/platform/core.ts";
import { routeNotifier } from "./analytics/platform/delivery/feed.ts";
import { demoOptionsFor } from "./analytics/platform/demo/index.ts";
import { WriterThread } from "./analytics/platform/ingest/index.ts";
import { processIo, runCli } from "./bot/cli/index.ts";
import { type StartupPhase, startupProblem } from "./bot/cli/problems.ts";
import { progressBar } from "./bot/cli/progress.ts";
import { consoleTokenFor } from "./bot/console/token.ts";
import type { SlackTransport } from "./bot/slack/app.ts";
import { type Db, freeBytes, openDatabase } from "./db/client.ts";
import { type Config, ConfigError, loadConfig, loggerFor, modeOf, settingsOf } from "./env.ts";

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

export async function build(
  config: Config,
  options: { logger?: Logger; now?: () => number; writerThread?: boolean; answerThread?: boolean } = {},
): Promise<Built> {
  const logger = options.logger ?? loggerFor(config);
  // Keys from the environment go to the threads too; keys beside the file each connection reads itself.
  const envKeys = { data: config.LIFT_DATA_KEY, hash: config.LIFT_HASH_KEY };
  const db = openDatabase(config.DATABASE_URL, {
    keys: envKeys,
    // An upgrade that rebuilds tables says so on stderr before it starts and when it is done.
    onUpgrade: (progress) => {
      if (progress.phase === "start") {
        process.stderr.write(
          `Upgrading the database (${progress.migrations.join(", ")}): rebuilding ${progress.rows.toLocaleString("en-US")} rows; this runs once, about 30 s per 10 million rows…\n`,
        );
      } else {
        process.stderr.write(`Database upgraded in ${progress.seconds.toFixed(1)} s.\n`);
        logger.info({ migrations: progress.migrations, seconds: progress.seconds }, "database upgraded");
      }
    },
  });
  // A server writes HTTP events on a thread of its own; an in-memory database cannot be shared with one.
  const writer =
    options.writerThread && config.DATABASE_URL !== ":memory:"
      ? new WriterThread(WRITER_WORKER, config.DATABASE_URL, envKeys)
      : null;
  try {
    const core = new Core({
      db,
      logger,
      settings: settingsOf(config),
      capabilities: CAPABILITIES,
      ...(options.now ? { now: options.now } : {}),
      ...(writer ? { committer: writer } : {}),
    });
    await core.checkSettings();
    // A database from before sealing has its personal values sealed once (said, as an upgrade is).
    const started = performance.now();
    if (
      await core.sealStored(
        () => process.stderr.write("Sealing the personal data stored before this version (once)…\n"),
        (table, rows) => logger.info({ table, rows }, "sealed personal values stored before"),
      )
    )
      process.stderr.write(
        `Personal data sealed in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
      );
    // A server answers on a thread of its own, so slow queries and charts never delay a Slack ack.
    const runner =
      options.answerThread && config.DATABASE_URL !== ":memory:"
        ? new AnswerThread(
            ANSWER_WORKER,
            config.DATABASE_URL,
            core.settings,
            () => core.now(),
            logger,
            envKeys,
          )
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
  } catch (error) {
    await writer?.close();
    db.close();
    throw error;
  }
}

/** Loopback addresses: the only ones where the console may go without a token. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/**
 * The one hono app on the one port: the API routes, the Slack receiver (HTTP
 * mode) and the console. `consoleToken` guards the console when set.
 */
export async function createApp(
  built: Built,
  consoleToken?: string,
  slackRoutes?: Hono | null,
  listening: { port: number | null } = { port: null },
): Promise<Hono> {
  const [
    { Hono },
    { createApi },
    { consoleRoutes, consoleTokenGuard },
    { loopbackHostGuard },
    { unexpectedError },
  ] = await Promise.all([
    import("hono"),
    import("./api/app.ts"),
    import("./bot/console/routes.ts"),
    import("./api/http/guard.ts"),
    import("./api/http/errors.ts"),
  ]);
  const app = new Hono();
  // Whatever a route did not catch goes through the logger (redacted), never raw to stderr.
  app.onError((error, c) => unexpectedError(c, error, built.logger));
  if (consoleToken) {
    // Beyond loopback, the status pages (row counts, freshness) need the console's token too.
    const guard = consoleTokenGuard(consoleToken);
    app.use("/status", guard);
    app.use("/api/status", guard);
  } else {
    // No token: Lift listens on loopback, and answers only to its loopback names (DNS rebinding).
    app.use(
      "*",
      loopbackHostGuard(() => listening.port),
    );
  }
  app.route("/", createApi(built.core));
  if (slackRoutes) app.route("/", slackRoutes);
  app.route("/", consoleRoutes({ core: built.core, runner: built.runner, token: consoleToken }));
  return app;
}

/** The Slack transport for the configured mode, or null in local mode (Bolt is loaded only here). */
export async function createSlack(built: Built): Promise<SlackTransport | null> {
  const { config } = built;
  const { mode } = modeOf(config);
  if (mode === "local" || !config.SLACK_BOT_TOKEN) return null;
  const { createSlackApp } = await import("./bot/slack/app.ts");
  return createSlackApp({
    mode,
    botToken: config.SLACK_BOT_TOKEN,
    appToken: config.SLACK_APP_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    apiUrl: config.SLACK_API_URL,
    core: built.core,
    runner: built.runner,
    logger: built.logger,
  });
}

export interface Server {
  url: string;
  slack: SlackTransport | null;
  /** The console's token when one is needed (shown once on a terminal, never logged). */
  consoleToken: string | undefined;
  close(): Promise<void>;
}

/** A start-up failure with the step it happened in, so its one line names the cause. */
export class StartupError extends Error {
  constructor(
    readonly phase: StartupPhase,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = "StartupError";
  }
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
      : (config.LIFT_CONSOLE_TOKEN ?? consoleTokenFor(built.db.path));
  const slack = options.slack === undefined ? await createSlack(built) : options.slack;
  const listening: { port: number | null } = { port: null };
  const app = await createApp(built, consoleToken, slack?.routes, listening);
  const { serve } = await import("@hono/node-server");
  const server = await new Promise<Server>((resolve, reject) => {
    const http = serve(
      {
        fetch: app.fetch,
        port: options.port ?? config.PORT,
        hostname: host,
        // Node's defaults let a client hold a request for 300 s; Lift's bodies are small and its
        // clients send them at once (a body read also stops after BODY_READ_TIMEOUT_MS).
        serverOptions: { requestTimeout: 30_000, headersTimeout: 15_000 },
      },
      (info) => {
        listening.port = info.port;
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
      },
    );
    http.once("error", (error) => reject(new StartupError("listen", error)));
  });
  try {
    await slack?.start();
  } catch (error) {
    await server.close().catch(() => {});
    throw new StartupError("slack", error);
  }
  return server;
}

/** Says a start-up failure in one line on stderr (its stack to the log at debug level), and exits 1. */
async function fail(
  error: unknown,
  built: Built | null,
  logger: Logger,
  facts: Parameters<typeof startupProblem>[2],
) {
  const phase = error instanceof StartupError ? error.phase : "database";
  const original = error instanceof StartupError ? error.original : error;
  logger.debug({ err: original, stack: scrub((original as Error)?.stack ?? "") }, "start-up failed");
  process.stderr.write(`lift: ${startupProblem(original, phase, facts)}\n`);
  await built?.close().catch(() => {});
  return 1;
}

async function serveCommand(config: Config): Promise<number> {
  const logger = loggerFor(config);
  const { mode, why } = modeOf(config);
  const facts = {
    databasePath: config.DATABASE_URL,
    freeBytes: () => freeBytes(config.DATABASE_URL),
    port: config.PORT,
    host: config.HOST,
    slackApiUrl: config.SLACK_API_URL,
  };
  let built: Built | null = null;
  let server: Server;
  try {
    built = await build(config, { logger, writerThread: true, answerThread: true });
    logger.info({ mode }, `starting in ${mode} mode: ${why}`);
    server = await startServer(built);
    for (const line of keysMadeLines(built.db.keys.made)) logger.warn(line);
  } catch (error) {
    return fail(error, built, logger, facts);
  }
  const { core } = built;
  const seed = mode === "local" && config.LIFT_DEMO === "auto" && !(await core.hasData());
  // The server answers while the demo seeds (its events are written on the writer thread);
  // the console shows the progress, and the schedules start once the data is there.
  const started = performance.now();
  const bar = progressBar({ ...processIo, isTTY: Boolean(process.stderr.isTTY) }, "Seeding demo");
  const seeding = seed
    ? core.seedDemo(demoOptionsFor(core.now(), config.LIFT_TIMEZONE), (done, total) =>
        bar.update(done, total),
      )
    : null;
  // Awaited below, once the server is announced; a failure before then must not go unhandled.
  seeding?.catch(() => {});
  const tokenShown = server.consoleToken
    ? process.stdout.isTTY
      ? `/?token=${server.consoleToken}`
      : ""
    : "";
  process.stdout.write(
    `\nLift is running at ${server.url}${tokenShown}  (reporting time zone ${config.LIFT_TIMEZONE}, database ${built.db.path})\n${
      server.consoleToken && !tokenShown
        ? `The console needs its token: LIFT_CONSOLE_TOKEN, or the one in ${join(dirname(built.db.path), "console-token")}\n`
        : ""
    }${
      mode === "http"
        ? "Slack: HTTP mode; point the app's request URLs (manifest.http.yml) at https://<your host>/slack/events\n"
        : mode === "socket"
          ? "Slack: connected over Socket Mode\n"
          : "Slack: local mode (no tokens); the console above runs the same commands\n"
    }${seed ? "Seeding the demo workspace (90 days; LIFT_DEMO=off skips it): the console shows its progress.\n" : ""}\n`,
  );
  // Digests and alerts go to Slack in the Slack modes (and to the console's feed for "console"), else to the feed.
  const notifier = routeNotifier(core.consoleNotifier, server.slack?.notifier ?? null);
  const { Scheduler } = await import("./jobs/index.ts");
  const scheduler = new Scheduler(core, notifier);
  const shutdown = async () => {
    logger.info("shutting down");
    await scheduler.stop();
    await server.close();
    await built?.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  if (seeding) {
    try {
      const summary = await seeding;
      bar.done();
      logger.info(
        {
          events: summary.results["events"]?.accepted ?? 0,
          customers: summary.results["customers"]?.accepted ?? 0,
          seconds: Math.round((performance.now() - started) / 100) / 10,
        },
        "demo workspace ready",
      );
    } catch (error) {
      bar.done();
      return fail(error, built, logger, facts);
    }
  }
  await scheduler.start();
  return -1;
}

export async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(CAPABILITIES);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const command = argv[0];
  if (command === undefined || command === "serve") return serveCommand(config);
  // CLI output is for people: only warnings and errors go to the log there.
  const logger = loggerFor(config, "warn");
  let built: Built;
  try {
    // Bulk imports write events on a writer thread, beside the main thread's parsing.
    built = await build(config, { logger, writerThread: command === "import" });
  } catch (error) {
    return fail(error, null, logger, {
      databasePath: config.DATABASE_URL,
      freeBytes: () => freeBytes(config.DATABASE_URL),
    });
  }
  for (const line of keysMadeLines(built.db.keys.made)) process.stderr.write(`lift: ${line}\n`);
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
/** What to say of keys made beside the database: once, when they are made. */
export function keysMadeLines(made: readonly string[]): string[] {
  return made.map((file) =>
    file.endsWith("lift-data.key")
      ? `LIFT_DATA_KEY is not set: made ${file} (0600); personal data is sealed with it, so keep it with your backups`
      : `LIFT_HASH_KEY is not set: made ${file} (0600); lookups by email, suppressions and erasures need it, so keep it with your backups`,
  );
}
