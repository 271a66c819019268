import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Db } from "../../../db/client.ts";
import { getImportCheckpoint, saveCheckpoint } from "../../../db/platform/queries/imports.ts";
import { AppError } from "../base/errors.ts";
import { csvCell } from "../reports/csv.ts";
import { objectToInput, planColumns, profileFor, recordToInput } from "./aliases.ts";
import { csvRecords, refuseOneColumn, sniffDelimiter } from "./csv-records.ts";
import { ndjsonLines, readHeadBytes, refuseBinary, scanCsv, type TextEncoding } from "./file-read.ts";
import type { DataKind, ExportProfile } from "./kinds.ts";
import { emptyResult, type IngestResult } from "./result.ts";
import type { Ingest } from "./service.ts";
import { MAX_EVENT_BYTES } from "./text.ts";
import type { DateFormat } from "./values.ts";

export { sniffDelimiter } from "./csv-records.ts";

export interface ImportOptions {
  /** The data kind's name ("orders"). */
  kind: string;
  path: string;
  /** Column → field overrides (`--map col=field`). */
  map?: Record<string, string>;
  /** Fields every row gets whatever the file says (`lift experiments import ID` sets experiment_id). */
  constants?: Record<string, string>;
  dateFormat?: DateFormat | undefined;
  /** The CSV field separator; found from the header line when not given. */
  delimiter?: string | undefined;
  dryRun?: boolean;
  /** Where to write the rejected rows, with their reason, ready to fix and re-import. */
  rejectsPath?: string | undefined;
  batchSize?: number;
  now?: () => number;
  /** Called after each batch: bytes read so far, total bytes, rows so far. */
  onProgress?: (progress: { bytes: number; totalBytes: number; rows: number }) => void;
  /** Checked between batches: a true answer stops the import cleanly (it resumes next time). */
  shouldStop?: () => boolean;
}

export interface ImportSummary extends Omit<IngestResult, "rejected"> {
  kind: string;
  path: string;
  format: "csv" | "ndjson";
  rows: number;
  rejectedCount: number;
  /** The first 100 rejected rows (1-based data rows), with reasons. */
  rejections: { row: number; reason: string }[];
  /** Rows skipped because an earlier, interrupted import already committed them. */
  resumedAfter: number;
  /** The first 100 columns the import does not read (of `ignoredColumnCount`). */
  ignoredColumns: string[];
  ignoredColumnCount: number;
  /** How the file's text was read: UTF-8, or Windows-1252 when it is not UTF-8 (Latin-1 spreadsheets). */
  encoding: TextEncoding;
  /** The platform export recognised from the headers ("Shopify orders export"), if any. */
  profile: string | null;
  /** The CSV field separator used. */
  delimiter: string | null;
  /** Rows that continue the record above (a Shopify line item under its order): folded in, not counted as rejected. */
  continuationRows: number;
  dryRun: boolean;
  stopped: boolean;
  seconds: number;
}

const MAX_LISTED = 100;

function formatOf(path: string): "csv" | "ndjson" {
  if (/\.(ndjson|jsonl|json)$/i.test(path)) return "ndjson";
  if (/\.(csv|tsv|txt)$/i.test(path)) return "csv";
  throw new AppError("invalid_input", `Cannot tell the format of ${path}`, {
    hint: "name it .csv or .ndjson (.jsonl)",
  });
}

/** Identifies a file's content cheaply: path, size, modification time and its first 64 KB. */
async function fingerprint(kind: string, path: string): Promise<{ id: string; size: number }> {
  const info = await stat(path);
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(65_536, info.size));
    await handle.read(head, 0, head.length, 0);
    const id = createHash("sha256")
      .update(`${kind}\0${resolve(path)}\0${info.size}\0${info.mtimeMs}\0`)
      .update(head)
      .digest("hex");
    return { id, size: info.size };
  } finally {
    await handle.close();
  }
}

type Raw = string[] | string;
type Pending = { row: number; reason: string; raw: Raw }[];

/**
 * One import in progress: the rows read so far, the batch being filled, the
 * batches in flight, and the rejections, kept in file order for the summary and
 * the rejects file. One batch writes (on the writer thread, when there is one)
 * while the next is read and validated; at most two are in flight.
 */
class ImportRun {
  row = 0;
  readonly counter = { bytes: 0 };
  rejectsHeader: string | null = null;
  private batch: unknown[] = [];
  private batchRows: number[] = [];
  private batchRaw: Raw[] = [];
  private pending: Pending = [];
  private inFlight: Promise<void> = Promise.resolve();
  private finishedWritten = false;
  private rejects: WriteStream | null = null;

  constructor(
    private readonly ingest: Ingest,
    private readonly kind: string,
    private readonly options: ImportOptions,
    private readonly print: { id: string; size: number },
    readonly summary: ImportSummary,
    private readonly now: () => number,
  ) {}

  /** A row refused before it reached the kind (broken CSV, bad JSON): listed with its batch. */
  reject(row: number, reason: string, raw: Raw): void {
    this.pending.push({ row, reason, raw });
  }

