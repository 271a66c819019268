import type { Report } from "./report.ts";

/** Words as a file name part: "Paid social" → "paid-social". */
function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
}

/**
 * "lift-kpi-paid-social-2026-11-22.csv": what the file holds, what it is
 * limited to, and the last day it covers — so a filtered file never passes
 * for the total. The same in Slack and the console.
 */
export function reportFilename(report: Report, extension: "png" | "csv"): string {
  const day = (report.period?.to ?? (extension === "png" ? "chart" : "report")).replace(/[^\w-]/g, "");
  const scope = report.scope ? `${slug(report.scope)}-` : "";
  return `lift-${slug(report.kind) || "report"}-${scope}${day}.${extension}`;
}
