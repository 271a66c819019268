import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Db } from "../../../db/client.ts";
import { getImportCheckpoint, saveCheckpoint } from "../../../db/platform/queries/imports.ts";
import { AppError } from "../base/errors.ts";
import { csvCell } from "../reports/csv.ts";
import { objectToInput, planColumns, profileFor, recordToInput } from "./aliases.ts";
import {
  DELIMITERS,
  decodeFrom,
  MAX_CSV_RECORD_BYTES,
  ndjsonLines,
  readHeadBytes,
  refuseBinary,
  scanCsv,
  type TextEncoding,
} from "./file-read.ts";
import type { ExportProfile } from "./kinds.ts";
import { emptyResult, type IngestResult } from "./result.ts";
import type { BatchOptions, Ingest } from "./service.ts";
import { MAX_EVENT_BYTES } from "./text.ts";
import type { DateFormat } from "./values.ts";

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

/** How often each separator appears in the header line, outside quotes. */
function separatorCounts(line: string): Map<string, number> {
  const counts = new Map(Object.keys(DELIMITERS).map((d) => [d, 0]));
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return counts;
}

function headerLine(head: string): string {
  const text = head.replace(/^\uFEFF/, "");
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

/**
 * The separator of a CSV file, read from its header line: the most frequent
 * of comma, semicolon (European spreadsheets), tab and pipe; a .tsv file is
 * tab-separated when its header has tabs.
 */
export function sniffDelimiter(head: string, path = ""): string {
  const counts = separatorCounts(headerLine(head));
  if (/\.tsv$/i.test(path) && counts.get("\t")! > 0) return "\t";
  let best = ",";
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** A header that reads as one column with another separator in it: the file uses that one. */
function refuseOneColumn(header: string, delimiter: string, path: string): void {
  const counts = separatorCounts(header);
  const other = [...counts].filter(([d, n]) => d !== delimiter && n > 0).sort((a, b) => b[1] - a[1])[0];
  if (!other) return;
  const name = DELIMITERS[other[0]]!;
  const flag = other[0] === "\t" ? "tab" : other[0];
  throw new AppError(
    "invalid_input",
    `${path} looks like a ${name}-separated file: its header reads as one column with ${DELIMITERS[delimiter] ?? `“${delimiter}”`} as the separator`,
    { hint: `add --delimiter '${flag}' (or leave --delimiter out and Lift finds it)` },
  );
}

/** A CSV record as parsed (with where it ends), or a record csv-parse skipped as malformed. */
type CsvItem = { record: string[]; line: number } | { skipped: string; line: number };

/**
 * The records of a CSV file, in order, and how many bytes have been read. csv-parse reads quotes
 * inside an unquoted field as text (spreadsheets write `12" boots`); a record it cannot read is
 * skipped and yielded as such, in its place, so it is rejected as its own row.
 */
async function* csvRecords(
  path: string,
  delimiter: string,
  encoding: TextEncoding,
  counter: { bytes: number },
): AsyncGenerator<CsvItem> {
  // csv-parse loads with the first CSV file, not when Lift starts (before the file flows).
  const { parse } = await import("csv-parse");
  const stream = createReadStream(path);
  stream.on("data", (chunk) => {
    counter.bytes += chunk.length;
  });
  const decoder = decodeFrom(encoding);
  const parser = (decoder ? stream.pipe(decoder) : stream).pipe(
    parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_CSV_RECORD_BYTES,
      bom: true,
      trim: true,
      info: true,
    }),
  );
  const skipped: { skipped: string; line: number }[] = [];
  parser.on("skip", (error: Error & { lines?: number }) => {
    skipped.push({ skipped: error.message.replace(/^[\w ]+: /, ""), line: error.lines ?? 0 });
  });
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length > 0 && skipped[0]!.line < item.info.lines) yield skipped.shift()!;
      yield { record: item.record, line: item.info.lines };
    }
  } catch (error) {
    throw new AppError("invalid_input", `${path}: ${(error as Error).message}`, {
      hint: "fix that line and import again: rows already imported are not doubled",
      cause: error,
    });
  }
  yield* skipped;
}

