import { AppError } from "../base/errors.ts";
import { parseNumber, parseTimestamp } from "./values.ts";

export interface SeriesPoint {
  at: number;
  value: number;
  /** The time as the file wrote it. */
  raw: string;
}

/**
 * The points of a two-column series file (`timestamp,value`, `date,value`: NAB's and Prophet's
 * formats; times without a zone are UTC), in file order. `time` and `value` are the header names
 * each column may have; `what` says them in the error when the header has neither.
 */
export function readSeriesPoints(
  text: string,
  columns: { time: readonly string[]; value: readonly string[]; what: string; hint?: string },
): SeriesPoint[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = (lines.shift() ?? "")
    .toLowerCase()
    .split(",")
    .map((h) => h.trim().replace(/^"|"$/g, ""));
  const at = header.findIndex((h) => columns.time.includes(h));
  const value = header.findIndex((h) => columns.value.includes(h));
  if (at < 0 || value < 0)
    throw new AppError(
      "invalid_input",
      `The header must name ${columns.what} (it has ${header.join(", ") || "nothing"})`,
      {
        ...(columns.hint ? { hint: columns.hint } : {}),
      },
    );
  return lines.map((line, i) => {
    const cells = line.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    const raw = cells[at] ?? "";
    const time = parseTimestamp(raw, { timeZone: "UTC" });
    const number = parseNumber(cells[value]);
    if (!time.ok) throw new AppError("invalid_input", `row ${i + 1}: ${header[at]} ${time.error}`);
    if (!number.ok) throw new AppError("invalid_input", `row ${i + 1}: value ${number.error}`);
    return { at: time.value, value: number.value, raw };
  });
}
