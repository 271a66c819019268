import type { WriteOptions } from "../../../db/platform/queries/imports.ts";
import type { Logger } from "../base/log.ts";
import type { FailedDelivery, FeedItem } from "../delivery/feed.ts";
import type { DemoOptions } from "../demo/parts.ts";
import type { SeedSummary } from "../demo/seed.ts";
import type { ImportOptions, ImportSummary } from "../ingest/file-import.ts";
import type { IngestResult } from "../ingest/result.ts";
import type { BatchOptions } from "../ingest/service.ts";
import type { FreshnessInfo } from "../metrics/freshness.ts";
import type { GrammarWords } from "../metrics/grammar.ts";
import type { DataExtents, FunnelEventRow, KpiQuery, KpiResult, SpendToDate } from "../metrics/types.ts";
import type { Report } from "../reports/report.ts";
import type { Schedule } from "../time/schedule.ts";
import type { Role, Surface } from "./access.ts";
import type { AlertRule, AlertSubject, AlertWindow, Evaluation } from "./alerts.ts";
import type { PeopleApi } from "./personal.ts";

export type { WriteOptions };

/** The reporting settings every capability reads: days are cut in one zone, money is one currency. */
export interface ReportingSettings {
  timeZone: string;
  currency: string;
  /** Units of the reporting currency per unit of another currency (LIFT_FX_RATES). */
  fxRates: Record<string, number>;
}

export type SubscriptionOptions =
  | { kind: "digest"; grain: "daily" | "weekly" }
  | { kind: "alert"; rule: AlertRule; mutedUntil?: number };

export interface Subscription {
  id: number;
  kind: "digest" | "alert";
  channel: string;
  owner: string;
  timeZone: string;
  schedule: Schedule | null;
  options: SubscriptionOptions;
  nextRunAt: number | null;
}

/** An alert incident still open, for the digest's "open alerts" and the App Home. */
export interface OpenIncident {
  subscriptionId: number;
  openedAt: number;
  headline: string;
  state: string;
}

/** Digests and alerts people subscribed to (the platform's subscriptions and incident lifecycle). */
export interface SubscriptionsApi {
  subscribeDigest(input: {
    channel: string;
    owner: string;
    schedule: Schedule;
    timeZone: string;
    grain: "daily" | "weekly";
  }): Promise<Subscription>;
  createAlert(input: { channel: string; owner: string; rule: AlertRule }): Promise<Subscription>;
  get(id: number): Promise<Subscription>;
  list(filter?: { kind?: "digest" | "alert"; channel?: string; owner?: string }): Promise<Subscription[]>;
  remove(id: number, actor: string): Promise<Subscription>;
  mute(id: number, until: number | null, actor: string): Promise<Subscription>;
  isOpen(id: number): Promise<boolean>;
  /** An alert in words, with "(muted)" while it is. */
  describeAlert(subscription: Subscription): string;
  /** Reads an alert phrase with the first alert kind that takes it. */
  parseAlert(text: string): AlertRule;
  describeRule(rule: AlertRule): string;
  /** How often an alert of this rule's kind is checked ("checked every 5 minutes"). */
  alertCadence(rule: AlertRule): string;
  /** Evaluates an alert now, without the lifecycle (`alert check`, tests). */
  evaluate(rule: AlertRule, now: number): Promise<Evaluation>;
  digestNow(grain: "daily" | "weekly"): Promise<Report>;
  openIncidents(): Promise<OpenIncident[]>;
  /** Every alert kind's first example, for help. */
  alertExamples(): string[];
}

/** Who asks, and where: every transport (Slack, console, CLI) fills this in. */
export interface Asker {
  /** Slack user id, "console" or "cli". */
  userId: string;
  /**
   * What the asker may do, worked out by the transport (Slack: from the access rules). Not
   * given: the console's token, the CLI or Lift itself, which are admins.
   */
  role?: Role | undefined;
  /** Where the asker is (Slack, a workflow step, the console, the CLI): audit rows say so. */
  surface?: Surface | undefined;
  /** Where the command was asked (a Slack channel id, or "console"). */
  channelId?: string | undefined;
  /** The asker's own time zone (Slack's profile), for delivery times. */
  userTimeZone?: string | undefined;
  /** In a thread: the command the thread's last answer stands for (a follow-up keeps its parameters). */
  previous?: string | undefined;
  /** The person's own words, when what runs is them merged with a thread's question ("and by channel?"). */
  asked?: string | undefined;
  /**
   * Where a language model's sentences go as they are written, each once its numbers are
   * checked against the figures (Slack's assistant panel streams them); the report still
   * carries them all. Not given: the answer comes whole.
   */
  onSentence?: ((sentence: string) => void) | undefined;
}

