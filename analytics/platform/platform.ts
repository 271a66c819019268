import { type Db, tablesOf } from "../../db/client.ts";
import { insertAudit, surfaceOfActor } from "../../db/platform/queries/audit.ts";
import { listCampaigns } from "../../db/platform/queries/campaigns.ts";
import { prepareDaySets } from "../../db/platform/queries/day-people.ts";
import { dataVersion, getMeta, setMeta } from "../../db/platform/queries/meta.ts";
import {
  campaignSpendToDate,
  dataExtents,
  funnelEvents,
  hasAnyData,
  tableCounts,
} from "../../db/platform/queries/metrics.ts";
import { rebuildRollups } from "../../db/platform/queries/rollups.ts";
import { AccessControl } from "./access/control.ts";
import { accessWarnings, type EnvAccess, NO_ENV_ACCESS } from "./access/policy.ts";
import { Answers } from "./answers/index.ts";
import { AppError } from "./base/errors.ts";
import type { Logger } from "./base/log.ts";
import { platformContributions } from "./basics.ts";
import { commandsApi } from "./commands/api.ts";
import type { AlertSubject, AlertWindow } from "./contract/alerts.ts";
import type { Asker, CommandsApi, PlatformApi, ReportingSettings } from "./contract/api.ts";
import type { Capability, CapabilityContext, ContextSource, Job, JobContext } from "./contract/capability.ts";
import { DeliveryQueue } from "./delivery/delivery.ts";
import { ConsoleFeed, type FailedDelivery, listFailedDeliveries } from "./delivery/feed.ts";
import type { Notifier } from "./delivery/notifier.ts";
import { DEMO_DAYS, type DemoOptions } from "./demo/parts.ts";
import { type SeedSummary, seedDemo } from "./demo/seed.ts";
import { buildDigest } from "./digest/digest.ts";
import { type ImportOptions, type ImportSummary, importAudit, importFile } from "./ingest/file-import.ts";
import { Ingest } from "./ingest/service.ts";
import type { EventCommitter } from "./ingest/writer-thread.ts";
import { WriteKeys } from "./keys/index.ts";
import { metricByKey } from "./metrics/definitions.ts";
import { describeFreshness, type FreshnessInfo } from "./metrics/freshness.ts";
import type { GrammarWords } from "./metrics/grammar.ts";
import { computeKpis, dailyValues, type MetricsDeps } from "./metrics/kpis.ts";
import { kpiReport } from "./metrics/report.ts";
import type { KpiQuery, KpiResult } from "./metrics/types.ts";
import { People } from "./privacy/people.ts";
import { type Readiness, ReadinessCheck } from "./readiness.ts";
import {
  contribute,
  emptyRegistries,
  eventObservers,
  type Registries,
  setUpCapabilities,
} from "./registries.ts";
import type { Report } from "./reports/report.ts";
import { Conversations } from "./slack-threads/index.ts";
import { Schedules } from "./subscriptions/subscriptions.ts";
import { Clock } from "./time/clock.ts";
import { addDays, dayCutter, dayOf } from "./time/zone.ts";

export interface CoreSettings extends ReportingSettings {
  /** LIFT_ADMINS, LIFT_READERS and LIFT_CHANNELS (env.ts); none when not given. */
  access?: EnvAccess;
  /** A scheduled run missed by more than this is skipped, not sent late (default 2 h). */
  catchUpGraceMs?: number;
  /** Each capability's own settings, parsed from the environment by its schema (defaults when missing). */
  capabilities?: Record<string, unknown>;
}

export interface PlatformDeps {
  db: Db;
  settings: CoreSettings;
  logger: Logger;
  /** The capabilities, in the list's order. */
  capabilities: readonly Capability[];
  now?: () => number;
  /** Writes grouped (HTTP) events on a writer thread instead of in process. */
  committer?: EventCommitter;
  /** Free bytes on the database's disk (tests give a full disk). */
  freeBytes?: (path: string) => number | null;
}

