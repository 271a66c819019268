import type { Tables } from "../../../db/client.ts";
import {
  claimSourcePull,
  dueSources,
  getSource,
  insertSource,
  listSources,
  recordSourceFailure,
  type SourceRow,
  setSourceStatus,
} from "../../../db/sources/queries.ts";
import { AppError, describeError } from "../../platform/base/errors.ts";
import type { Logger } from "../../platform/base/log.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import { type ConnectorKind, PullError } from "./connectors.ts";
import { safeFetch } from "./http.ts";

export interface SourcesDeps {
  db: Tables;
  ingest: PlatformApi["ingest"];
  /** The connector kinds other capabilities contribute (read at each use: setup order does not matter). */
  connectors: () => readonly ConnectorKind[];
  logger: Logger;
  now: () => number;
  /** LIFT_SOURCES_ALLOW_PRIVATE: fetch private and loopback addresses (tests, sources on a company LAN). */
  allowPrivate: boolean;
  /** PULL_CAP_MS unless a test sets it. */
  pullCapMs?: number;
}

export interface SourceInfo {
  id: number;
  kind: string;
  name: string;
  status: "active" | "paused" | "deleted";
  everyMinutes: number;
  lastStatus: string | null;
  lastError: string | null;
  lastRunAt: number | null;
  lastOkAt: number | null;
  nextRunAt: number | null;
  failures: number;
  itemsTotal: number;
  /** Where the next pull resumes. */
  cursor: string | null;
}

export interface PullOutcome {
  source: SourceInfo;
  ok: boolean;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** The first rejected rows' reasons, to show a person. */
  reasons: string[];
  error?: string;
}

/** Sent with every pull, so publishers can see who reads them and how to reach us. */
export const USER_AGENT = "Lift/0.1 (self-hosted marketing analytics; pulls feeds its admins configured)";
/** How long a claimed pull is held before another process may take it over. */
const LEASE_MS = 10 * 60_000;
/**
 * The most one source's pull may take, fetch and write together: past it the source is marked
 * failed with that reason and the next source is pulled (a connector that waits on something
 * forever never holds up the others).
 */
export const PULL_CAP_MS = 2 * 60_000;
/** The longest a failing source waits between tries. */
const MAX_BACKOFF_MS = 6 * 3600_000;

function info(row: SourceRow): SourceInfo {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status,
    everyMinutes: row.everyMinutes,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    lastRunAt: row.lastRunAt,
    lastOkAt: row.lastOkAt,
    nextRunAt: row.nextRunAt,
    failures: row.failures,
    itemsTotal: row.itemsTotal,
    cursor: row.cursor,
  };
}

/** After `failures` failed pulls in a row: the source's interval, doubling, at most six hours. */
export function sourceBackoffMs(everyMinutes: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.max(60_000, everyMinutes * 60_000) * 2 ** failures);
}

/**
 * Pulled sources: connectors with a cursor, a schedule, a status and the last
 * error. Each pull writes its rows and moves its cursor in one transaction; a
 * failing source is retried with backoff and never holds up the others.
 */
export class Sources {
  constructor(private readonly deps: SourcesDeps) {}

  async add(input: {
    kind: string;
    target: string;
    everyMinutes?: number;
    owner: string;
    /**
     * A source on this machine (`lift demo --live`'s fixture server): it may fetch loopback addresses
     * whatever LIFT_SOURCES_ALLOW_PRIVATE says. Only code sets it, never a command's words.
     */
    local?: boolean;
  }): Promise<SourceInfo> {
    const connector = this.connector(input.kind);
    const configured = connector.configure(input.target.trim());
    const name = configured.name;
    const config = input.local ? { ...configured.config, local: true } : configured.config;
    const everyMinutes = input.everyMinutes ?? connector.defaultEveryMinutes;
    if (!(Number.isInteger(everyMinutes) && everyMinutes >= 1 && everyMinutes <= 7 * 24 * 60)) {
      throw new AppError("invalid_input", "A source is pulled every 1 minute to 7 days", {
        hint: "e.g. `every 15m`, `every 2h`",
      });
    }
    const row = await insertSource(this.deps.db, {
      kind: connector.kind,
      name,
      config: JSON.stringify(config),
      everyMinutes,
      owner: input.owner,
      at: this.deps.now(),
    });
    return info(row);
  }