  /** Adds a row to the batch, writing it when full; false when the import was asked to stop. */
  async add(input: unknown, raw: Raw): Promise<boolean> {
    const { constants } = this.options;
    this.batch.push(constants ? { ...(input as object), ...constants } : input);
    this.batchRows.push(this.row);
    this.batchRaw.push(raw);
    if (this.batch.length < (this.options.batchSize ?? 5000)) return true;
    await this.flush(false);
    if (!this.options.shouldStop?.()) return true;
    this.summary.stopped = true;
    return false;
  }

  /** Writes what is left, waits for every batch, and marks the import finished. */
  async finish(db: Db): Promise<void> {
    if (!this.summary.stopped && this.batch.length > 0) await this.flush(true);
    await this.inFlight;
    this.writeRejections(this.pending);
    if (!this.summary.stopped && !this.finishedWritten && !this.options.dryRun)
      await saveCheckpoint(db, this.checkpoint(true));
  }

  async close(): Promise<void> {
    const stream = this.rejects;
    if (stream) await new Promise<void>((done) => stream.end(done));
  }

  private checkpoint(finished: boolean) {
    return {
      fingerprint: this.print.id,
      kind: this.options.kind,
      path: resolve(this.options.path),
      rowsCommitted: this.row,
      at: this.now(),
      finished,
    };
  }

  private async flush(finished: boolean): Promise<void> {
    const rows = this.batchRows;
    const raws = this.batchRaw;
    const early = this.pending;
    const writing = this.ingest.write(this.kind, this.batch, {
      dateFormat: this.options.dateFormat,
      dryRun: this.options.dryRun,
      checkpoint: this.options.dryRun ? undefined : this.checkpoint(finished),
    });
    this.batch = [];
    this.batchRows = [];
    this.batchRaw = [];
    this.pending = [];
    const bytes = this.counter.bytes;
    const rowsSoFar = this.row;
    const previous = this.inFlight;
    const { summary } = this;
    this.inFlight = (async () => {
      const result = await writing;
      await previous;
      summary.accepted += result.accepted;
      summary.updated += result.updated;
      summary.duplicates += result.duplicates;
      summary.stale += result.stale;
      this.writeRejections([
        ...early,
        ...result.rejected.map((r) => ({ row: rows[r.index]!, reason: r.reason, raw: raws[r.index]! })),
      ]);
      if (finished) this.finishedWritten = true;
      this.options.onProgress?.({ bytes, totalBytes: this.print.size, rows: rowsSoFar });
    })();
    // A failed write surfaces here (or at the end), and stops the import.
    this.inFlight.catch(() => {});
    await previous;
  }

  private writeRejections(list: Pending): void {
    list.sort((a, b) => a.row - b.row);
    for (const { row, reason, raw } of list) {
      this.summary.rejectedCount++;
      if (this.summary.rejections.length < MAX_LISTED) this.summary.rejections.push({ row, reason });
      this.writeReject(row, reason, raw);
    }
  }

  private writeReject(row: number, reason: string, raw: Raw): void {
    if (!this.options.rejectsPath) return;
    if (!this.rejects) {
      this.rejects = createWriteStream(this.options.rejectsPath);
      if (this.rejectsHeader !== null) this.rejects.write(`${this.rejectsHeader}\n`);
    }
    if (typeof raw === "string") {
      let object: Record<string, unknown>;
      try {
        object = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        object = { _raw: raw };
      }
      this.rejects.write(`${JSON.stringify({ ...object, _row: row, _error: reason })}\n`);
    } else this.rejects.write(`${[...raw, `row ${row}: ${reason}`].map(csvCell).join(",")}\n`);
  }
}

