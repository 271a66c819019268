import type { Capability } from "../../platform/capability.ts";
import { campaignSection, campaignsCommand, pacingCommand, pacingVerb } from "./commands.ts";
import { campaignsKind } from "./data.ts";
import { campaignsDemo } from "./demo.ts";

export { type CampaignPacing, computePacing } from "./pacing.ts";
export { type Pacing, pace } from "./pacing-math.ts";

/** Campaigns and pacing: spend, CPA and ROAS per campaign, budget pacing, and the ad platforms' figures. */
export const campaigns: Capability = {
  name: "campaigns",
  summary: "Campaign spend, CPA and ROAS, budget pacing, and campaign imports",
  commands: [campaignsCommand, pacingCommand],
  cliVerbs: [pacingVerb],
  digestSections: [campaignSection],
  dataKinds: [campaignsKind],
  demo: [campaignsDemo],
};