export interface Status {
  counts: Record<string, number>;
  /** What an admin must know (no roles set: everyone is an admin). */
  warnings: string[];
  freshness: FreshnessInfo;
  timeZone: string;
  currency: string;
}

/**
 * The platform: what every capability shares — ingest, the metrics engine and
 * its grammar, subscriptions and alerting, delivery, stored answers, write
 * keys — and the capabilities set up on it. Capabilities see it as a
 * `PlatformApi` (no database); edges see it through `Core`.
 */
export class Platform implements PlatformApi, ContextSource {
  readonly db: Db;
  readonly settings: CoreSettings;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly registries: Registries;
  readonly ingest: Ingest;
  readonly keys: WriteKeys;
  private readonly readinessCheck: ReadinessCheck;
  /** The one queue every scheduled or alert message goes through. */
  readonly deliveries: DeliveryQueue;
  readonly schedules: Schedules;
  /** The local Notifier's feed: what would have gone to Slack, for the console. */
  readonly feed: ConsoleFeed;
  readonly answers: Answers;
  /** Slack event ids handled and thread contexts, for the Slack transport. */
  readonly conversations: Conversations;
  readonly commands: CommandsApi;
  readonly people: People;
  /** Who may do what in Slack: the environment's lists and the roles admins set. */
  readonly access: AccessControl;
  private readonly contexts = new Map<string, CapabilityContext>();

  constructor(deps: PlatformDeps) {
    this.db = deps.db;
    this.settings = deps.settings;
    this.logger = deps.logger;
    this.clock = new Clock(deps.now ?? Date.now);
    this.registries = emptyRegistries(deps.capabilities, this);
    const observers = eventObservers(deps.capabilities);
    this.ingest = new Ingest({
      db: deps.db,
      timeZone: deps.settings.timeZone,
      money: { currency: deps.settings.currency, rates: deps.settings.fxRates },
      kinds: this.registries.dataKinds,
      observers,
      guards: () => this.registries.ingestGuards,
      logger: deps.logger,
      now: () => this.now(),
      ...(deps.committer ? { committer: deps.committer } : {}),
    });
    this.keys = new WriteKeys(deps.db, () => this.now());
    this.readinessCheck = new ReadinessCheck(deps.db, () => this.now(), deps.freeBytes);
    this.deliveries = new DeliveryQueue(deps.db, deps.logger);
    this.feed = new ConsoleFeed(deps.db, () => this.now());
    this.answers = new Answers(deps.db, () => this.now());
    this.conversations = new Conversations(deps.db, () => this.now());
    this.schedules = new Schedules(
      {
        db: deps.db,
        settings: deps.settings,
        logger: deps.logger,
        now: () => this.now(),
        alertKinds: this.registries.alertKinds,
        aroundThen: (window, subject) => this.aroundThen(window, subject),
        digest: (grain, at) => buildDigest(this, this.registries.digestSections, this, grain, at),
      },
      this.deliveries,
      deps.settings.catchUpGraceMs ?? 2 * 3600_000,
    );
    this.commands = commandsApi(() => this.registries.commands);
    this.people = new People(deps.db, this.registries.personalData, this.clock);
    this.access = new AccessControl(
      deps.db,
      () => this.settings.access ?? NO_ENV_ACCESS,
      () => this.now(),
    );
    contribute(this.registries, "platform", platformContributions(this, observers));
    setUpCapabilities(this.registries, (capability) => this.contextFor(capability.name));
  }

  /**
   * What a capability's contributions get: this platform as its API, a logger
   * that names the capability, the clock, its own settings and tables, and what
   * others contribute to its extension points.
   */
  contextFor(owner: string): CapabilityContext {
    let context = this.contexts.get(owner);
    if (!context) {
      const capability = this.registries.capabilities.find((c) => c.name === owner);
      const given = this.settings.capabilities?.[owner];
      const settings = given ?? capability?.settings?.parse({}) ?? {};
      const extensions = this.registries.extensions;
      context = {
        platform: this as PlatformApi,
        logger: this.logger.child({ capability: owner }),
        now: () => this.now(),
        settings,
        tables: tablesOf(this.db),
        extensions: (point) => extensions.of(point),
      };
      this.contexts.set(owner, context);
    }
    return context!;
  }

