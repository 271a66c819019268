import {
  currencyDecimals,
  formatChange,
  formatCount,
  formatMoney,
  formatMultiple,
  formatPercent,
  toMajorUnits,
} from "../base/format.ts";
import { csvCell } from "./csv.ts";
import type { CellFormat, Report, Table } from "./report.ts";

/** A table cell as people read it; the same in Block Kit, HTML and text. */
export function formatCell(
  format: CellFormat,
  value: string | number | null | undefined,
  currency = "USD",
): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value;
  switch (format) {
    case "money":
      return formatMoney(Math.round(value), currency);
    case "percent":
      return formatPercent(value, 2);
    case "multiple":
      return formatMultiple(value);
    case "change":
      return formatChange(value);
    case "count":
      return formatCount(value);
    default:
      return String(value);
  }
}

/** Rows of formatted cells, header first, totals last. */
export function formattedTable(table: Table): string[][] {
  const currency = table.currency ?? "USD";
  const format = (row: (string | number | null)[]) =>
    row.map((value, i) => formatCell(table.columns[i]!.format, value, currency));
  return [
    table.columns.map((c) => c.label),
    ...table.rows.map(format),
    ...(table.totals ? [format(table.totals)] : []),
  ];
}

/**
 * The report's table (or its facts) as CSV with exact values: money in major
 * units with full precision, rates as fractions, so spreadsheets can compute.
 */
export function reportToCsv(report: Report): string {
  const lines: string[] = [];
  if (report.table) {
    const { columns, rows, totals, currency } = report.table;
    const decimals = currencyDecimals(currency ?? "USD");
    // Shares and changes are kept as ratios; the CSV writes them in percent and says so in the header.
    const percent = (format: string) => format === "percent" || format === "change";
    const raw = (row: (string | number | null)[]) =>
      row.map((value, i) => {
        const format = columns[i]!.format;
        if (format === "money" && typeof value === "number")
          return toMajorUnits(value, currency ?? "USD").toFixed(decimals);
        if (percent(format) && typeof value === "number") return Number((value * 100).toPrecision(12));
        return value;
      });
    lines.push(
      columns
        .map((c) =>
          csvCell(
            c.format === "money"
              ? `${c.label} (${currency ?? "USD"})`
              : percent(c.format) && !/%/.test(c.label)
                ? `${c.label} (%)`
                : c.label,
          ),
        )
        .join(","),
    );
    for (const row of rows) lines.push(raw(row).map(csvCell).join(","));
    if (totals) lines.push(raw(totals).map(csvCell).join(","));
  } else {
    lines.push("metric,value,change");
    for (const fact of report.facts)
      lines.push([fact.label, fact.value, fact.change?.text ?? ""].map(csvCell).join(","));
  }
  return `${lines.join("\n")}\n`;
}
