import { type Db, tablesOf } from "../../../db/client.ts";
import { type EventWrite, writeEvents } from "../../../db/platform/queries/events.ts";
import type { ImportCheckpoint, SourceProgress } from "../../../db/platform/queries/imports.ts";
import { AppError } from "../base/errors.ts";
import type { Logger } from "../base/log.ts";
import { dayCutter } from "../time/zone.ts";
import { GroupCommit, type Written } from "./group-commit.ts";
import type { DataKind, DataKinds, IngestGuard, NormalizeContext, Normalized, RowGuard } from "./kinds.ts";
import type { MoneyPolicy } from "./money.ts";
import type { EventObserver } from "./observers.ts";
import { emptyResult, type IngestResult } from "./result.ts";
import { type DateFormat, parseTimestamp } from "./values.ts";
import type { EventCommitter } from "./writer-thread.ts";

export interface IngestDeps {
  db: Db;
  timeZone: string;
  money: MoneyPolicy;
  /** The kinds of data Lift takes in (from the capability list). */
  kinds: DataKinds;
  /** What capabilities read from events as they are validated, and write with each batch. */
  observers: readonly EventObserver[];
  now?: () => number;
  /** Where grouped event writes go (a writer thread); in-process group commit by default. */
  committer?: EventCommitter;
  /** Checks every batch goes through before it is written (contributed; read when a batch comes). */
  guards?: () => readonly IngestGuard[];
  /** Each batch is logged at debug (counts and the first reasons rows were refused). */
  logger?: Logger;
}

export interface BatchOptions {
  /** How to read slashed dates (03/04/2026) in this batch. */
  dateFormat?: DateFormat | undefined;
  /** File import progress, committed together with the batch. */
  checkpoint?: ImportCheckpoint | undefined;
  /** A pulled source's new cursor and status, committed together with the batch. */
  source?: SourceProgress | undefined;
  /** When the batch was received (HTTP); defaults to now. */
  receivedAt?: number | undefined;
  /** Validate and normalise only; write nothing (duplicates cannot be told apart then). */
  dryRun?: boolean | undefined;
  /**
   * A refunded, cancelled or failed order takes the stored one out of orders and revenue (shop
   * connectors, which see an order's whole life); without it such rows are rejected as not
   * orders (a file's refunded rows are its own, never a change to one imported before).
   */
  voids?: boolean | undefined;
}

/** Events more than a day in the future are refused: a wrong clock, not a real event. */
const FUTURE_TOLERANCE_MS = 86_400_000;

/**
 * The one door for data: validate → normalise → dedupe by stable id → write
 * each batch in one transaction (with its rollups). Every kind of data takes
 * the same path (its DataKind says how to read and write a row). Rejected rows
 * are listed with their reason and never stop the valid ones.
 */
