import { formatPercent } from "../../platform/base/format.ts";
import type { CapabilityContext, Panel } from "../../platform/contract/capability.ts";
import type { DigestSection } from "../../platform/digest/digest.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { forecastCommand, targetCommand } from "./commands.ts";
import { forecastTotal } from "./forecast.ts";
import { forecastKpi, readMetric, show } from "./kpi-forecast.ts";
import type { PredictSettings } from "./settings.ts";
import { readHorizon } from "./words.ts";

/** One line per target the admins set (LIFT_TARGETS), or the month's revenue outlook without any. */
async function outlookLines(context: CapabilityContext): Promise<string[]> {
  const { platform } = context;
  const settings = context.settings as PredictSettings;
  const lines: string[] = [];
  for (const target of settings.LIFT_TARGETS) {
    try {
      const report = await targetCommand.run(target, { ...context, userId: "lift" });
      const chance = report.data?.["chance"] as number | undefined;
      lines.push(
        `🎯 ${report.title}: ${chance === undefined ? report.summary : `${formatPercent(chance, 0)} chance · ${report.facts[1]?.value ?? ""} projected`}`,
      );
    } catch (error) {
      lines.push(`🎯 ${target}: ${(error as Error).message}`);
    }
  }
  if (lines.length > 0) return lines;
  try {
    const { horizon, rest } = readHorizon("revenue this month", platform.today());
    const f = await forecastKpi(platform, await readMetric(platform, rest), horizon);
    const total = forecastTotal(f.forecast, f.days.length, f.soFar ?? 0, null);
    return [
      `📈 Revenue this month: on course for ${show(f, total.expected)} (80 %: ${show(f, total.low80)}–${show(f, total.high80)}), ${f.forecast.model}`,
    ];
  } catch {
    // Too little history for a forecast: the section says nothing rather than something unfounded.
    return [];
  }
}

/** The digest: each target's chance, or the month's revenue outlook. */
export const forecastSection: DigestSection = {
  id: "forecast",
  order: 15,
  title: "Forecast vs target",
  async build(context) {
    const lines = await outlookLines(context);
    return lines.length > 0 ? { lines } : null;
  },
};

/** App Home: the same outlook, with the forecast a click away. */
export const forecastHome: HomeSection = {
  id: "forecast",
  order: 15,
  async build(context) {
    const lines = await outlookLines(context);
    if (lines.length === 0) return null;
    return simpleReport("forecast", "Outlook", lines.join("\n"), {
      actions: [{ id: "forecast_open", label: "Revenue forecast", command: "forecast revenue next 30 days" }],
    });
  },
};

/** The console: revenue's forecast for the next 30 days, chart and bands. */
export const forecastPanel: Panel = {
  id: "forecast",
  title: "Forecast",
  order: 25,
  subtitle: "Revenue, the next 30 days, with its 80 % band",
  async build(context) {
    try {
      return [await forecastCommand.run("revenue next 30 days", context)];
    } catch (error) {
      return [simpleReport("forecast", "Forecast", (error as Error).message)];
    }
  },
};
