/** Text as a literal inside a regular expression (a campaign name, a search term, a metric name). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