/** Reads a CSV file's rows into the run: the header plans the columns, each row after it is checked. */
async function readCsv(
  run: ImportRun,
  kind: DataKind,
  options: ImportOptions,
  head: Buffer,
  resumeAfter: number,
): Promise<void> {
  const { summary } = run;
  const delimiter = options.delimiter ?? sniffDelimiter(head.toString("utf8"), options.path);
  summary.delimiter = delimiter;
  // The whole file's structure is checked before a row is written: a broken file writes nothing.
  const scan = await scanCsv(options.path, delimiter);
  summary.encoding = scan.encoding;
  let plan: ReturnType<typeof planColumns> | null = null;
  let profile: ExportProfile | null = null;
  let previous: Record<string, unknown> | null = null;
  let width = 0;
  for await (const item of csvRecords(options.path, delimiter, scan.encoding, run.counter)) {
    if ("skipped" in item) {
      if (plan === null)
        throw new AppError("invalid_input", `${options.path}: the header cannot be read (${item.skipped})`);
      run.row++;
      if (run.row > resumeAfter)
        run.reject(run.row, `cannot be read as CSV (line ${item.line}: ${item.skipped})`, []);
      continue;
    }
    const { record } = item;
    if (plan === null) {
      if (record.length === 1) refuseOneColumn(record[0] ?? "", delimiter, options.path);
      profile = profileFor(kind, record);
      plan = planColumns(kind, record, options.map, profile?.map);
      summary.profile = profile?.name ?? null;
      width = record.length;
      summary.ignoredColumnCount = plan.ignored.length;
      summary.ignoredColumns = plan.ignored.slice(0, MAX_LISTED);
      run.rejectsHeader = [...record, "lift_error"].map(csvCell).join(",");
      continue;
    }
    run.row++;
    if (run.row <= resumeAfter) continue;
    if (record.length !== width) {
      run.reject(run.row, `has ${record.length} fields, the header has ${width}`, record);
      continue;
    }
    const bytes = record.reduce((sum, field) => sum + field.length + 1, 0);
    if (bytes > MAX_EVENT_BYTES) {
      run.reject(
        run.row,
        `is larger than ${MAX_EVENT_BYTES / 1024} KB (the limit per row and per event)`,
        [],
      );
      continue;
    }
    const input = recordToInput(record, plan);
    if (profile?.continues?.(input, previous)) {
      summary.continuationRows++;
      continue;
    }
    previous = input;
    if (!(await run.add(input, record))) break;
  }
  if (plan === null)
    throw new AppError("invalid_input", `${options.path} is empty`, {
      hint: "the first line must name the columns",
    });
}

/** Reads an NDJSON file's lines into the run, each an object whose keys are read as an import's columns. */
async function readNdjson(run: ImportRun, kind: DataKind, options: ImportOptions, resumeAfter: number) {
  const cache = new Map<string, string | null>();
  for await (const line of ndjsonLines(options.path, run.counter)) {
    run.row++;
    if (run.row <= resumeAfter) continue;
    if (line.tooLong !== undefined) {
      const kb = Math.ceil(line.tooLong / 1024).toLocaleString("en-US");
      run.reject(
        run.row,
        `is larger than ${MAX_EVENT_BYTES / 1024} KB (${kb} KB; the limit per row and per event)`,
        "",
      );
      continue;
    }
    let object: unknown;
    try {
      object = JSON.parse(line.text);
    } catch (error) {
      run.reject(run.row, `is not valid JSON (${(error as Error).message})`, line.text);
      continue;
    }
    if (typeof object !== "object" || object === null || Array.isArray(object)) {
      run.reject(run.row, "is not a JSON object", line.text);
      continue;
    }
    const input = objectToInput(kind, object as Record<string, unknown>, options.map ?? {}, cache);
    if (!(await run.add(input, line.text))) break;
  }
}

function emptySummary(options: ImportOptions, format: "csv" | "ndjson", resumeAfter: number): ImportSummary {
  const { rejected: _, ...counts } = emptyResult();
  return {
    kind: options.kind,
    path: options.path,
    format,
    rows: 0,
    ...counts,
    rejectedCount: 0,
    rejections: [],
    resumedAfter: resumeAfter,
    ignoredColumns: [],
    ignoredColumnCount: 0,
    encoding: "utf-8",
    profile: null,
    delimiter: null,
    continuationRows: 0,
    dryRun: Boolean(options.dryRun),
    stopped: false,
    seconds: 0,
  };
}

/**
 * Streams a CSV or NDJSON file through the ingest core in batches, in constant
 * memory. Each batch commits with the import's checkpoint, so a killed import
 * resumes after the last committed row and nothing is doubled; re-importing a
 * finished file adds nothing (every row is a duplicate).
 */
/** What the audit keeps of an import: the kind, the file's name (not its folder) and the counts. */
export function importAudit(summary: ImportSummary): Record<string, unknown> {
  return {
    kind: summary.kind,
    file: basename(summary.path),
    accepted: summary.accepted,
    updated: summary.updated,
    rejected: summary.rejectedCount,
  };
}

export async function importFile(db: Db, ingest: Ingest, options: ImportOptions): Promise<ImportSummary> {
  const kind = ingest.kind(options.kind);
  const started = performance.now();
  const format = formatOf(options.path);
  let print: { id: string; size: number };
  try {
    print = await fingerprint(options.kind, options.path);
  } catch (error) {
    throw new AppError("not_found", `Cannot read ${options.path}`, { hint: "check the path", cause: error });
  }
  const previous = options.dryRun ? null : await getImportCheckpoint(db, print.id);
  const resumeAfter = previous && previous.finishedAt === null ? previous.rowsCommitted : 0;
  const summary = emptySummary(options, format, resumeAfter);
  const run = new ImportRun(ingest, kind.name, options, print, summary, options.now ?? Date.now);
  try {
    const head = await readHeadBytes(options.path);
    refuseBinary(head, options.path);
    if (format === "csv") await readCsv(run, kind, options, head, resumeAfter);
    else await readNdjson(run, kind, options, resumeAfter);
    await run.finish(db);
  } finally {
    await run.close();
  }
  summary.rows = run.row;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
