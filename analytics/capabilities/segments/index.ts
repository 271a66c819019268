import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { segmentsService } from "./api.ts";
import { segmentsVocabulary } from "./ask.ts";
import { segmentsVerb } from "./cli.ts";
import { segmentCommand, segmentsCommand } from "./commands.ts";
import { segmentsDemo } from "./demo.ts";
import { segmentsPersonalData } from "./personal.ts";
import { segmentScope } from "./scope.ts";
import {
  segmentsCustomerSection,
  segmentsHome,
  segmentsJob,
  segmentsPanel,
  segmentsSection,
} from "./sections.ts";
import { Segments } from "./service.ts";

export { type RuleField, ruleFieldPoint, segmentsService } from "./api.ts";
export { segmentIn } from "./ask.ts";
export type { Segments } from "./service.ts";
export { RFM_ACTIONS, RFM_SEGMENTS, segmentKey } from "./service.ts";

/**
 * Customer segments: RFM scores with the rfm package's segment map, k-means
 * clusters explained in words, saved rule segments recomputed nightly with
 * their history, member exports, and a segment filter and breakdown for
 * revenue questions.
 */
export const segments = defineCapability({
  name: "segments",
  summary: "Customer segments: RFM, behavioural clusters, saved rule segments with history, exports",
  setup(context) {
    const service = segmentsService.provide(context, new Segments(context));
    return {
      personalData: segmentsPersonalData,
      commands: [segmentsCommand, segmentCommand],
      cliVerbs: [segmentsVerb],
      digestSections: [segmentsSection],
      customerSections: [segmentsCustomerSection],
      homeSections: [segmentsHome],
      panels: [segmentsPanel],
      jobs: [segmentsJob],
      kpiScopes: [segmentScope(service)],
      downloads: [
        {
          source: "segment",
          personal: true,
          lines: async (_context, key) => service.csv(await service.get(key), true),
        },
      ],
      demo: [segmentsDemo],
      extensions: [contribute(vocabularyPoint, segmentsVocabulary(service))],
    };
  },
});
