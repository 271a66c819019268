import type { Capability } from "../../platform/capability.ts";
import { experimentAlert } from "./alert.ts";
import { experimentsBench } from "./bench.ts";
import { experimentsVerb } from "./cli.ts";
import { experimentCommand, experimentsCommand } from "./commands.ts";
import { experimentResultsKind, experimentsKind } from "./data.ts";
import { experimentsDemo } from "./demo.ts";
import {
  experimentsContext,
  experimentsHome,
  experimentsJob,
  experimentsPanel,
  experimentsSection,
} from "./sections.ts";

export { analyseExperiment, DEFAULT_DECISION, type ExperimentResult } from "./analysis.ts";
export { experimentDataSchema } from "./report.ts";
export { Experiments } from "./service.ts";

/**
 * A/B experiments: exposures from Experiment Viewed events (or another tool's
 * results), GrowthBook's statistics with an always-valid sequential test,
 * CUPED, sample-ratio checks, a verdict, and an alert once per state change.
 */
export const experiments: Capability = {
  name: "experiments",
  summary: "A/B experiments: lift, chance to win, always-valid intervals, SRM, CUPED, verdicts and alerts",
  commands: [experimentsCommand, experimentCommand],
  cliVerbs: [experimentsVerb],
  digestSections: [experimentsSection],
  homeSections: [experimentsHome],
  panels: [experimentsPanel],
  alertKinds: [experimentAlert],
  contextProviders: [experimentsContext],
  jobs: [experimentsJob],
  dataKinds: [experimentsKind, experimentResultsKind],
  demo: [experimentsDemo],
  bench: [experimentsBench],
};
