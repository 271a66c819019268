import type { ZodType } from "zod";
import type { Tables } from "../../../db/client.ts";
import type { Logger } from "../base/log.ts";
import type { ChartSpec } from "../charts/spec.ts";
import type { Notifier } from "../delivery/notifier.ts";
import type { DemoPart } from "../demo/parts.ts";
import type { DataKind } from "../ingest/kinds.ts";
import type { EventObserver } from "../ingest/observers.ts";
import type { KpiScope, MetricSource } from "../metrics/scopes.ts";
import type { Fact, Report } from "../reports/report.ts";
import type { AlertRule, AlertSubject, AlertWindow, Evaluation } from "./alerts.ts";
import type { Asker, PlatformApi } from "./api.ts";
import type { CliIo, CliOutcome } from "./cli.ts";
import type { IngestGuard, PersonalTable } from "./personal.ts";

/**
 * The capability contract. A capability is one folder under
 * analytics/capabilities/ and one line in the list: `defineCapability({name,
 * summary, settings, setup})`. `settings` is a zod schema of its own
 * environment variables (checked at start with the rest, one line per wrong
 * value); `setup(context)` builds its services once and returns what it
 * contributes. Every contribution is called with the same context (the
 * platform API, a logger, the clock, the capability's settings and tables),
 * extended per kind — as Bolt gives every listener `AllMiddlewareArgs`.
 */

/** What every contribution of a capability gets. */
export interface CapabilityContext<S = unknown> {
  /** The platform: metrics, ingest, subscriptions, the command language, the feed. No database. */
  platform: PlatformApi;
  logger: Logger;
  /** The time now (a request's own instant in the answer thread; a fake clock in tests). */
  now(): number;
  /** The capability's own settings, parsed from the environment by its schema. */
  settings: S;
  /** The capability's own tables: a handle only its db/ functions can use. */
  tables: Tables;
  /** What other capabilities contribute to an extension point this capability owns. */
  extensions<T>(point: ExtensionPoint<T>): readonly T[];
}

/** Where the platform's registries get each capability's context when they call a contribution. */
export interface ContextSource {
  contextFor(owner: string): CapabilityContext;
}

/** A command adds who asks and where (and, in a thread, the command before). */
export type CommandContext = CapabilityContext & Asker;

export interface Command {
  name: string;
  aliases: string[];
  /** One line, for the help table. */
  summary: string;
  /** More, shown by `help <command>`. */
  details?: string;
  usage: string;
  examples: string[];
  /** Changes state or sends something (subscriptions, alerts, segments, automations, syncs): admins only. */
  mutates: boolean;
  /**
   * Shows who people are — a customer page, a segment's members, an export,
   * what someone asked — rather than counts about them: analysts and admins only.
   */
  personal: boolean;
  /**
   * Whether the arguments change state, for commands that both read and change
   * ("alert …" sets an alert, "alerts" lists them): defaults to `mutates`.
   */
  mutatesWith?: (args: string) => boolean;
  /** Whether the arguments show who people are ("segment x members" does, "segment x" does not): defaults to `personal`. */
  personalWith?: (args: string) => boolean;
  run(args: string, context: CommandContext): Promise<Report>;
}

/** App Home sections and console panels add whose view it is. */
export type SurfaceContext = CapabilityContext & {
  /** Slack user id, or "console". */
  userId: string;
};

/** A part of a person's home (Slack's App Home tab). */
export interface HomeSection {
  id: string;
  /** Lower comes first. */
  order: number;
  /** A report to show, or null when the section has nothing to say to this person. */
  build(context: SurfaceContext): Promise<Report | null>;
}

/**
 * A panel of the console page: a capability contributes its data (one or more
 * Reports) and how often it changes; bot/ renders it.
 */
export interface Panel {
  id: string;
  title: string;
  /** Lower comes first. */
  order: number;
  /** Refreshed when new data arrives (events, orders, mentions). */
  live?: boolean;
  /** Refreshed at least this often, in ms (a feed of scheduled messages). */
  refreshMs?: number;
  /** A line under the title ("what Lift would have posted to Slack"). */
  subtitle?: string;
  build(context: SurfaceContext): Promise<Report[]>;
}

/** A digest section adds which digest and the instant it is built for. */
export type DigestContext = CapabilityContext & {
  grain: "daily" | "weekly";
  at: number;
  /**
   * The days the digest is dated for (yesterday, or last week) in the reporting time zone, and
   * the instants they span: a section counts what happened on those days, not the last 24 hours.
   */
  days: { from: string; to: string; fromMs: number; toMs: number };
};

