/** What a chart shows, independent of how it is drawn (PNG for Slack and the console). */
export interface ChartSpec {
  /**
   * line: values over time (never smoothed: nothing is invented between days);
   * bar / stacked-bar: categories or periods; hbar: ranked lists (top posts, drivers);
   * scatter: points (customers, segments).
   */
  kind: "line" | "bar" | "stacked-bar" | "hbar" | "scatter";
  title: string;
  /** X axis labels, e.g. days "Nov 3" or channel names (the categories of an hbar). */
  labels: string[];
  series: ChartSeries[];
  /** How values on the value axis read. */
  format: ValueFormat;
  currency?: string;
  /** A shaded interval drawn behind the series (a confidence interval, an anomaly band). */
  band?: ChartBand;
  /** Vertical lines at labels: an experiment's start, an incident. */
  markers?: ChartMarker[];
  /** Scatter only: the points of each group. */
  points?: ScatterGroup[];
  /** Scatter only: how each axis reads. */
  axes?: { x: { label: string; format: ValueFormat }; y: { label: string; format: ValueFormat } };
}

export interface ChartSeries {
  name: string;
  /** null where there is no data (drawn as a gap, never as zero). */
  values: (number | null)[];
  /** Draw dashed, e.g. the comparison period. */
  dashed?: boolean;
}

export interface ChartBand {
  name: string;
  low: (number | null)[];
  high: (number | null)[];
}

export interface ChartMarker {
  /** One of `labels`. */
  at: string;
  text: string;
}

export interface ScatterGroup {
  name: string;
  points: { x: number; y: number }[];
}

export type ValueFormat = "count" | "money" | "percent" | "multiple";
