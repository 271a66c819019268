import type { AccessPolicy } from "./access/policy.ts";
import type { StoredAnswer } from "./answers/index.ts";
import { AppError } from "./base/errors.ts";
import type { Logger } from "./base/log.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import { type CommandRunner, inProcessRunner } from "./commands/runner.ts";
import type { CapabilityContext, CliVerb, HttpRoute, Panel, SuggestedPrompt } from "./contract/capability.ts";
import type { CliIo, CliOutcome } from "./contract/cli.ts";
import type { FailedDelivery, FeedItem } from "./delivery/feed.ts";
import type { Notifier } from "./delivery/notifier.ts";
import {
  DEMO_DAYS,
  type DemoOptions,
  type LiveDemoPart,
  liveVisits,
  type SeedSummary,
} from "./demo/index.ts";
import type { BatchOptions, DataKind, ImportOptions, ImportSummary, IngestResult } from "./ingest/index.ts";
import { retryJobRuns, runJobOnce } from "./jobs/job-runs.ts";
import type { Job } from "./jobs/jobs.ts";
import type { WriteKeys } from "./keys/index.ts";
import type { FreshnessInfo } from "./metrics/freshness.ts";
import { type CoreSettings, Platform, type PlatformDeps, type Status } from "./platform.ts";
import type { Readiness } from "./readiness.ts";
import { type Report, simpleReport } from "./reports/report.ts";
import type { Conversations } from "./slack-threads/index.ts";

export type { CoreSettings, Status };

/**
 * The analytics core as the edges see it (the Slack bot, the console, the CLI,
 * the HTTP API and the scheduler). It keeps the database and the platform's
 * services to itself: edges ask questions, read panels, run jobs and verbs,
 * and take data in through these methods, and never build a query.
 */
/** How far seeding the demo workspace has got (the console shows it while it runs). */
export interface Seeding {
  done: number;
  total: number;
  startedAt: number;
}

export class Core {
  readonly #platform: Platform;
  #seeding: Seeding | null = null;

  constructor(deps: PlatformDeps) {
    this.#platform = new Platform(deps);
  }

  get settings(): CoreSettings {
    return this.#platform.settings;
  }

  get logger(): Logger {
    return this.#platform.logger;
  }

  now(): number {
    return this.#platform.now();
  }

  /** Today's date in the reporting time zone. */
  today(): string {
    return this.#platform.today();
  }

  /** The one command language every transport speaks (to resolve a command and check who may run it). */
  get commands(): CommandRegistry {
    return this.#platform.registries.commands;
  }

