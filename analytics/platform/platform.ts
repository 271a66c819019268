import type { Db } from "../../db/client.ts";
import { prepareDaySets } from "../../db/platform/queries/day-people.ts";
import { dataVersion, getMeta, setMeta } from "../../db/platform/queries/meta.ts";
import { hasAnyData, tableCounts } from "../../db/platform/queries/metrics.ts";
import { rebuildRollups } from "../../db/platform/queries/rollups.ts";
import { insertAudit } from "../../db/platform/queries/schedules.ts";
import { Sources } from "../capabilities/sources/index.ts";
import { Answers } from "./answers/index.ts";
import type { Asker } from "./commands/runner.ts";
import { DeliveryQueue } from "./delivery/delivery.ts";
import { ConsoleFeed, type FailedDelivery, listFailedDeliveries } from "./delivery/feed.ts";
import { type DemoOptions, type SeedSummary, seedDemo } from "./demo/index.ts";
import { AppError } from "./errors.ts";
import { type ImportOptions, type ImportSummary, Ingest, importFile } from "./ingest/index.ts";
import type { EventCommitter } from "./ingest/writer-thread.ts";
import { WriteKeys } from "./keys/index.ts";
import type { Logger } from "./log.ts";
import { metricByKey } from "./metrics/definitions.ts";
import { describeFreshness, type FreshnessInfo } from "./metrics/freshness.ts";
import { computeKpis, dailyValues, type KpiQuery, type KpiResult, type MetricsDeps } from "./metrics/kpis.ts";
import { kpiReport } from "./metrics/report.ts";
import { type Readiness, ReadinessCheck } from "./readiness.ts";
import type { Registries } from "./registries.ts";
import type { Report } from "./reports/report.ts";
import { Conversations } from "./slack-threads/index.ts";
import { Schedules } from "./subscriptions/subscriptions.ts";
import { addDays, dayCutter, dayOf } from "./time/zone.ts";

/** The language model's settings (OPENAI_API_KEY, OPENAI_BASE_URL, LIFT_LLM_*); none: ask works without one. */
export interface ModelSettings {
  apiKey: string;
  /** Any OpenAI-compatible server (a local one included); the SDK's default when unset. */
  baseURL?: string | undefined;
  model: string;
  /** OpenAI's API takes max_completion_tokens; many local servers only max_tokens. */
  tokenParam: "max_completion_tokens" | "max_tokens";
  /** Caps per question: model calls, tokens (prompt and completion), and time. */
  maxSteps: number;
  maxTokens: number;
  timeoutMs: number;
}

export interface CoreSettings {
  timeZone: string;
  currency: string;
  fxRates: Record<string, number>;
  /** A scheduled run missed by more than this is skipped, not sent late (default 2 h). */
  catchUpGraceMs?: number;
  /** Pulled sources may fetch private and loopback addresses (LIFT_SOURCES_ALLOW_PRIVATE). */
  sourcesAllowPrivate?: boolean;
  /** Where experiment alerts go when an experiment names no channel (LIFT_EXPERIMENTS_CHANNEL); else "console". */
  experimentsChannel?: string;
  /** Credentials connector kinds need (Reddit, Bluesky), by name. */
  credentials?: Record<string, string | undefined>;
  /** A language model for ask (OPENAI_API_KEY …); without one, ask reads questions itself. */
  model?: ModelSettings;
}

export interface PlatformDeps {
  db: Db;
  settings: CoreSettings;
  logger: Logger;
  /** What the capabilities contribute (commands, sections, alert kinds, data kinds, …). */
  registries: Registries;
  now?: () => number;
  /** Writes grouped (HTTP) events on a writer thread instead of in process. */
  committer?: EventCommitter;
  /** Free bytes on the database's disk (tests give a full disk). */
  freeBytes?: (path: string) => number | null;
}

export interface Status {
  counts: Record<string, number>;
  freshness: FreshnessInfo;
  timeZone: string;
  currency: string;
}

/**
 * The platform as capabilities see it: the database (through db/ queries),
 * settings, the clock, and the services every capability shares — ingest,
 * metrics, schedules and delivery, stored answers, pulled sources. Edges never
 * get it: they talk to `Core`.
 */