export class Ingest {
  private readonly cutDay: (ms: number) => string;
  private readonly now: () => number;
  /** In-process group commit, unless a writer thread was handed in. */
  private readonly eventCommits: Pick<EventCommitter, "submit">;

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? Date.now;
    this.cutDay = dayCutter(deps.timeZone);
    this.eventCommits =
      deps.committer ??
      new GroupCommit<EventWrite>(async (rows) => {
        const written = await writeEvents(
          deps.db,
          rows,
          { receivedAt: this.now() },
          deps.observers.map((o) => o.step),
        );
        return { counts: written.counts, outcomes: written.outcomes };
      });
  }

  /** The kind named, or an error that lists the kinds there are. */
  kind(name: string): DataKind {
    const kind = this.deps.kinds.get(name);
    if (!kind) {
      throw new AppError("invalid_input", `“${name}” is not something Lift takes in`, {
        hint: `kinds: ${this.deps.kinds.names().join(", ")}`,
      });
    }
    return kind;
  }

  /** Writes a batch of one kind in one transaction. */
  async write(
    kindName: string,
    inputs: readonly unknown[],
    options: BatchOptions = {},
  ): Promise<IngestResult> {
    const kind = this.kind(kindName);
    const receivedAt = options.receivedAt ?? this.now();
    const writeOptions = { checkpoint: options.checkpoint, source: options.source, receivedAt };
    return this.run(kind, inputs, options, receivedAt, (rows) =>
      // With a writer thread, events are written there while this thread reads the next batch.
      kind.name === "events" && this.deps.committer
        ? this.deps.committer.write(rows as EventWrite[], writeOptions)
        : kind.write(tablesOf(this.deps.db), rows, writeOptions),
    );
  }

  /**
   * Events from many concurrent callers (HTTP requests) share one commit:
   * each caller is answered once the transaction holding its rows commits.
   */
  async eventsGrouped(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    const receivedAt = options.receivedAt ?? this.now();
    return this.run(this.kind("events"), inputs, options, receivedAt, (rows) =>
      this.eventCommits.submit(rows as EventWrite[]),
    );
  }

  private context(options: BatchOptions, receivedAt: number): NormalizeContext {
    const { timeZone } = this.deps;
    const now = this.now();
    const time = (value: unknown, field: string, allowFuture = false): Normalized<number> => {
      const parsed = parseTimestamp(value, { timeZone, dateFormat: options.dateFormat });
      if (!parsed.ok) return { error: `${field} ${parsed.error}` };
      if (!allowFuture && parsed.value > now + FUTURE_TOLERANCE_MS) {
        return { error: `${field} ${new Date(parsed.value).toISOString()} is in the future` };
      }
      return { value: parsed.value };
    };
    return {
      timeZone,
      money: this.deps.money,
      receivedAt,
      dateFormat: options.dateFormat,
      sourceId: options.source?.id,
      voids: options.voids ?? false,
      cutDay: this.cutDay,
      observers: this.deps.observers,
      time,
      optionalTime: (value, field, allowFuture) =>
        value === undefined || value === null || value === ""
          ? { value: null }
          : time(value, field, allowFuture),
    };
  }

  /** The checks of this batch (those with something to refuse). */
  private async guards(): Promise<RowGuard[]> {
    const guards: RowGuard[] = [];
    for (const guard of this.deps.guards?.() ?? []) {
      const prepared = await guard.prepare();
      if (prepared) guards.push(prepared);
    }
    return guards;
  }

  /** Normalises every input, writes the valid ones in one transaction, and merges the outcomes. */
  private async run(
    kind: DataKind,
    inputs: readonly unknown[],
    options: BatchOptions,
    receivedAt: number,
    write: (rows: unknown[]) => Promise<Written>,
  ): Promise<IngestResult> {
    const context = this.context(options, receivedAt);
    const result = emptyResult();
    const rows: unknown[] = [];
    const positions: number[] = [];
    const guards = kind.identifiers ? await this.guards() : [];
    inputs.forEach((input, index) => {
      const normalized = kind.normalize(input, context);
      if ("error" in normalized) {
        result.rejected.push({ index, reason: normalized.error });
        return;
      }
      if (guards.length > 0) {
        const refs = kind.identifiers!(normalized.value);
        for (const guard of guards) {
          const refused = guard(refs);
          if (refused) {
            result.rejected.push({ index, reason: refused });
            return;
          }
        }
      }
      rows.push(normalized.value);
      positions.push(index);
    });
    if (options.dryRun) {
      result.accepted = rows.length;
      return result;
    }
    const written = await write(rows);
    result.accepted = written.counts.accepted;
    result.updated = written.counts.updated;
    result.duplicates = written.counts.duplicates;
    result.stale = written.counts.stale;
    written.outcomes.forEach((outcome, i) => {
      if (typeof outcome === "object") result.rejected.push({ index: positions[i]!, reason: outcome.error });
    });
    result.rejected.sort((a, b) => a.index - b.index);
    this.deps.logger?.debug(
      {
        kind: kind.name,
        rows: inputs.length,
        accepted: result.accepted,
        updated: result.updated,
        duplicates: result.duplicates,
        rejected: result.rejected.length,
        reasons: [...new Set(result.rejected.slice(0, 20).map((r) => r.reason))].slice(0, 3),
      },
      "batch taken in",
    );
    return result;
  }
}