/** What one section adds to the digest; the digest itself knows no section. */
export interface DigestPart {
  facts?: Fact[];
  /** Short lines for the message ("Top channel by revenue: Email, $2,777, +38 %"). */
  lines?: string[];
  chart?: ChartSpec;
  /** Longer text for the thread reply. */
  details?: string[];
  warnings?: string[];
}

export interface DigestSection {
  id: string;
  order: number;
  title: string;
  build(context: DigestContext): Promise<DigestPart | null>;
}

/**
 * One kind of alert: how it is said (a phrase read into a rule, or null: not
 * mine), described, evaluated, and how often it is checked. The incident
 * lifecycle (fire once, quiet while it lasts, resolved in the thread, cooldown,
 * mute) is the platform's.
 */
export interface AlertKind<R extends AlertRule = AlertRule> {
  kind: string;
  /** Phrases are offered to kinds in this order (lower first). */
  order: number;
  /** Phrases for help and for the "could not read" message. */
  examples: string[];
  /** A phrase (after "alert") → a rule; null when the phrase is not this kind's; throws when it is but is wrong. */
  parse(text: string, context: { today: string; currency: string }): R | null;
  describe(rule: R, context: { currency: string }): string;
  evaluate(context: CapabilityContext, rule: R, now: number): Promise<Evaluation>;
  /** The next check after `after` (the kind's own cadence). */
  nextCheck(after: number, rule: R): number;
  /** How the cadence reads in a confirmation: "checked every 5 minutes". */
  cadence: string;
  /** The label of the message's mute-for-a-day button ("Mute shipping 24 h"); "Mute for a day" when not given. */
  muteLabel?(rule: R): string;
}

/**
 * Says what else happened around an alert or a change: a KPI change, an
 * experiment that started, a sentiment spike.
 */
export interface ContextProvider {
  id: string;
  order: number;
  lines(context: CapabilityContext, window: AlertWindow, subject: AlertSubject): Promise<string[]>;
}

/** A job adds the Notifier main.ts wires in (Slack or console) and the watchdog's signal. */
export type JobContext = CapabilityContext & {
  notifier: Notifier;
  /** Aborted when the run passes its time cap: a job stops what it can. */
  signal: AbortSignal;
};

/**
 * A job is a plain function of its context and the time it runs for; node-cron
 * only decides when. Tests call it with a fake clock.
 */
export interface Job {
  name: string;
  /** node-cron expression, e.g. "* * * * *" for every minute. */
  cron: string;
  /** The zone the expression is read in; UTC when not given. */
  timeZone?: string;
  /** The most one run may take (default JOB_TIMEOUT_MS); past it the run is failed and its schedule freed. */
  timeoutMs?: number;
  run(context: JobContext, now: number): Promise<void>;
}

/** A CLI verb adds the terminal. */
export type CliContext = CapabilityContext & { io: CliIo };

/** A verb of the `lift` command a capability contributes: `lift experiments import …`. */
export interface CliVerb {
  name: string;
  /** One line, for `lift help`. */
  summary: string;
  /** The whole usage, for `lift <verb> --help`. */
  help: string;
  run(args: string[], context: CliContext): Promise<CliOutcome>;
}

/**
 * The full data behind an answer, streamed as CSV lines when someone asks for
 * the file (an answer's `download` names it): never built as one table.
 */
export interface Download {
  source: string;
  /** Its rows are about people (emails, ids): analysts and admins only. */
  personal: boolean;
  /** The lines, once what they are of is found (not_found when it is gone: the caller says so before streaming). */
  lines(context: CapabilityContext, key: string): Promise<Iterable<string> | AsyncIterable<string>>;
}

/** The customer a `customer <id>` page is about. */
export interface CustomerRef {
  id: string;
  email: string | null;
}

/** A section of the `customer <id>` page (orders, segments, experiments, mentions, predictions …). */
export interface CustomerSection {
  id: string;
  order: number;
  title: string;
  build(
    context: CapabilityContext,
    customer: CustomerRef,
  ): Promise<{ lines: string[]; facts?: Fact[] } | null>;
}

/**
 * A place where one capability takes contributions from others (sources takes
 * connectors; ask takes vocabulary; segments takes rule fields). The owner
 * exports the point from its index.ts; others contribute with `contribute`.
 */
export interface ExtensionPoint<T> {
  id: string;
  /** The name each contribution is known by: two of one name are refused. */
  key(item: T): string;
}

export function extensionPoint<T>(id: string, key: (item: T) => string): ExtensionPoint<T> {
  return { id, key };
}

/**
 * A capability's services as other capabilities reach them: the owner provides
 * them in `setup` (one set per platform), others get them from the owner's
 * index.ts with `of(platform)` — never by importing its files or tables.
 */