/** A command of the one language, as other capabilities may see it (to run, or to offer as a button). */
export interface CommandInfo {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  examples: string[];
  mutates: boolean;
  personal: boolean;
}

/** The command language, for capabilities that run other commands (ask reads questions into them). */
export interface CommandsApi {
  run(text: string, asker: Asker): Promise<Report>;
  /** Runs one named command with its arguments (ask runs `kpi` on words it read). */
  runCommand(name: string, args: string, asker: Asker): Promise<Report>;
  resolve(text: string): { command: CommandInfo; args: string };
  find(word: string): CommandInfo | undefined;
  list(): readonly CommandInfo[];
  /** Whether running `name` with `args` changes state (only admins may). */
  changesState(name: string, args: string): boolean;
  /** Refuses (a `forbidden` AppError) when the asker's role does not allow the command with these arguments. */
  mayRun(name: string, args: string, asker: Asker): void;
}

/**
 * The platform as a capability sees it: the metrics engine and its grammar,
 * ingest, subscriptions and alerting, the feed, the command language, context
 * from every capability, the audit log, the clock and the reporting settings.
 * It holds no database: a capability's own tables come with its context
 * (`tables`), and other capabilities answer through their index.ts.
 */
export interface PlatformApi {
  readonly settings: ReportingSettings;
  readonly logger: Logger;
  now(): number;
  /** Today in the reporting time zone. */
  today(): string;
  kpis(query: KpiQuery): Promise<KpiResult>;
  kpiReport(query: KpiQuery): Promise<Report>;
  /** One metric per day over a range (no totals): for anomaly checks. */
  dailyValues(
    metric: string,
    range: { from: string; to: string },
    filter?: { channel?: string; campaignId?: string },
  ): Promise<Map<string, number | null>>;
  freshness(): Promise<FreshnessInfo>;
  /** Where each kind of data starts and ends (events, orders, spend). */
  dataExtents(): Promise<DataExtents>;
  /** Events of the named kinds between two instants, by person and time: what funnels read. */
  funnelEvents(eventKeys: string[], window: { fromMs: number; toMs: number }): Promise<FunnelEventRow[]>;
  /** Spend of each campaign from its start to `day` (budget pacing). */
  spendToDate(day: string): Promise<SpendToDate[]>;
  /** The campaigns of the workspace (ids and names), for names in questions and labels. */
  campaigns(): Promise<
    {
      id: string;
      name: string;
      channel: string;
      budgetMinor: number | null;
      start: string | null;
      end: string | null;
    }[]
  >;
  /** The words capabilities add to the KPI grammar (scopes such as "segment", sources such as "deals"). */
  grammarWords(): GrammarWords;
  readonly schedules: SubscriptionsApi;
  readonly commands: CommandsApi;
  /** What the local Notifier delivered (the console's feed), newest first. */
  readonly feed: { list(limit?: number): Promise<FeedItem[]> };
  failedDeliveries(limit?: number): Promise<FailedDelivery[]>;
  /** Takes in a batch of any kind of data, in one transaction (pulled sources, scripts). */
  readonly ingest: {
    write(kind: string, rows: readonly unknown[], options?: BatchOptions): Promise<IngestResult>;
  };
  importFile(options: Omit<ImportOptions, "now">): Promise<ImportSummary>;
  /** Every capability's "around the same time" lines for a window (alerts, `why`). */
  aroundThen(window: AlertWindow, subject: AlertSubject): Promise<string[]>;
  /** Records who changed what: `detail` is kept as written, or as JSON when an object. */
  audit(actor: string, action: string, detail: string | Record<string, unknown>): Promise<void>;
  /**
   * The workspace's hash key (LIFT_HASH_KEY, or the one beside the database): suppression and
   * erasure lists, blind indexes and signed links are keyed with it.
   */
  hashKey(): Buffer;
  /** A person's rows in every table the personal-data maps declare: found, exported, erased; retention. */
  readonly people: PeopleApi;
  seedDemo(options: DemoOptions, onDay?: (done: number, total: number) => void): Promise<SeedSummary>;
}
