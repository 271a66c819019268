import { App, SocketModeReceiver } from "@slack/bolt";
import { type RetryOptions, WebClient } from "@slack/web-api";
import type { Hono } from "hono";
import type { Logger } from "../../analytics/platform/base/log.ts";
import type { CommandRunner } from "../../analytics/platform/commands/index.ts";
import type { Core } from "../../analytics/platform/core.ts";
import type { Notifier } from "../../analytics/platform/delivery/notifier.ts";
import { SlackStartError } from "../cli/problems.ts";
import { Access } from "./access.ts";
import { registerFeedback } from "./actions/feedback.ts";
import { registerPostToChannel } from "./actions/post-to-channel.ts";
import { registerRunCommand } from "./actions/run-command.ts";
import { registerDownloadCsv, registerSendChart } from "./actions/send-file.ts";
import type { SlackDeps } from "./answers.ts";
import { registerAssistant } from "./assistant.ts";
import { registerLiftCommand } from "./commands/lift.ts";
import { registerDedupe } from "./dedupe.ts";
import { slackErrorCode } from "./errors.ts";
import { registerAppHomeOpened } from "./events/app-home-opened.ts";
import { registerAppMention } from "./events/app-mention.ts";
import { registerDirectMessage } from "./events/direct-message.ts";
import { registerLiftAsk } from "./functions/lift-ask.ts";
import { registerLiftReport } from "./functions/lift-report.ts";
import { boltLogger } from "./logger.ts";
import { slackNotifier } from "./notifier.ts";
import { HttpReceiver } from "./receiver.ts";

export interface SlackOptions {
  mode: "socket" | "http";
  botToken: string;
  appToken?: string | undefined;
  signingSecret?: string | undefined;
  /** Where the Web API is (GovSlack, a test fake); Slack's own by default. */
  apiUrl?: string | undefined;
  core: Core;
  /** Where commands run; on the calling thread when not given. */
  runner?: CommandRunner;
  logger: Logger;
  /** Retries of failed Web API calls, and of rate-limited ones after their Retry-After. */
  retryConfig?: RetryOptions;
  /** Socket Mode keepalive, in ms (tests shorten them). */
  socketPing?: { client: number; server: number };
}

export interface SlackTransport {
  app: App;
  /** Where jobs post digests and alerts. */
  notifier: Notifier;
  /** What the listeners registered (the manifests must declare exactly this). */
  surface: {
    commands: string[];
    events: string[];
    interactivity: boolean;
    functions: string[];
    assistant: boolean;
  };
  /** POST /slack/events, in HTTP mode; mounted on the one hono app by main.ts. */
  routes: Hono | null;
  /** Checks the token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  /** Stops once the answers under way are given (HTTP mode waits for them, at most 10 s). */
  stop(): Promise<void>;
  /** Resolves when no Slack request is being answered (HTTP mode; at once in Socket Mode). */
  idle(): Promise<void>;
}

/** Interactive answers wait for a few quick retries, not Slack's default half hour. */
const INTERACTIVE_RETRIES: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5000,
  randomize: true,
};

/**
 * The Bolt app: Socket Mode or HTTP (our own receiver on the hono app), every
 * Web API call (apps.connections.open included) sent to `apiUrl`, listeners
 * split by Slack surface.
 */
// Long on purpose: the Bolt app's listener registrations, one line each, in one table.
export function createSlackApp(options: SlackOptions): SlackTransport {
  const logger = boltLogger(options.logger);
  const apiUrl = options.apiUrl ? options.apiUrl.replace(/\/?$/, "/") : undefined;
  const clientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: options.retryConfig ?? INTERACTIVE_RETRIES,
    // A call that hangs is given up after 30 s (a queued delivery then checks whether it was posted).
    timeout: 30_000,
  };
  let httpReceiver: HttpReceiver | null = null;
  let receiver: SocketModeReceiver | HttpReceiver;
  if (options.mode === "socket") {
    if (!options.appToken) throw new Error("Socket Mode needs SLACK_APP_TOKEN");
    receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      installerOptions: { clientOptions },
      ...(options.socketPing
        ? { clientPingTimeout: options.socketPing.client, serverPingTimeout: options.socketPing.server }
        : {}),
    });
  } else {
    if (!options.signingSecret) throw new Error("HTTP mode needs SLACK_SIGNING_SECRET");
    httpReceiver = new HttpReceiver({
      signingSecret: options.signingSecret,
      logger: options.logger,
      now: () => options.core.now(),
      claimRequest: async (key) => {
        const claim = await options.core.conversations.claimEvent(key);
        if (claim !== "claimed") return false;
        await options.core.conversations.finishEvent(key, true);
        return true;
      },
    });
    receiver = httpReceiver;
  }
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    ...(options.mode === "socket" ? { socketMode: true } : {}),
  });
  const conversations = options.core.conversations;
  const deps: SlackDeps = {
    core: options.core,
    runner: options.runner ?? options.core.runner(),
    conversations,
    access: new Access(
      () => options.core.accessPolicy(),
      options.logger,
      () => options.core.now(),
    ),
    logger: options.logger,
  };
  registerDedupe(app, conversations, options.logger);
  const registered = [
    // The panel's listener is middleware: it must come before the DM listener it takes threads from.
    registerAssistant,
    registerLiftCommand,
    registerAppMention,
    registerDirectMessage,
    registerAppHomeOpened,
    registerPostToChannel,
    registerSendChart,
    registerDownloadCsv,
    registerRunCommand,
    registerFeedback,
    registerLiftAsk,
    registerLiftReport,
  ].map((register) => register(app, deps));
  const surface = {
    commands: registered.flatMap((r) => r.commands ?? []),
    events: [...new Set(registered.flatMap((r) => r.events ?? []))],
    interactivity: registered.some((r) => r.interactivity),
    functions: registered.flatMap((r) => r.functions ?? []),
    assistant: registered.some((r) => r.assistant),
  };
  app.error(async (error) => {
    options.logger.error(
      { err: error, code: slackErrorCode((error as { original?: unknown }).original ?? error) },
      "a Slack listener failed",
    );
  });

  return {
    app,
    notifier: slackNotifier(app.client, deps.runner),
    surface,
    routes: httpReceiver ? httpReceiver.routes() : null,
    start: async () => {
      try {
        await app.init();
      } catch (error) {
        throw new SlackStartError("token", error);
      }
      if (options.mode === "socket" && options.appToken) {
        // Slack's Socket Mode client retries a refused app token for ever (not_allowed_token_type is
        // "recoverable" to it): ask once first, so a wrong token stops start-up with its reason.
        try {
          await new WebClient(options.appToken, {
            ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
            retryConfig: { retries: 0 },
            timeout: 30_000,
          }).apps.connections.open({});
        } catch (error) {
          throw new SlackStartError("socket", error);
        }
      }
      try {
        await app.start();
      } catch (error) {
        throw new SlackStartError("socket", error);
      }
    },
    stop: async () => {
      await app.stop();
    },
    idle: async () => {
      await httpReceiver?.idle();
    },
  };
}