  /** Runs commands on the calling thread (the CLI, tests); a server uses the answer thread. */
  runner(): CommandRunner {
    return inProcessRunner(this.#platform);
  }

  /** A person's 👍 or 👎 on an answer they were shown. */
  async feedback(answerId: string, userId: string, value: "good" | "bad"): Promise<void> {
    await this.#platform.answers.feedback(answerId, userId, value);
  }

  /**
   * Questions for the assistant panel from the workspace's own data (what just happened that is
   * worth asking about), for the channel the person is viewing; at most four, none twice. A
   * source that fails is logged and left out.
   */
  async suggestedPrompts(channelId?: string, topic?: string): Promise<SuggestedPrompt[]> {
    const { prompts } = this.#platform.registries;
    const found: SuggestedPrompt[] = [];
    for (const source of [...prompts.list()].sort((a, b) => a.order - b.order)) {
      try {
        found.push(
          ...(await source.build({ ...this.#platform.contextFor(prompts.ownerOf(source)), channelId })),
        );
      } catch (error) {
        this.#platform.logger.warn({ err: error, source: source.id }, "a prompt source failed");
      }
    }
    const seen = new Set<string>();
    const unique = found.filter((p) => !seen.has(p.message) && seen.add(p.message));
    // The channel's topic ("Paid social: spend and ROAS") puts the prompts about what it names first.
    const words = new Set((topic ?? "").toLowerCase().match(/[a-z]{4,}/g) ?? []);
    const overlap = (p: SuggestedPrompt) =>
      (`${p.title} ${p.message}`.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((w) => words.has(w)).length;
    return unique
      .map((prompt, i) => ({ prompt, i, score: overlap(prompt) }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .map((p) => p.prompt)
      .slice(0, 4);
  }

  /** A stored answer (what a person was shown), for the buttons under it. */
  async answer(id: string): Promise<StoredAnswer | null> {
    return this.#platform.answers.get(id);
  }

  /** A person's App Home: every capability's section. */
  async home(userId: string): Promise<Report[]> {
    return this.#platform.registries.homeSections.build(userId, this.#platform.logger);
  }

  /** The HTTP routes capabilities serve on one surface, each with its owner's context. */
  routes(surface: HttpRoute["surface"]): { route: HttpRoute; context: CapabilityContext }[] {
    const routes = this.#platform.registries.routes;
    return routes
      .list()
      .filter((route) => route.surface === surface)
      .map((route) => ({ route, context: this.#platform.contextFor(routes.ownerOf(route)) }));
  }

  /** The console's panels, in order. */
  panels(): readonly Panel[] {
    return this.#platform.registries.panels.list();
  }

  /** One panel's reports; a panel that fails is logged and shows its error in place. */
  async panel(id: string, userId: string): Promise<Report[]> {
    const panel = this.#platform.registries.panels.get(id);
    if (!panel) throw new AppError("not_found", `There is no panel “${id}”`);
    try {
      return await this.#platform.registries.panels.build(panel, userId);
    } catch (error) {
      this.#platform.logger.error({ err: error, panel: id }, "a console panel failed");
      return [
        simpleReport(
          "panel_error",
          panel.title,
          "This panel could not be built just now; it has been logged.",
          {
            warnings: [error instanceof AppError ? error.message : "an internal error"],
          },
        ),
      ];
    }
  }

  get keys(): WriteKeys {
    return this.#platform.keys;
  }

  /** Who may do what in Slack (the Slack transport checks each person against it). */
  accessPolicy(): Promise<AccessPolicy> {
    return this.#platform.access.policy();
  }

  /** Events from concurrent HTTP requests, committed together. */
  async ingestEvents(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    return this.#platform.ingest.eventsGrouped(inputs, options);
  }

  /** A batch of any kind of data (mentions pushed over HTTP, a row from a script). */
  async ingest(kind: string, inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    return this.#platform.ingest.write(kind, inputs, options);
  }

  /** The kinds of data Lift takes in, for `lift import` and its help. */
  dataKinds(): readonly DataKind[] {
    return this.#platform.registries.dataKinds.list();
  }

  async importFile(options: Omit<ImportOptions, "now">): Promise<ImportSummary> {
    return this.#platform.importFile(options);
  }

  async seedDemo(options: DemoOptions, onDay?: (done: number, total: number) => void): Promise<SeedSummary> {
    this.#seeding = { done: 0, total: DEMO_DAYS, startedAt: this.now() };
    try {
      return await this.#platform.seedDemo(options, (done, total) => {
        this.#seeding = { done, total, startedAt: this.#seeding?.startedAt ?? this.now() };
        onDay?.(done, total);
      });
    } finally {
      this.#seeding = null;
    }
  }

  /** While the demo workspace is being seeded: how far it has got; null otherwise. */
  get seeding(): Seeding | null {
    return this.#seeding;
  }

  /** The CSV lines of an answer's `download`, streamed; null when its source is unknown. */
  async download(
    source: string,
    key: string,
  ): Promise<{ personal: boolean; lines: Iterable<string> | AsyncIterable<string> } | null> {
    const download = this.#platform.registries.downloads.get(source);
    if (!download) return null;
    const context = this.#platform.contextFor(this.#platform.registries.downloads.ownerOf(download));
    return { personal: download.personal, lines: await download.lines(context, key) };
  }

  /** What the demo parts show working live (`lift demo --live`): started here, each with its stop. */
  async startLiveDemoParts(): Promise<LiveDemoPart[]> {
    const started: LiveDemoPart[] = [];
    for (const part of this.#platform.registries.demoParts.list())
      if (part.live) started.push(await part.live());
    return started;
  }

  /** Live demo visits for `lift demo --live`, under the run's own id prefix. */
  liveVisits(options: DemoOptions): (at: number, visits: number) => Record<string, unknown>[] {
    return liveVisits(options);
  }

  async freshness(): Promise<FreshnessInfo> {
    return this.#platform.freshness();
  }

  async status(): Promise<Status> {
    return this.#platform.status();
  }

  async dataVersion(): Promise<string> {
    return this.#platform.dataVersion();
  }

  async hasData(): Promise<boolean> {
    return this.#platform.hasData();
  }

  /** Whether Lift can take data now (disk space, a real write, integrity), with the reason when not. */
  async readiness(): Promise<Readiness> {
    return this.#platform.readiness();
  }

  async checkSettings(): Promise<{ rebuilt: boolean }> {
    return this.#platform.checkSettings();
  }

  /** Seals personal values stored before sealing (an upgraded database), once. */
  sealStored(onStart?: () => void, onProgress?: (table: string, rows: number) => void): Promise<boolean> {
    return this.#platform.people.sealStored(onStart, onProgress);
  }

  /** What the local Notifier delivered (the console's feed). */
  async feed(limit = 50): Promise<FeedItem[]> {
    return this.#platform.feed.list(limit);
  }

  /** The local Notifier itself (digests and alerts to the console). */
  get consoleNotifier(): Notifier {
    return this.#platform.feed;
  }

  /** A clock of a request's own: `now()` answers `at` for everything `work` does (the answer thread). */
  at<T>(at: number, work: () => T): T {
    return this.#platform.clock.at(at, work);
  }

  async failedDeliveries(limit = 20): Promise<FailedDelivery[]> {
    return this.#platform.failedDeliveries(limit);
  }

  /** Slack event ids handled and thread contexts, for the Slack transport. */
  get conversations(): Conversations {
    return this.#platform.conversations;
  }

  /** The jobs the capabilities contribute; the scheduler decides when each runs. */
  jobs(): readonly Job[] {
    return this.#platform.registries.jobs.list();
  }

  /** Runs one scheduled run of a job, once across every process on the database. */
  async runJob(
    name: string,
    scheduledFor: number,
    notifier: Notifier,
  ): Promise<"ran" | "skipped" | "failed"> {
    const job = this.#platform.registries.jobs.get(name);
    if (!job) throw new AppError("not_found", `There is no job “${name}”`);
    return runJobOnce(this.#platform, job, notifier, scheduledFor);
  }

  /** Runs again what crashed or was left running by a dead process. */
  async retryJobs(notifier: Notifier): Promise<number> {
    return retryJobRuns(this.#platform, this.jobs(), notifier);
  }

  /** The CLI verbs the capabilities contribute. */
  cliVerbs(): readonly CliVerb[] {
    return this.#platform.registries.cliVerbs.list();
  }

  async runCliVerb(verb: CliVerb, args: string[], io: CliIo): Promise<CliOutcome> {
    const owner = this.#platform.registries.cliVerbs.ownerOf(verb);
    return verb.run(args, { ...this.#platform.contextFor(owner), io });
  }
}