  /** The connector kind named, or an error listing the kinds there are. */
  connector(kind: string): ConnectorKind {
    const kinds = this.deps.connectors();
    const found = kinds.find((k) => k.kind === kind.toLowerCase());
    if (!found) {
      throw new AppError("invalid_input", `“${kind}” is not a kind of source Lift pulls`, {
        hint:
          kinds.length > 0
            ? `kinds: ${kinds.map((k) => k.kind).join(", ")}`
            : "no connector kinds are installed",
      });
    }
    return found;
  }

  /** The connector kinds there are. */
  kinds(): readonly ConnectorKind[] {
    return this.deps.connectors();
  }

  async list(): Promise<SourceInfo[]> {
    return (await listSources(this.deps.db)).map(info);
  }

  async get(id: number): Promise<SourceInfo> {
    const row = await getSource(this.deps.db, id);
    if (!row) throw new AppError("not_found", `There is no source ${id}`, { hint: "`sources` lists them" });
    return info(row);
  }

  async setStatus(id: number, status: "active" | "paused" | "deleted", actor: string): Promise<SourceInfo> {
    const source = await this.get(id);
    await setSourceStatus(this.deps.db, id, status, actor, this.deps.now());
    return { ...source, status };
  }

  /** Every active source that is due, one after another; returns what each brought. */
  async pullDue(now: number, signal?: AbortSignal): Promise<PullOutcome[]> {
    const outcomes: PullOutcome[] = [];
    for (const row of await dueSources(this.deps.db, now)) {
      if (signal?.aborted) break;
      if (!(await claimSourcePull(this.deps.db, row.id, row.nextRunAt, now + LEASE_MS))) continue;
      outcomes.push(await this.pullOne(row, now));
    }
    return outcomes;
  }

  /** `lift sources pull [id]`: the named source, or every due one, now. */
  async pullNow(id?: number): Promise<PullOutcome[]> {
    const now = this.deps.now();
    if (id === undefined) return this.pullDue(now);
    const row = await getSource(this.deps.db, id);
    if (!row) throw new AppError("not_found", `There is no source ${id}`, { hint: "`sources` lists them" });
    await claimSourcePull(this.deps.db, row.id, null, now + LEASE_MS);
    return [await this.pullOne(row, now)];
  }

  private async pullOne(row: SourceRow, now: number): Promise<PullOutcome> {
    const log = { source: row.id, kind: row.kind };
    const empty = { accepted: 0, duplicates: 0, rejected: 0, reasons: [] as string[] };
    let timer: NodeJS.Timeout | undefined;
    try {
      const connector = this.connector(row.kind);
      const config = JSON.parse(row.config) as Record<string, unknown>;
      const allowPrivate = this.deps.allowPrivate || config["local"] === true;
      const capMs = this.deps.pullCapMs ?? PULL_CAP_MS;
      const pulled = await Promise.race([
        connector.pull(config, row.cursor, {
          now,
          logger: this.deps.logger,
          fetch: (url, options = {}) => safeFetch(url, { ...options, allowPrivate, userAgent: USER_AGENT }),
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new AppError(
                  "unsupported",
                  `the pull did not finish within ${capMs < 1000 ? `${capMs} ms` : `${Math.round(capMs / 1000)} s`}`,
                  {
                    hint: "the next pull tries again",
                  },
                ),
              ),
            capMs,
          );
        }),
      ]);
      clearTimeout(timer);
      const result = await this.deps.ingest.write(connector.dataKind, pulled.rows, {
        receivedAt: now,
        voids: connector.voids ?? false,
        source: { id: row.id, cursor: pulled.cursor, at: now, nextRunAt: now + row.everyMinutes * 60_000 },
      });
      if (result.accepted > 0 || result.rejected.length > 0)
        this.deps.logger.info(
          { ...log, accepted: result.accepted, rejected: result.rejected.length },
          "a source was pulled",
        );
      return {
        source: info((await getSource(this.deps.db, row.id)) ?? row),
        ok: true,
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected.length,
        reasons: result.rejected.slice(0, 5).map((r) => `item ${r.index + 1}: ${r.reason}`),
      };
    } catch (error) {
      clearTimeout(timer);
      const message = describeError(error).slice(0, 500);
      const wait = Math.max(
        error instanceof PullError ? (error.retryAfterMs ?? 0) : 0,
        sourceBackoffMs(row.everyMinutes, row.failures),
      );
      await recordSourceFailure(this.deps.db, row.id, { error: message, at: now, nextRunAt: now + wait });
      this.deps.logger.warn({ ...log, error: message, retryInMs: wait }, "a source failed to pull");
      return {
        source: info((await getSource(this.deps.db, row.id)) ?? row),
        ok: false,
        ...empty,
        error: message,
      };
    }
  }
}