  /** What a job's run gets: its capability's context, the Notifier and the watchdog's signal. */
  jobContext(job: Job, notifier: Notifier, signal: AbortSignal = new AbortController().signal): JobContext {
    return { ...this.contextFor(this.registries.jobs.ownerOf(job)), notifier, signal };
  }

  now(): number {
    return this.clock.now();
  }

  hashKey(): Buffer {
    return this.db.keys.hash;
  }

  /** Today's date in the reporting time zone. */
  today(): string {
    return dayOf(this.now(), this.settings.timeZone);
  }

  /** What the metrics engine reads with. */
  get metrics(): MetricsDeps {
    return {
      db: this.db,
      timeZone: this.settings.timeZone,
      currency: this.settings.currency,
      now: () => this.now(),
      scopes: this.registries.kpiScopes.list(),
      sources: this.registries.metricSources.list(),
    };
  }

  grammarWords(): GrammarWords {
    return {
      scopes: this.registries.kpiScopes.list().map((s) => ({ word: s.word, plural: s.plural })),
      sources: this.registries.metricSources.list().map((s) => s.word),
    };
  }

  async kpis(query: KpiQuery): Promise<KpiResult> {
    return computeKpis(this.metrics, query);
  }

  async kpiReport(query: KpiQuery): Promise<Report> {
    return kpiReport(await this.kpis(query));
  }

  async dailyValues(
    metric: string,
    range: { from: string; to: string },
    filter: { channel?: string; campaignId?: string } = {},
  ): Promise<Map<string, number | null>> {
    const definition = metricByKey(metric);
    if (!definition) throw new AppError("invalid_input", `There is no metric “${metric}”`);
    return dailyValues(this.metrics, definition, range, filter);
  }

  async freshness(): Promise<FreshnessInfo> {
    return describeFreshness(this.db, this.now(), this.settings.timeZone);
  }

  dataExtents() {
    return dataExtents(this.db);
  }

  funnelEvents(eventKeys: string[], window: { fromMs: number; toMs: number }) {
    return funnelEvents(this.db, eventKeys, window);
  }

  spendToDate(day: string) {
    return campaignSpendToDate(this.db, day);
  }

  async campaigns() {
    return (await listCampaigns(this.db)).map((c) => ({
      id: c.id,
      name: c.name,
      channel: c.channel,
      budgetMinor: c.budgetMinor,
      start: c.startDay,
      end: c.endDay,
    }));
  }

  async failedDeliveries(limit = 20): Promise<FailedDelivery[]> {
    return listFailedDeliveries(this.db, limit);
  }

  /** Imports a file (the CLI's `lift import`); what it changed is audited, by file name only. */
  async importFile(options: Omit<ImportOptions, "now">): Promise<ImportSummary> {
    const summary = await importFile(this.db, this.ingest, { ...options, now: () => this.now() });
    if (!options.dryRun && summary.accepted + summary.updated > 0)
      await this.audit("cli", "import", importAudit(summary));
    return summary;
  }

  aroundThen(window: AlertWindow, subject: AlertSubject): Promise<string[]> {
    return this.registries.contextProviders.collect(window, subject, this.logger);
  }