export interface PublicApi<T> {
  provide(context: CapabilityContext, api: T): T;
  of(platform: PlatformApi): T;
}

export function publicApi<T>(capability: string): PublicApi<T> {
  const apis = new WeakMap<object, T>();
  return {
    provide(context, api) {
      apis.set(context.platform, api);
      return api;
    },
    of(platform) {
      const api = apis.get(platform);
      if (!api) throw new Error(`the ${capability} capability is not set up on this platform`);
      return api;
    },
  };
}

/** Contributions to another capability's extension point. */
export interface Extension {
  point: ExtensionPoint<unknown>;
  items: readonly unknown[];
}

export function contribute<T>(point: ExtensionPoint<T>, ...items: T[]): Extension {
  return { point: point as ExtensionPoint<unknown>, items };
}

/** A question the assistant panel suggests: the button's title and what it asks. */
export interface SuggestedPrompt {
  title: string;
  message: string;
}

/**
 * Prompts from the workspace's own data for Lift's assistant panel (an experiment that just
 * decided, a spike, yesterday's biggest change), given the channel the person is viewing.
 */
export interface PromptSource {
  id: string;
  /** Lower comes first. */
  order: number;
  build(context: CapabilityContext & { channelId?: string | undefined }): Promise<SuggestedPrompt[]>;
}

/**
 * An HTTP route a capability serves: on the public API (`/v1/…`: links in mail, webhooks; it
 * checks its own credentials) or in the console (`/console/…`: behind the console's token and
 * its same-origin rule for writes). A web-standard Request in, a Response out; an AppError
 * thrown becomes the API's JSON error.
 */
export interface HttpRoute {
  method: "GET" | "POST";
  /** A hono path with :params: public ones begin with /v1/, console ones with /console/. */
  path: string;
  surface: "public" | "console";
  handle(request: Request, params: Record<string, string>, context: CapabilityContext): Promise<Response>;
}

/** Everything a capability may contribute; every part is optional. */
export interface Contributions {
  /** Commands of the one language Slack, the console and `lift run` speak. */
  commands?: Command[];
  /** The command a question goes to when its first word is no command (one capability only). */
  fallback?: string;
  cliVerbs?: CliVerb[];
  digestSections?: DigestSection[];
  homeSections?: HomeSection[];
  panels?: Panel[];
  alertKinds?: AlertKind[];
  contextProviders?: ContextProvider[];
  jobs?: Job[];
  /** Kinds of data taken in (imported, pushed on /v1/ingest/:kind, pulled). */
  dataKinds?: DataKind[];
  /** Demo data, each part on its own random stream. */
  demo?: DemoPart<CapabilityContext>[];
  downloads?: Download[];
  customerSections?: CustomerSection[];
  /** Filters and breakdowns of KPIs ("for segment champions", "by segment"). */
  kpiScopes?: KpiScope[];
  /** Figures from another kind of record (CRM deals as revenue), added to KPIs when asked. */
  metricSources?: MetricSource[];
  /** Suggested questions for the assistant panel, from the workspace's own data. */
  prompts?: PromptSource[];
  /** HTTP routes: public ones on the API, console ones behind the console's token. */
  routes?: HttpRoute[];
  /** Contributions to other capabilities' extension points. */
  extensions?: Extension[];
  /** Row counts `lift status` shows ("mentions": 8120). */
  counts?(): Promise<Record<string, number>>;
  /** Its tables' personal data: what is about a person, how it is found and erased (every table it owns). */
  personalData?: PersonalTable[];
  /** Checks every batch of data goes through before it is written (the privacy capability refuses erased people). */
  ingestGuards?: IngestGuard[];
}

export interface CapabilityDefinition<S = unknown> {
  /** The folder's name under analytics/capabilities/. */
  name: string;
  /** One line for README and `lift help`. */
  summary: string;
  /** Its own environment variables; checked at start with the others. */
  settings?: ZodType<S>;
  /**
   * What it keeps of each batch of events, in the batch's own transaction (and on the writer
   * thread): read once per event, written with the batch, moved when a visitor is identified.
   * Static, not made by `setup`: the writer thread runs no capability services.
   */
  eventObservers?: EventObserver[];
  setup(context: CapabilityContext<S>): Contributions;
}

/** A capability, typed by its settings. */
export function defineCapability<S = Record<string, never>>(
  definition: CapabilityDefinition<S>,
): CapabilityDefinition<S> {
  return definition;
}

/** A capability as the list holds it, whatever its settings. */
export type Capability = CapabilityDefinition<unknown>;
