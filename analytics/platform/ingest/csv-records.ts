import { createReadStream } from "node:fs";
import { AppError } from "../base/errors.ts";
import { DELIMITERS, decodeFrom, MAX_CSV_RECORD_BYTES, type TextEncoding } from "./file-read.ts";

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
export function refuseOneColumn(header: string, delimiter: string, path: string): void {
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
export async function* csvRecords(
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
