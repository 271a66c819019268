import { formattedTable } from "../../analytics/reports/cells.ts";
import { contextLine } from "../../analytics/reports/context.ts";
import { plainChannelRefs } from "../../analytics/reports/refs.ts";
import type { Report } from "../../analytics/reports/report.ts";
import { ARROWS } from "./layout.ts";

/** Report → HTML for the local console. Everything from data is escaped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export interface HtmlOptions {
  /** Image URLs (or data: URLs) of the report's charts, in order. */
  chartUrls?: string[];
}

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const e = escapeHtml;
  const parts: string[] = [
    `<article class="report report-${e(report.kind)}">`,
    `<h2>${e(report.title)}</h2>`,
    `<p class="summary">${e(report.summary).replace(/\n/g, "<br>")}</p>`,
  ];
  if (report.facts.length > 0) {
    parts.push('<dl class="facts">');
    for (const fact of report.facts) {
      const change = fact.change
        ? ` <span class="change ${e(fact.change.tone)}">${ARROWS[fact.change.direction]} ${e(fact.change.text)}</span>`
        : "";
      const note = fact.note ? `<small>${e(fact.note)}</small>` : "";
      parts.push(`<div><dt>${e(fact.label)}</dt><dd>${e(fact.value)}${change}${note}</dd></div>`);
    }
    parts.push("</dl>");
  }
  if (report.table) {
    const rows = formattedTable(report.table);
    const numeric = report.table.columns.map((c) => c.format !== "text");
    const cell = (tag: string, text: string, i: number) =>
      `<${tag}${numeric[i] ? ' class="num"' : ""}>${e(text)}</${tag}>`;
    const hasTotals = report.table.totals !== undefined;
    const body = rows.slice(1, hasTotals ? -1 : undefined);
    parts.push(
      "<table><thead><tr>",
      rows[0]!.map((text, i) => cell("th", text, i)).join(""),
      "</tr></thead><tbody>",
      body.map((row) => `<tr>${row.map((text, i) => cell("td", text, i)).join("")}</tr>`).join(""),
      "</tbody>",
      hasTotals
        ? `<tfoot><tr>${rows
            .at(-1)!
            .map((text, i) => cell("td", text, i))
            .join("")}</tr></tfoot>`
        : "",
      "</table>",
    );
  }
  (options.chartUrls ?? []).forEach((url, i) => {
    const chart = report.charts[i];
    parts.push(
      `<img class="chart" src="${e(url)}" alt="${e(chart?.title ?? report.title)}" width="960" height="480">`,
    );
  });
  if (report.warnings.length > 0)
    parts.push(`<ul class="warnings">${report.warnings.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`);
  if (report.details && report.details.length > 0)
    parts.push(`<details><summary>Details</summary><pre>${e(report.details.join("\n"))}</pre></details>`);
  const context = contextLine(report);
  if (context) parts.push(`<p class="context">${e(context)}</p>`);
  if (report.actions.length > 0) {
    parts.push(
      `<div class="actions">${report.actions
        .map((a) => `<button type="button" data-command="${e(a.command)}">${e(a.label)}</button>`)
        .join("")}</div>`,
    );
  }
  parts.push("</article>");
  return plainChannelRefs(parts.join("\n"));
}
