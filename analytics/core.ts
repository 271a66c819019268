import type { Db } from "../db/client.ts";
import { dataVersion, getMeta, setMeta } from "../db/queries/meta.ts";
import { hasAnyData, tableCounts } from "../db/queries/metrics.ts";
import { rebuildRollups } from "../db/queries/rollups.ts";
import { type DemoOptions, type SeedSummary, seedDemo } from "./demo/index.ts";
import { AppError } from "./errors.ts";
import { type ImportOptions, type ImportSummary, Ingest, importFile } from "./ingest/index.ts";
import type { EventCommitter } from "./ingest/writer-thread.ts";
import { WriteKeys } from "./keys/index.ts";
import type { Logger } from "./log.ts";
import { type Dashboard, dashboardFrom, TODAY_QUERY } from "./metrics/dashboard.ts";
import { metricByKey } from "./metrics/definitions.ts";
import { describeFreshness, type FreshnessInfo } from "./metrics/freshness.ts";
import { type FunnelQuery, funnelReport } from "./metrics/funnels.ts";
import { computeKpis, dailyValues, type KpiQuery, type KpiResult } from "./metrics/kpis.ts";
import { pacingReport } from "./metrics/pacing.ts";
import { kpiReport } from "./metrics/report.ts";
import type { Report } from "./reports/report.ts";
import { DeliveryQueue } from "./schedules/delivery.ts";
import { createDigestSections } from "./schedules/digest.ts";
import { ConsoleFeed, type FailedDelivery, listFailedDeliveries } from "./schedules/feed.ts";
import { Schedules } from "./schedules/subscriptions.ts";
import { dayCutter, dayOf } from "./time/zone.ts";

export interface CoreSettings {
  timeZone: string;
  currency: string;
  fxRates: Record<string, number>;
  /** A scheduled run missed by more than this is skipped, not sent late (default 2 h). */
  catchUpGraceMs?: number;
}

export interface CoreDeps {
  db: Db;
  settings: CoreSettings;
  logger: Logger;
  now?: () => number;
  /** Writes grouped (HTTP) events on a writer thread instead of in process. */
  committer?: EventCommitter;
}

export interface Status {
  counts: Record<string, number>;
  freshness: FreshnessInfo;
  timeZone: string;
  currency: string;
}

/**
 * The analytics core as the edges see it: the Slack bot, the console, the CLI
 * and the HTTP API all call these same functions.
 */
export class Core {
  readonly db: Db;
  readonly settings: CoreSettings;
  readonly logger: Logger;
  readonly now: () => number;
  readonly ingest: Ingest;
  readonly keys: WriteKeys;
  /** The one queue every scheduled or alert message goes through. */
  readonly deliveries: DeliveryQueue;
  readonly schedules: Schedules;
  /** The local Notifier's feed: what would have gone to Slack, for the console. */
  readonly feed: ConsoleFeed;

  constructor(deps: CoreDeps) {
    this.db = deps.db;
    this.settings = deps.settings;
    this.logger = deps.logger;
    this.now = deps.now ?? Date.now;
    this.ingest = new Ingest({
      db: deps.db,
      timeZone: deps.settings.timeZone,
      money: { currency: deps.settings.currency, rates: deps.settings.fxRates },
      now: this.now,
      ...(deps.committer ? { committer: deps.committer } : {}),
    });
    this.keys = new WriteKeys(deps.db, this.now);
    this.deliveries = new DeliveryQueue(deps.db, deps.logger);
    this.feed = new ConsoleFeed(deps.db, this.now);
    this.schedules = new Schedules(
      this,
      this.deliveries,
      createDigestSections(),
      deps.settings.catchUpGraceMs ?? 2 * 3600_000,
    );
  }

  /** Today's date in the reporting time zone. */
  today(): string {
    return dayOf(this.now(), this.settings.timeZone);
  }

  private get metricsDeps() {
    return { db: this.db, timeZone: this.settings.timeZone, currency: this.settings.currency, now: this.now };
  }

  async kpis(query: KpiQuery): Promise<KpiResult> {
    return computeKpis(this.metricsDeps, query);
  }

  /** One metric per day over a range (no totals): for anomaly checks. */
  async dailyValues(
    metric: string,
    range: { from: string; to: string },
    filter: { channel?: string } = {},
  ): Promise<Map<string, number | null>> {
    const definition = metricByKey(metric);
    if (!definition) throw new AppError("invalid_input", `There is no metric “${metric}”`);
    return dailyValues(this.metricsDeps, definition, range, filter);
  }

  async kpiReport(query: KpiQuery): Promise<Report> {
    return kpiReport(await this.kpis(query));
  }

  async funnelReport(query: FunnelQuery): Promise<Report> {
    return funnelReport(this.metricsDeps, query);
  }

  async pacingReport(): Promise<Report> {
    return pacingReport(this.metricsDeps, this.settings.currency);
  }

  /** Scheduled messages that could not be delivered after their last retry. */
  async failedDeliveries(limit = 20): Promise<FailedDelivery[]> {
    return listFailedDeliveries(this.db, limit);
  }

  /** Today's tiles and the 30-day revenue trend by channel, for the live console dashboard. */
  async dashboard(): Promise<Dashboard> {
    const today = await this.kpis(TODAY_QUERY);
    const channels = await this.kpis({
      metrics: ["revenue"],
      period: { kind: "last_days", n: 30 },
      compare: "none",
      by: "channel",
      filter: {},
    });
    const byChannel = await Promise.all(
      channels.groups.map(async (group) => ({
        channel: group.key,
        result: await this.kpis({
          metrics: ["revenue"],
          period: { kind: "last_days", n: 30 },
          compare: "none",
          by: "day",
          filter: { channel: group.key },
        }),
      })),
    );
    return dashboardFrom(today, byChannel);
  }

  async importFile(options: Omit<ImportOptions, "now">): Promise<ImportSummary> {
    return importFile(this.db, this.ingest, { ...options, now: this.now });
  }

  async seedDemo(options: DemoOptions, onDay?: (done: number, total: number) => void): Promise<SeedSummary> {
    return seedDemo(this.ingest, options, onDay);
  }

  async freshness(): Promise<FreshnessInfo> {
    return describeFreshness(this.db, this.now(), this.settings.timeZone);
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