export class Platform {
  readonly db: Db;
  readonly settings: CoreSettings;
  readonly logger: Logger;
  readonly now: () => number;
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
  readonly sources: Sources;
  readonly conversations: Conversations;

  constructor(deps: PlatformDeps) {
    this.db = deps.db;
    this.settings = deps.settings;
    this.logger = deps.logger;
    this.now = deps.now ?? Date.now;
    this.registries = deps.registries;
    this.ingest = new Ingest({
      db: deps.db,
      timeZone: deps.settings.timeZone,
      money: { currency: deps.settings.currency, rates: deps.settings.fxRates },
      kinds: deps.registries.dataKinds,
      now: this.now,
      ...(deps.committer ? { committer: deps.committer } : {}),
    });
    this.keys = new WriteKeys(deps.db, this.now);
    this.readinessCheck = new ReadinessCheck(deps.db, this.now, deps.freeBytes);
    this.deliveries = new DeliveryQueue(deps.db, deps.logger);
    this.feed = new ConsoleFeed(deps.db, this.now);
    this.answers = new Answers(deps.db, this.now);
    this.conversations = new Conversations(deps.db, this.now);
    this.schedules = new Schedules(this, this.deliveries, deps.settings.catchUpGraceMs ?? 2 * 3600_000);
    this.sources = new Sources({
      db: deps.db,
      ingest: this.ingest,
      connectors: deps.registries.connectors,
      logger: deps.logger,
      now: this.now,
      allowPrivate: deps.settings.sourcesAllowPrivate ?? false,
      credentials: deps.settings.credentials ?? {},
    });
  }

  /** Today's date in the reporting time zone. */
  today(): string {
    return dayOf(this.now(), this.settings.timeZone);
  }

  /** What the metrics functions need: the database, the zone, the currency and the clock. */
  get metrics(): MetricsDeps {
    return { db: this.db, timeZone: this.settings.timeZone, currency: this.settings.currency, now: this.now };
  }

  async kpis(query: KpiQuery): Promise<KpiResult> {
    return computeKpis(this.metrics, query);
  }

  async kpiReport(query: KpiQuery): Promise<Report> {
    return kpiReport(await this.kpis(query));
  }

  /** One metric per day over a range (no totals): for anomaly checks. */
  async dailyValues(
    metric: string,
    range: { from: string; to: string },
    filter: { channel?: string } = {},
  ): Promise<Map<string, number | null>> {
    const definition = metricByKey(metric);
    if (!definition) throw new AppError("invalid_input", `There is no metric “${metric}”`);
    return dailyValues(this.metrics, definition, range, filter);
  }

  async freshness(): Promise<FreshnessInfo> {
    return describeFreshness(this.db, this.now(), this.settings.timeZone);
  }

  /** Runs a command for a person and stores the answer (buttons under it act on the stored answer). */
  async answer(text: string, asker: Asker): Promise<Report> {
    const started = performance.now();
    // What was asked is never logged (a question may hold a customer's email): only what it became.
    const where = { surface: asker.userId === "console" || asker.userId === "cli" ? asker.userId : "slack" };
    let report: Report;
    try {
      report = await this.registries.commands.run(text, { platform: this, ...asker });
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
    });
  }

  /** Records who changed what: admins' actions on experiments, sources, segments. */
  async audit(actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
    await insertAudit(this.db, { at: this.now(), actor, action, detail: JSON.stringify(detail) });
  }

  async importFile(options: Omit<ImportOptions, "now">): Promise<ImportSummary> {
    return importFile(this.db, this.ingest, { ...options, now: this.now });
  }

  async seedDemo(
    options: DemoOptions,
    onDay?: (done: number, total: number) => void,
    only?: (partId: string) => boolean,
  ): Promise<SeedSummary> {
    const parts = this.registries.demoParts.list().filter((part) => (only ? only(part.id) : true));
    return seedDemo(this.ingest, parts, options, onDay);
  }

  async failedDeliveries(limit = 20): Promise<FailedDelivery[]> {
    return listFailedDeliveries(this.db, limit);
  }

  async status(): Promise<Status> {
    return {
      counts: await tableCounts(this.db),
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
