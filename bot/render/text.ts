import { contextLine } from "../../analytics/platform/reports/context.ts";
import { plainChannelRefs } from "../../analytics/platform/reports/refs.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { alignedTable, changeText, pad } from "./layout.ts";

/** A Report as plain text for the terminal. */
export function renderText(report: Report): string {
  const lines: string[] = [report.title, "", ...(report.summary ? [report.summary, ""] : [])];
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
  if (report.table) {
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
  for (const warning of report.warnings) lines.push(`⚠ ${warning}`);
  if (report.warnings.length > 0) lines.push("");
  if (report.details && report.details.length > 0) lines.push(...report.details, "");
  const context = contextLine(report);
  if (context) lines.push(context);
  return plainChannelRefs(`${lines.join("\n")}\n`);
}
