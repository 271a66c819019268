import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { channelsVocabulary } from "./ask.ts";
import { kpiVerb } from "./cli.ts";
import { channelsCommand, kpiCommand } from "./commands.ts";
import { kpiContext } from "./context.ts";
import { channelSection, kpiSection } from "./digest.ts";
import { kpiPrompts } from "./prompts.ts";
import { todayHome, todayPanel, trendPanel } from "./surfaces.ts";

export { QUICK_COMMANDS, revenueTrend, TODAY_QUERY } from "./surfaces.ts";

/** KPIs and channels: any metric for any period, compared and broken down; today's tiles; the KPI digest sections. */
export const kpis = defineCapability({
  name: "kpis",
  summary: "Any KPI for any period, compared and broken down; channels; today so far",
  setup: () => ({
    prompts: [kpiPrompts],
    commands: [kpiCommand, channelsCommand],
    cliVerbs: [kpiVerb],
    digestSections: [kpiSection, channelSection],
    homeSections: [todayHome],
    panels: [todayPanel, trendPanel],
    contextProviders: [kpiContext],
    extensions: [contribute(vocabularyPoint, channelsVocabulary)],
  }),
});