/**
 * Streams a CSV or NDJSON file through the ingest core in batches, in constant
 * memory. Each batch commits with the import's checkpoint, so a killed import
 * resumes after the last committed row and nothing is doubled; re-importing a
 * finished file adds nothing (every row is a duplicate).
 */
export async function importFile(db: Db, ingest: Ingest, options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now;
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
  const batchSize = options.batchSize ?? 5000;
  const summary: ImportSummary = {
    kind: options.kind,
    path: options.path,
    format,
    rows: 0,
    ...emptyResult(),
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
  delete (summary as Partial<IngestResult>).rejected;

  let rejects: WriteStream | null = null;
  let rejectsHeader: string | null = null;
  const writeReject = (row: number, reason: string, raw: string[] | string) => {
    if (!options.rejectsPath) return;
    if (!rejects) {
      rejects = createWriteStream(options.rejectsPath);
      if (rejectsHeader !== null) rejects.write(`${rejectsHeader}\n`);
    }
    if (typeof raw === "string") {
      let object: Record<string, unknown>;
      try {
        object = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        object = { _raw: raw };
      }
      rejects.write(`${JSON.stringify({ ...object, _row: row, _error: reason })}\n`);
    } else rejects.write(`${[...raw, `row ${row}: ${reason}`].map(csvCell).join(",")}\n`);
  };
  // Rejections wait for their batch, so the summary and the rejects file list them in file order.
  type Pending = { row: number; reason: string; raw: string[] | string }[];
  let pending: Pending = [];
  const reject = (row: number, reason: string, raw: string[] | string) => {
    pending.push({ row, reason, raw });
  };
  const writeRejections = (list: Pending) => {
    list.sort((a, b) => a.row - b.row);
    for (const { row, reason, raw } of list) {
      summary.rejectedCount++;
      if (summary.rejections.length < MAX_LISTED) summary.rejections.push({ row, reason });
      writeReject(row, reason, raw);
    }
  };

  const write = (rows: unknown[], batchOptions: BatchOptions) => ingest.write(kind.name, rows, batchOptions);

  const counter = { bytes: 0 };
  let batch: unknown[] = [];
  let batchRows: number[] = [];
  let batchRaw: (string[] | string)[] = [];
  let row = 0;
  // One batch writes (on the writer thread, when there is one) while the next is read and
  // validated here; results are taken in file order, and at most two batches are in flight.
  let inFlight: Promise<void> = Promise.resolve();
  let finishedWritten = false;
  const flush = async (finished: boolean) => {
    const rows = batchRows;
    const raws = batchRaw;
    const early = pending;
    const writing = write(batch, {
      dateFormat: options.dateFormat,
      dryRun: options.dryRun,
      checkpoint: options.dryRun
        ? undefined
        : {
            fingerprint: print.id,
            kind: options.kind,
            path: resolve(options.path),
            rowsCommitted: row,
            at: now(),
            finished,
          },
    });
    batch = [];
    batchRows = [];
    batchRaw = [];
    pending = [];
    const bytes = counter.bytes;
    const rowsSoFar = row;
    const previous = inFlight;
    inFlight = (async () => {
      const result = await writing;
      await previous;
      summary.accepted += result.accepted;
      summary.updated += result.updated;
      summary.duplicates += result.duplicates;
      summary.stale += result.stale;
      writeRejections([
        ...early,
        ...result.rejected.map((r) => ({ row: rows[r.index]!, reason: r.reason, raw: raws[r.index]! })),
      ]);
      if (finished) finishedWritten = true;
      options.onProgress?.({ bytes, totalBytes: print.size, rows: rowsSoFar });
    })();
    // A failed write surfaces here (or at the end), and stops the import.
    inFlight.catch(() => {});
    await previous;
  };
  const add = async (input: unknown, raw: string[] | string) => {
    batch.push(options.constants ? { ...(input as object), ...options.constants } : input);
    batchRows.push(row);
    batchRaw.push(raw);
    if (batch.length >= batchSize) {
      await flush(false);
      if (options.shouldStop?.()) {
        summary.stopped = true;
        return false;
      }
    }
    return true;
  };

  try {
    const headBytes = await readHeadBytes(options.path);
    refuseBinary(headBytes, options.path);
    if (format === "csv") {
      const head = headBytes.toString("utf8");
      const delimiter = options.delimiter ?? sniffDelimiter(head, options.path);
      summary.delimiter = delimiter;
      // The whole file's structure is checked before a row is written: a broken file writes nothing.
      const scan = await scanCsv(options.path, delimiter);
      summary.encoding = scan.encoding;
      let plan: ReturnType<typeof planColumns> | null = null;
      let profile: ExportProfile | null = null;
      let previous: Record<string, unknown> | null = null;
      let width = 0;
      for await (const item of csvRecords(options.path, delimiter, scan.encoding, counter)) {
        if ("skipped" in item) {
          if (plan === null)
            throw new AppError(
              "invalid_input",
              `${options.path}: the header cannot be read (${item.skipped})`,
            );
          row++;
          if (row > resumeAfter)
            reject(row, `cannot be read as CSV (line ${item.line}: ${item.skipped})`, []);
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
          rejectsHeader = [...record, "lift_error"].map(csvCell).join(",");
          continue;
        }
        row++;
        if (row <= resumeAfter) continue;
        if (record.length !== width) {
          reject(row, `has ${record.length} fields, the header has ${width}`, record);
          continue;
        }
        const bytes = record.reduce((sum, field) => sum + field.length + 1, 0);
        if (bytes > MAX_EVENT_BYTES) {
          reject(row, `is larger than ${MAX_EVENT_BYTES / 1024} KB (the limit per row and per event)`, []);
          continue;
        }
        const input = recordToInput(record, plan);
        if (profile?.continues?.(input, previous)) {
          summary.continuationRows++;
          continue;
        }
        previous = input;
        if (!(await add(input, record))) break;
      }
      if (plan === null)
        throw new AppError("invalid_input", `${options.path} is empty`, {
          hint: "the first line must name the columns",
        });
    } else {
      const cache = new Map<string, string | null>();
      for await (const line of ndjsonLines(options.path, counter)) {
        row++;
        if (row <= resumeAfter) continue;
        if (line.tooLong !== undefined) {
          reject(
            row,
            `is larger than ${MAX_EVENT_BYTES / 1024} KB (${Math.ceil(line.tooLong / 1024).toLocaleString("en-US")} KB; the limit per row and per event)`,
            "",
          );
          continue;
        }
        let object: unknown;
        try {
          object = JSON.parse(line.text);
        } catch (error) {
          reject(row, `is not valid JSON (${(error as Error).message})`, line.text);
          continue;
        }
        if (typeof object !== "object" || object === null || Array.isArray(object)) {
          reject(row, "is not a JSON object", line.text);
          continue;
        }
        if (
          !(await add(
            objectToInput(kind, object as Record<string, unknown>, options.map ?? {}, cache),
            line.text,
          ))
        )
          break;
      }
    }
    if (!summary.stopped && batch.length > 0) await flush(true);
    await inFlight;
    writeRejections(pending);
    if (!summary.stopped && !finishedWritten && !options.dryRun) {
      await saveCheckpoint(db, {
        fingerprint: print.id,
        kind: options.kind,
        path: resolve(options.path),
        rowsCommitted: row,
        at: now(),
        finished: true,
      });
    }
  } finally {
    const stream = rejects as WriteStream | null;
    if (stream) await new Promise<void>((done) => stream.end(done));
  }
  summary.rows = row;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
