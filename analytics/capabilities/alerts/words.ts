import { AppError } from "../../platform/base/errors.ts";
import { parseKpiQuestion } from "../../platform/metrics/grammar.ts";

export function grainOf(text: string): "daily" | "weekly" {
  return /\s(weekly|week over week|wow|a week|per week)\s/.test(text) ? "weekly" : "daily";
}

/** The phrase without its cadence words ("daily", "week over week"). */
export function withoutCadence(text: string): string {
  return text.replace(
    /\s(daily|weekly|week over week|day over day|wow|dod|a day|per day|a week|per week|each day)(?=\s)/g,
    " ",
  );
}

/** The one metric (and channel) an alert watches, read with the KPI grammar. */
export function metricAndChannel(words: string, today: string): { metric: string; channel?: string } {
  const query = parseKpiQuestion(words, today);
  if (query.metrics.length !== 1) {
    throw new AppError("invalid_input", "An alert watches one metric", {
      hint: "e.g. `alert revenue below 5000 daily` or `alert signups anomaly`",
    });
  }
  return { metric: query.metrics[0]!, ...(query.filter.channel ? { channel: query.filter.channel } : {}) };
}

// Said the same way by every capability's alerts: kept in the platform, named here as alerts always read them.
export { dayWindow, phrase } from "../../platform/contract/alerts.ts";
export { metricWords } from "../../platform/metrics/report.ts";
