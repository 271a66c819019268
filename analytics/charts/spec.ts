/** What a chart shows, independent of how it is drawn (PNG for Slack and the console). */
export interface ChartSpec {
  kind: "line" | "bar" | "stacked-bar";
  title: string;
  /** X axis labels, e.g. days "Nov 3" or channel names. */
  labels: string[];
  series: ChartSeries[];
  /** How values on the Y axis read. */
  format: ValueFormat;
  currency?: string;
}

export interface ChartSeries {
  name: string;
  /** null where there is no data (drawn as a gap, never as zero). */
  values: (number | null)[];
  /** Draw dashed, e.g. the comparison period. */
  dashed?: boolean;
}

export type ValueFormat = "count" | "money" | "percent" | "multiple";
