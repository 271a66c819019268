import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform } from "node:stream";
import { AppError } from "../base/errors.ts";
import { MAX_EVENT_BYTES } from "./text.ts";

/*
 * Reading import files safely: what a file is (text or not, UTF-8 or a
 * Western single-byte encoding) and whether its CSV structure holds (a quote
 * that opens and never closes swallows the rest of the file) are decided
 * before a row is written, so a broken file writes nothing; a row larger
 * than an event may be is rejected without ever being held whole.
 */

/** The most one CSV record may hold while it is parsed; past it the file is refused (a broken quote, not data). */
export const MAX_CSV_RECORD_BYTES = 1024 * 1024;

/** The separators Lift recognises, by name for messages. */
export const DELIMITERS: Record<string, string> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "pipe",
};

export type TextEncoding = "utf-8" | "windows-1252";

export interface CsvScan {
  encoding: TextEncoding;
  /** Data rows (the header and empty lines not counted). */
  rows: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** The first 64 KB of a file, as bytes. */
export async function readHeadBytes(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A text file's first 64 KB refused when they hold a NUL byte: a spreadsheet, an archive, an image. */
export function refuseBinary(head: Buffer, path: string): void {
  if (head.includes(0))
    throw new AppError("invalid_input", `${path} is not a text file (it holds binary data)`, {
      hint: "export the sheet as CSV (UTF-8) or NDJSON first",
    });
}

/**
 * Reads a CSV file once, byte by byte, as csv-parse will read it (a quote opens a field only at its
 * start, `""` inside is a quote, newlines inside quotes belong to the field): refuses binary data, a
 * quote that never closes and records past MAX_CSV_RECORD_BYTES, each with the row and line where it
 * starts; and tells whether the file is UTF-8 (else it is read as Windows-1252, the superset of
 * Latin-1 that Western spreadsheets save).
 */
// Long on purpose: one streaming pass of the CSV state machine (quotes, records, lines, limits).
export async function scanCsv(path: string, delimiter: string): Promise<CsvScan> {
  const sep = delimiter.charCodeAt(0);
  let utf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  // 0 field start, 1 unquoted field, 2 quoted field, 3 a quote inside a quoted field.
  let state = 0;
  let line = 1;
  let record = 0;
  let recordLine = 1;
  let recordBytes = 0;
  let recordEmpty = true;
  let quoteLine = 0;
  let quoteRecord = 0;
  const endRecord = () => {
    if (!recordEmpty) record++;
    recordEmpty = true;
    recordBytes = 0;
    recordLine = line + 1;
    state = 0;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    if (chunk.includes(0)) refuseBinary(chunk, path);
    if (utf8) {
      // A character cut by the chunk's end is checked with the next chunk.
      const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let cut = joined.length;
      for (let back = 1; back <= 3 && back <= joined.length; back++) {
        const byte = joined[joined.length - back]!;
        if ((byte & 0xc0) === 0xc0) {
          const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
          if (need > back) cut = joined.length - back;
          break;
        }
        if ((byte & 0x80) === 0) break;
      }
      if (!isUtf8(joined.subarray(0, cut))) utf8 = false;
      carry = Buffer.from(joined.subarray(cut));
    }
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      recordBytes++;
      if (byte === LF) {
        line++;
        if (state !== 2) {
          endRecord();
          continue;
        }
      } else if (byte !== CR) recordEmpty = false;
      if (recordBytes > MAX_CSV_RECORD_BYTES)
        throw new AppError(
          "invalid_input",
          `${path}: ${record === 0 ? "the header" : `row ${record}`} (line ${recordLine}) is larger than ${MAX_CSV_RECORD_BYTES / 1024} KB${
            state === 2 ? `: the quote opened on line ${quoteLine} seems never to close` : ""
          }`,
          {
            hint:
              state === 2 || record > 0
                ? "check the quotes around that row; nothing was imported"
                : "keep the columns Lift reads (see `lift import --help`); nothing was imported",
          },
        );
      switch (state) {
        case 0:
          if (byte === QUOTE) {
            state = 2;
            quoteLine = line;
            quoteRecord = record;
          } else if (byte !== sep && byte !== SPACE && byte !== TAB && byte !== CR) state = 1;
          break;
        case 1:
          if (byte === sep) state = 0;
          break;
        case 2:
          if (byte === QUOTE) state = 3;
          break;
        default:
          if (byte === QUOTE) state = 2;
          else if (byte === sep) state = 0;
          else if (byte !== CR && byte !== SPACE && byte !== TAB) state = 1;
      }
    }
  }
  if (carry.length > 0) utf8 = false;
  if (state === 2)
    throw new AppError(
      "invalid_input",
      `${path}: row ${quoteRecord} (line ${quoteLine}) opens a quote that is never closed`,
      { hint: 'close the quote (a quote inside a quoted field is written twice: ""); nothing was imported' },
    );
  if (!recordEmpty) record++;
  return { encoding: utf8 ? "utf-8" : "windows-1252", rows: Math.max(0, record - 1) };
}

/** Bytes of a file in a single-byte encoding, turned into UTF-8 text as they stream. */
export function decodeFrom(encoding: TextEncoding): Transform | null {
  if (encoding === "utf-8") return null;
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), "utf8"));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), "utf8"));
    },
  });
}

/** One NDJSON line: its text, or that it was longer than an event may be (and was never held whole). */
export type NdjsonLine = { text: string; tooLong?: never } | { text?: never; tooLong: number };

/**
 * The lines of an NDJSON file, each at most `maxBytes` (MAX_EVENT_BYTES: HTTP's cap per event): a
 * longer line is skipped as it streams and reported with its size, so a 100 MB property costs
 * nothing but the time to read past it. Empty lines are left out.
 */
export async function* ndjsonLines(
  path: string,
  counter: { bytes: number },
  maxBytes: number = MAX_EVENT_BYTES,
): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const take = function* (): Generator<NdjsonLine> {
    if (skipping) yield { tooLong: size };
    else {
      const text = Buffer.concat(parts).toString("utf8").replace(/\r$/, "");
      if (text.trim() !== "") yield { text };
    }
    parts = [];
    size = 0;
    skipping = false;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    counter.bytes += chunk.length;
    let start = 0;
    for (let end = chunk.indexOf(LF, start); ; end = chunk.indexOf(LF, start)) {
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      size += piece.length;
      if (size > maxBytes) {
        skipping = true;
        parts = [];
      } else if (!skipping) parts.push(piece);
      if (end === -1) break;
      yield* take();
      start = end + 1;
    }
  }
  if (size > 0 || skipping) yield* take();
}
