import { escapeHtml } from "../../analytics/platform/base/text.ts";
import { formattedTable } from "../../analytics/platform/reports/cells.ts";
import { contextLine } from "../../analytics/platform/reports/context.ts";
import { plainChannelRefs } from "../../analytics/platform/reports/refs.ts";
import type { Action, Column, Report } from "../../analytics/platform/reports/report.ts";
import { changeText } from "./layout.ts";

/* Report → HTML for the local console. Everything from data is escaped (escapeHtml). */

export interface HtmlOptions {
  /** Image URLs (or data: URLs) of the report's charts, in order. */
  chartUrls?: string[];
  /** The same charts drawn for narrow screens (a phone), so their text stays readable. */
  narrowChartUrls?: string[];
}

const e = escapeHtml;

/** Only http(s) links are made clickable: a quoted post's URL is data, not a script. */
function safeUrl(url: string | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/** A change cell's tone: green when it moved the good way, red the bad way. */
function changeTone(column: Column, value: string | number | null | undefined): string {
  if (
    column.format !== "change" ||
    typeof value !== "number" ||
    !column.better ||
    column.better === "neither"
  )
    return "";
  if (Math.abs(value) < 0.0005) return "";
  return value > 0 === (column.better === "up") ? " good" : " bad";
}

function actionButton(action: Action): string {
  const classes = action.style ? ` class="${action.style}"` : "";
  const confirm = action.confirm
    ? ` data-confirm-title="${e(action.confirm.title)}" data-confirm="${e(action.confirm.text)}" data-confirm-yes="${e(action.confirm.confirm)}" data-confirm-no="${e(action.confirm.deny)}"`
    : "";
  return `<button type="button"${classes} data-command="${e(action.command)}"${confirm}>${e(action.label)}</button>`;
}

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const parts: string[] = [
    `<article class="report report-${e(report.kind)}">`,
    `<h2>${e(report.title)}</h2>`,
  ];
  if (report.summary) parts.push(`<p class="summary">${e(report.summary).replace(/\n/g, "<br>")}</p>`);
  if (report.facts.length > 0) {
    parts.push('<dl class="facts">');
    for (const fact of report.facts) {
      const change = fact.change
        ? ` <span class="change ${e(fact.change.tone)}${fact.change.few ? " few" : ""}">${e(changeText(fact.change))}</span>`
        : "";
      const note = fact.note ? `<small>${e(fact.note)}</small>` : "";
      parts.push(`<div><dt>${e(fact.label)}</dt><dd>${e(fact.value)}${change}${note}</dd></div>`);
    }
    parts.push("</dl>");
  }
  if (report.table) {
    const table = report.table;
    const rows = formattedTable(table);
    const numeric = table.columns.map((c) => c.format !== "text");
    const cell = (tag: string, text: string, i: number, raw?: string | number | null) => {
      const classes =
        `${numeric[i] ? "num" : ""}${tag === "td" ? changeTone(table.columns[i]!, raw).replace(" ", " change-cell ") : ""}`.trim();
      // The column's name on each cell: a phone shows a row as a card of labelled cells.
      const label = tag === "td" ? ` data-label="${e(rows[0]![i] ?? "")}"` : "";
      return `<${tag}${classes ? ` class="${classes}"` : ""}${label}>${e(text)}</${tag}>`;
    };
    const hasTotals = table.totals !== undefined;
    const body = rows.slice(1, hasTotals ? -1 : undefined);
    parts.push(
      '<div class="table"><table><thead><tr>',
      rows[0]!.map((text, i) => cell("th", text, i)).join(""),
      "</tr></thead><tbody>",
      body
        .map((row, r) => `<tr>${row.map((text, i) => cell("td", text, i, table.rows[r]?.[i])).join("")}</tr>`)
        .join(""),
      "</tbody>",
      hasTotals
        ? `<tfoot><tr>${rows
            .at(-1)!
            .map((text, i) => cell("td", text, i, table.totals?.[i]))
            .join("")}</tr></tfoot>`
        : "",
      "</table></div>",
    );
  }
  (options.chartUrls ?? []).forEach((url, i) => {
    const chart = report.charts[i];
    const narrow = options.narrowChartUrls?.[i];
    const srcset = narrow
      ? ` srcset="${e(narrow)} 480w, ${e(url)} 960w" sizes="(max-width: 600px) 100vw, 960px"`
      : "";
    parts.push(
      `<img class="chart" src="${e(url)}"${srcset} alt="${e(chart?.title ?? report.title)}" width="960" height="480">`,
    );
  });
  for (const quote of report.quotes ?? []) {
    const url = safeUrl(quote.url);
    const source = url
      ? `<a href="${e(url)}" rel="noopener noreferrer" target="_blank">${e(quote.text)}</a>`
      : e(quote.text);
    parts.push(
      `<blockquote>${quote.excerpt ? `${e(quote.excerpt)}` : ""}<cite>${source}</cite></blockquote>`,
    );
  }
  if (report.warnings.length > 0)
    parts.push(`<ul class="warnings">${report.warnings.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`);
  if (report.details && report.details.length > 0)
    parts.push(`<details><summary>Details</summary><pre>${e(report.details.join("\n"))}</pre></details>`);
  const context = contextLine(report);
  if (context) parts.push(`<p class="context">${e(context)}</p>`);
  if (report.actions.length > 0)
    parts.push(`<div class="actions">${report.actions.map(actionButton).join("")}</div>`);
  parts.push("</article>");
  return plainChannelRefs(parts.join("\n"));
}
