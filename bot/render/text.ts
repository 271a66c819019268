import { formattedTable } from "../../analytics/reports/cells.ts";
import { contextLine } from "../../analytics/reports/context.ts";
import type { Report } from "../../analytics/reports/report.ts";

const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

function pad(text: string, width: number, right: boolean): string {
  const length = [...text].length;
  return right
    ? " ".repeat(Math.max(0, width - length)) + text
    : text + " ".repeat(Math.max(0, width - length));
}

/** A Report as plain text for the terminal. */
export function renderText(report: Report): string {
  const lines: string[] = [report.title, "", report.summary, ""];
  if (report.facts.length > 0) {
    const labelWidth = Math.max(...report.facts.map((f) => f.label.length));
    const valueWidth = Math.max(...report.facts.map((f) => f.value.length));
    const changeWidth = Math.max(0, ...report.facts.map((f) => (f.change ? f.change.text.length + 2 : 0)));
    for (const fact of report.facts) {
      const change = fact.change ? `${ARROWS[fact.change.direction]} ${fact.change.text}` : "";
      const note = fact.note ? `  (${fact.note})` : "";
      lines.push(
        `  ${pad(fact.label, labelWidth, false)}  ${pad(fact.value, valueWidth, true)}  ${pad(change, changeWidth, false)}${note}`.trimEnd(),
      );
    }
    lines.push("");
  }
  if (report.table) {
    const rows = formattedTable(report.table);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? "")].length)));
    const line = (row: string[]) =>
      `  ${row.map((cell, i) => pad(cell, widths[i]!, i > 0 && report.table!.columns[i]!.format !== "text")).join("  ")}`.trimEnd();
    lines.push(line(rows[0]!));
    lines.push(`  ${widths.map((w) => "─".repeat(w)).join("  ")}`);
    const hasTotals = report.table.totals !== undefined;
    rows.slice(1).forEach((row, i) => {
      if (hasTotals && i === rows.length - 2) lines.push(`  ${widths.map((w) => "─".repeat(w)).join("  ")}`);
      lines.push(line(row));
    });
    lines.push("");
  }
  for (const warning of report.warnings) lines.push(`⚠ ${warning}`);
  if (report.warnings.length > 0) lines.push("");
  const context = contextLine(report);
  if (context) lines.push(context);
  return `${lines.join("\n")}\n`;
}
