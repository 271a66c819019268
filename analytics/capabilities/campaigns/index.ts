import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { campaignsVocabulary, pacingVocabulary } from "./ask.ts";
import { campaignSection, campaignsCommand, pacingCommand, pacingVerb } from "./commands.ts";
import { campaignsDemo } from "./demo.ts";

export { type CampaignPacing, computePacing } from "./pacing.ts";
export { type Pacing, pace } from "./pacing-math.ts";
export { projectionPoint, type SpendProjector } from "./projection.ts";

/** Campaigns and pacing: spend, CPA and ROAS per campaign, budget pacing, and the ad platforms' figures. */
export const campaigns = defineCapability({
  name: "campaigns",
  summary: "Campaign spend, CPA and ROAS, budget pacing, and campaign imports",
  setup: () => ({
    commands: [campaignsCommand, pacingCommand],
    cliVerbs: [pacingVerb],
    digestSections: [campaignSection],
    demo: [campaignsDemo],
    extensions: [contribute(vocabularyPoint, campaignsVocabulary, pacingVocabulary)],
  }),
});
