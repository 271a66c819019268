import { contextLine } from "../../analytics/platform/reports/context.ts";
import { plainChannelRefs } from "../../analytics/platform/reports/refs.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { alignedTable, changeText, pad } from "./layout.ts";

/** A terminal's width: text wraps at it, and a table wider than it is shown row by row. */
export const TEXT_WIDTH = 100;

/** Words wrapped to the width, each line after the first indented as `indent` says. */
export function wrap(text: string, width = TEXT_WIDTH, indent = ""): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    const lead = /^\s*/.exec(paragraph)![0];
    let line = lead;
    for (const word of paragraph.slice(lead.length).split(" ")) {
      const next = line.trim() === "" ? `${line}${word}` : `${line} ${word}`;
      if (next.length > width && line.trim() !== "") {
        out.push(line);
        line = `${indent}${word}`;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** A table too wide for the terminal: each row a block, its first cell a heading, the others labelled. */
function stackedTable(table: NonNullable<Report["table"]>, lines: string[]): void {
  const { lines: aligned } = alignedTable(table);
  const cells = (line: string) => line.split(/\s{2,}/).map((c) => c.trim());
  const header = table.columns.map((c) => c.label);
  aligned.slice(1).forEach((line) => {
    const row = cells(line);
    lines.push(...wrap(`  ${row[0] ?? ""}`, TEXT_WIDTH, "    "));
    row.slice(1).forEach((cell, i) => {
      if (cell) lines.push(...wrap(`    ${header[i + 1]}: ${cell}`, TEXT_WIDTH, "      "));
    });
  });
  lines.push("");
}

/** A Report as plain text for the terminal, within 100 columns. */
export function renderText(report: Report): string {
  const lines: string[] = [report.title, "", ...(report.summary ? [...wrap(report.summary), ""] : [])];
  if (report.facts.length > 0) {
    const labelWidth = Math.max(...report.facts.map((f) => f.label.length));
    const valueWidth = Math.max(...report.facts.map((f) => f.value.length));
    const changeWidth = Math.max(0, ...report.facts.map((f) => (f.change ? f.change.text.length + 2 : 0)));
    for (const fact of report.facts) {
      const change = fact.change ? changeText(fact.change) : "";
      const note = fact.note ? `  (${fact.note})` : "";
      lines.push(
        `  ${pad(fact.label, labelWidth, false)}  ${pad(fact.value, valueWidth, true)}  ${pad(change, changeWidth, false)}${note}`.trimEnd(),
      );
    }
    lines.push("");
  }
  // A wordy table (help's usages, long names) wider than the terminal reads better row by row; a
  // table of figures stays aligned, as a spreadsheet would show it.
  const tooWide =
    report.table &&
    alignedTable(report.table).widths.reduce((a, w) => a + w + 2, 2) > TEXT_WIDTH &&
    report.table.rows.some((row) => row.some((cell) => typeof cell === "string" && cell.length > 40));
  if (report.table && tooWide) stackedTable(report.table, lines);
  else if (report.table) {
    const { lines: table, widths } = alignedTable(report.table);
    const rule = `  ${widths.map((w) => "─".repeat(w)).join("  ")}`;
    lines.push(`  ${table[0]}`, rule);
    const hasTotals = report.table.totals !== undefined;
    table.slice(1).forEach((line, i) => {
      if (hasTotals && i === table.length - 2) lines.push(rule);
      lines.push(`  ${line}`.trimEnd());
    });
    lines.push("");
  }
  for (const quote of report.quotes ?? []) {
    if (quote.excerpt) lines.push(`  “${quote.excerpt}”`);
    lines.push(`    — ${quote.text}${quote.url ? ` ${quote.url}` : ""}`);
  }
  if (report.quotes?.length) lines.push("");
  for (const warning of report.warnings) lines.push(...wrap(`⚠ ${warning}`, TEXT_WIDTH, "  "));
  if (report.warnings.length > 0) lines.push("");
  if (report.details && report.details.length > 0) lines.push(...report.details, "");
  const context = contextLine(report);
  if (context) lines.push(context);
  return plainChannelRefs(`${lines.join("\n")}\n`);
}
