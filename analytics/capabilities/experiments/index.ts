import { z } from "zod";
import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { slackChannel } from "../../platform/contract/settings.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { experimentAlert } from "./alert.ts";
import { experimentsService } from "./api.ts";
import { experimentsVocabulary } from "./ask.ts";
import { experimentsVerb } from "./cli.ts";
import { experimentCommand, experimentsCommand } from "./commands.ts";
import { experimentResultsKind, experimentsKind } from "./data.ts";
import { experimentsDemo } from "./demo.ts";
import { exposures } from "./exposures.ts";
import { experimentsPersonalData } from "./personal.ts";
import { experimentPrompts } from "./prompts.ts";
import {
  experimentsContext,
  experimentsCustomerSection,
  experimentsHome,
  experimentsJob,
  experimentsPanel,
  experimentsSection,
} from "./sections.ts";
import { Experiments } from "./service.ts";

export { analyseExperiment, DEFAULT_DECISION, type ExperimentResult } from "./analysis.ts";
export { experimentsService } from "./api.ts";
export { EXPOSURE_EVENT } from "./exposures.ts";
export { experimentDataSchema } from "./report.ts";
export type { Experiments } from "./service.ts";

const settings = z.object({
  /** Where experiment alerts go when an experiment names no channel; the console's feed when empty. */
  LIFT_EXPERIMENTS_CHANNEL: slackChannel,
});

/**
 * A/B experiments: exposures from Experiment Viewed events (or another tool's
 * results), GrowthBook's statistics with an always-valid sequential test,
 * CUPED, sample-ratio checks, a verdict, and an alert once per state change.
 */
export const experiments = defineCapability({
  name: "experiments",
  summary: "A/B experiments: lift, chance to win, always-valid intervals, SRM, CUPED, verdicts and alerts",
  settings,
  eventObservers: [exposures],
  setup(context) {
    const service = experimentsService.provide(context, new Experiments(context));
    return {
      personalData: experimentsPersonalData,
      prompts: [experimentPrompts],
      commands: [experimentsCommand, experimentCommand],
      cliVerbs: [experimentsVerb],
      digestSections: [experimentsSection],
      customerSections: [experimentsCustomerSection],
      homeSections: [experimentsHome],
      panels: [experimentsPanel],
      alertKinds: [experimentAlert],
      contextProviders: [experimentsContext],
      jobs: [experimentsJob],
      dataKinds: [experimentsKind, experimentResultsKind],
      demo: [experimentsDemo],
      extensions: [contribute(vocabularyPoint, experimentsVocabulary(service))],
    };
  },
});
