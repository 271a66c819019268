import { formatPercent } from "../../platform/base/format.ts";
import type { PromptSource } from "../../platform/contract/capability.ts";

/** The KPIs the panel looks at for yesterday's biggest move. */
const WATCHED = ["revenue", "orders", "visitors", "signups"];

/** The assistant panel: yesterday's biggest change against the same weekday a week before. */
export const kpiPrompts: PromptSource = {
  id: "kpis",
  order: 10,
  async build({ platform }) {
    const result = await platform.kpis({
      metrics: WATCHED,
      period: { kind: "yesterday" },
      compare: "week_before",
      by: "none",
      filter: {},
    });
    const moved = result.metrics
      .map((m) => ({ metric: m, change: result.totals.change[m.key] }))
      .filter(
        (m): m is { metric: (typeof result.metrics)[number]; change: number } => typeof m.change === "number",
      )
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))[0];
    if (!moved || Math.abs(moved.change) < 0.05)
      return [{ title: "How did yesterday go?", message: "kpi revenue and orders yesterday" }];
    const word = moved.metric.label.toLowerCase();
    return [
      {
        title: `Why did ${word} ${moved.change < 0 ? "fall" : "rise"} ${formatPercent(Math.abs(moved.change), 0)} yesterday?`,
        message: `why ${moved.metric.key.replace(/_/g, " ")} yesterday`,
      },
    ];
  },
};