  /** Runs a command for a person and stores the answer (buttons under it act on the stored answer). */
  async answer(text: string, asker: Asker): Promise<Report> {
    const started = performance.now();
    // What was asked is never logged (a question may hold a customer's email): only what it became.
    const where = { surface: asker.surface ?? surfaceOfActor(asker.userId) };
    let report: Report;
    try {
      report = await this.registries.commands.run(text, asker);
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      if (error instanceof AppError && error.code !== "internal")
        this.logger.info({ ...where, code: error.code, ms }, "a command was refused");
      else this.logger.error({ ...where, err: error, ms }, "a command failed");
      throw error;
    }
    this.logger.info(
      { ...where, kind: report.kind, ms: Math.round(performance.now() - started) },
      "answered",
    );
    return this.answers.store(report, {
      // What the answer stands for: a question in plain words is stored as the command it was read as.
      command: report.command ?? text.trim(),
      userId: asker.userId,
      channelId: asker.channelId,
      question: report.forgetAsked ? undefined : (asker.asked ?? text).trim(),
    });
  }

  /** Records who changed what: admins' actions on experiments, sources, segments. */
  async audit(actor: string, action: string, detail: string | Record<string, unknown>): Promise<void> {
    const text = typeof detail === "string" ? detail : JSON.stringify(detail);
    await insertAudit(this.db, { at: this.now(), actor, action, detail: text });
  }

  async seedDemo(
    options: DemoOptions,
    onDay?: (done: number, total: number) => void,
    only?: (partId: string) => boolean,
  ): Promise<SeedSummary> {
    const parts = this.registries.demoParts.list().filter((part) => (only ? only(part.id) : true));
    const summary = await seedDemo(this.ingest, parts, options, onDay);
    if (options.derive !== false)
      for (const part of parts) await part.finish?.(this.contextFor(this.registries.demoParts.ownerOf(part)));
    return summary;
  }

  demoDays(): number {
    return DEMO_DAYS;
  }

  async status(): Promise<Status> {
    const counts = await tableCounts(this.db);
    for (const { count } of this.registries.counts) Object.assign(counts, await count());
    return {
      counts,
      warnings: accessWarnings(await this.access.policy()),
      freshness: await this.freshness(),
      timeZone: this.settings.timeZone,
      currency: this.settings.currency,
    };
  }

  /** Changes whenever any source delivers new data (for live views). */
  async dataVersion(): Promise<string> {
    return dataVersion(this.db);
  }

  async hasData(): Promise<boolean> {
    return hasAnyData(this.db);
  }

  /** Makes the day sets of people for the last 400 days that are missing or behind; returns how many. */
  async prepareDaySets(now: number): Promise<number> {
    const today = dayOf(now, this.settings.timeZone);
    return prepareDaySets(this.db, addDays(today, -400), today);
  }

  /** Whether Lift can take data now (disk space, a real write, integrity), with the reason when not. */
  async readiness(): Promise<Readiness> {
    return this.readinessCheck.check();
  }

  /**
   * Days in the database were cut in one time zone and currency. Changing
   * LIFT_TIMEZONE re-cuts them (rollups rebuilt); changing LIFT_CURRENCY is
   * refused, since stored amounts cannot be re-read in another currency.
   */
  async checkSettings(): Promise<{ rebuilt: boolean }> {
    const storedZone = await getMeta(this.db, "rollup_timezone");
    const storedCurrency = await getMeta(this.db, "currency");
    const hasData = await this.hasData();
    if (storedCurrency !== null && storedCurrency !== this.settings.currency && hasData) {
      throw new AppError(
        "invalid_config",
        `This database holds amounts in ${storedCurrency}, but LIFT_CURRENCY is ${this.settings.currency}`,
        { hint: `set LIFT_CURRENCY=${storedCurrency}, or use a new DATABASE_URL` },
      );
    }
    await setMeta(this.db, "currency", this.settings.currency);
    if (storedZone === this.settings.timeZone) return { rebuilt: false };
    if (storedZone !== null && hasData) {
      this.logger.warn(
        { from: storedZone, to: this.settings.timeZone },
        "reporting time zone changed: rebuilding daily rollups",
      );
      await rebuildRollups(this.db, dayCutter(this.settings.timeZone));
    }
    await setMeta(this.db, "rollup_timezone", this.settings.timeZone);
    return { rebuilt: storedZone !== null && hasData };
  }
}
