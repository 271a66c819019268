import type { ConnectorKind } from "../capabilities/sources/connectors.ts";
import type { AlertKind, ContextProvider } from "./alerting/alert-kinds.ts";
import type { CliVerb } from "./cli.ts";
import type { Command } from "./commands/registry.ts";
import type { DemoPart } from "./demo/parts.ts";
import type { DigestSection } from "./digest/digest.ts";
import type { DataKind } from "./ingest/kinds.ts";
import type { Job } from "./jobs/jobs.ts";
import type { Platform } from "./platform.ts";
import type { HomeSection } from "./surfaces/home.ts";
import type { Panel } from "./surfaces/panels.ts";

/**
 * A capability: one folder under analytics/ and one line in the list
 * (analytics/capabilities.ts). It contributes, through this contract, whatever
 * it needs; every part is optional. main.ts, the answer thread, the CLI, the
 * scheduler, the console, the demo seeder and `npm run bench` read only the list.
 */
export interface Capability {
  /** The folder's name under analytics/. */
  name: string;
  /** One line for README and `lift help`. */
  summary: string;
  /** Commands of the one language Slack, the console and `lift run` speak. */
  commands?: Command[];
  /** The command a question goes to when its first word is no command (only one capability says so). */
  fallback?: string;
  /** Verbs of the `lift` CLI (admin tasks such as imports and exports live here). */
  cliVerbs?: CliVerb[];
  digestSections?: DigestSection[];
  homeSections?: HomeSection[];
  panels?: Panel[];
  alertKinds?: AlertKind[];
  /** Say what else happened around an alert (a KPI change, an experiment that started). */
  contextProviders?: ContextProvider[];
  jobs?: Job[];
  /** Kinds of data taken in (imported, pushed over HTTP, pulled). */
  dataKinds?: DataKind[];
  /** Kinds of pulled source (RSS, Mastodon, …). */
  connectors?: ConnectorKind[];
  /** Demo data, each part on its own random stream. */
  demo?: DemoPart[];
  /** Files too large for an answer's table (a segment's members), streamed when asked for. */
  downloads?: Download[];
  bench?: BenchEntry[];
}

/**
 * The full data behind an answer, streamed as CSV lines when someone asks for
 * the file (an answer's `download` names it): never built as one table.
 */
export interface Download {
  source: string;
  /** Only admins may have it (personal data: emails). */
  adminOnly: boolean;
  lines(platform: Platform, key: string): Iterable<string> | AsyncIterable<string>;
}

/** One figure of `npm run bench`: a ratio against a baseline measured in the same run, and the absolute figure beside it. */
export interface BenchResult {
  name: string;
  ratio: number;
  goal: string;
  detail: string;
}

/** What a capability's benchmark gets from `npm run bench`. */
export interface BenchContext {
  quick: boolean;
  /** bench/.cache: for databases built once and reused. */
  cacheDir: string;
  /** A fresh platform on a new database file under the cache. */
  freshPlatform(name: string): Platform;
  /** The 10M-event workspace (1M with --quick), built once into the cache. */
  largePlatform(): Promise<Platform>;
  /** Median of a few timed runs, in milliseconds. */
  medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number>;
  /** /usr/bin/python3 with a script on stdin: stdout, or null when Python (or a module) is missing. */
  python(script: string, env?: Record<string, string>): Promise<string | null>;
}

export interface BenchEntry {
  /** The word for `npm run bench -- --only <name>`. */
  name: string;
  run(context: BenchContext): Promise<BenchResult[]>;
}
