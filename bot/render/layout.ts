import { formattedTable } from "../../analytics/platform/reports/cells.ts";
import type { Change, Table } from "../../analytics/platform/reports/report.ts";

/** How a change reads in every renderer. */
export const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

/** "▲ +12.3%", or for a change on too few units "+50.0% · few data" (no arrow: it is not news). */
export function changeText(change: Change): string {
  return change.few ? `${change.text} · few data` : `${ARROWS[change.direction]} ${change.text}`;
}

/** Pads to a width in characters (not UTF-16 units), on the left when `right`-aligned. */
export function pad(text: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - [...text].length));
  return right ? fill + text : text + fill;
}

/**
 * A table as monospace lines: header first, then the rows (totals last), each
 * column as wide as its widest cell, numbers right-aligned.
 */
export function alignedTable(table: Table): { lines: string[]; widths: number[] } {
  const rows = formattedTable(table);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? "")].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => pad(cell, widths[i]!, i > 0 && table.columns[i]!.format !== "text"))
      .join("  ")
      .trimEnd(),
  );
  return { lines, widths };
}
