import { comparisonText, periodSpecText } from "./periods.ts";
import type { KpiQuery } from "./types.ts";

/** A query in the command language's words; the grammar (analytics/commands) reads them back to the same query. */
export function queryText(query: KpiQuery): string {
  const parts = [
    query.metrics
      .map((key) => (key.startsWith("event:") ? `"${key.slice(6)}"` : key.replace(/_/g, " ")))
      .join(" and "),
    periodSpecText(query.period),
    query.by === "none" ? "" : `by ${query.by}`,
    comparisonText(query.compare),
    query.rank ? `${query.rank.order}${query.rank.n === null ? "" : ` ${query.rank.n}`}` : "",
    query.filter.channel ? `for ${query.filter.channel.replace(/_/g, " ")}` : "",
    query.filter.campaignId ? `campaign "${query.filter.campaignId}"` : "",
    ...Object.entries(query.filter.scopes ?? {}).map(([word, name]) => `for ${word} "${name}"`),
    ...(query.include ?? []).map((word) => `including ${word}`),
  ];
  return parts.filter((part) => part !== "").join(" ");
}
