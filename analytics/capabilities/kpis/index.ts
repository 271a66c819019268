import type { Capability } from "../../platform/capability.ts";
import { kpiBench } from "./bench.ts";
import { kpiVerb } from "./cli.ts";
import { channelsCommand, kpiCommand } from "./commands.ts";
import { kpiContext } from "./context.ts";
import { channelSection, kpiSection } from "./digest.ts";
import { todayHome, todayPanel, trendPanel } from "./surfaces.ts";

export { QUICK_COMMANDS, revenueTrend, TODAY_QUERY } from "./surfaces.ts";

/** KPIs and channels: any metric for any period, compared and broken down; today's tiles; the KPI digest sections. */
export const kpis: Capability = {
  name: "kpis",
  summary: "Any KPI for any period, compared and broken down; channels; today so far",
  commands: [kpiCommand, channelsCommand],
  cliVerbs: [kpiVerb],
  digestSections: [kpiSection, channelSection],
  homeSections: [todayHome],
  panels: [todayPanel, trendPanel],
  contextProviders: [kpiContext],
  bench: [kpiBench],
};
