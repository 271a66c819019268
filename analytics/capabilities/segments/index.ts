import type { Capability } from "../../platform/capability.ts";
import { segmentsBench } from "./bench.ts";
import { segmentsVerb } from "./cli.ts";
import { segmentCommand, segmentsCommand } from "./commands.ts";
import { segmentsDemo } from "./demo.ts";
import { segmentsHome, segmentsJob, segmentsPanel, segmentsSection } from "./sections.ts";
import { Segments } from "./service.ts";

export { RFM_SEGMENTS, Segments, segmentKey } from "./service.ts";

/**
 * Customer segments: RFM scores with the rfm package's segment map, k-means
 * clusters explained in words, saved rule segments recomputed nightly with
 * their history, member exports, and a segment filter for revenue questions.
 */
export const segments: Capability = {
  name: "segments",
  summary: "Customer segments: RFM, behavioural clusters, saved rule segments with history, exports",
  commands: [segmentsCommand, segmentCommand],
  cliVerbs: [segmentsVerb],
  digestSections: [segmentsSection],
  homeSections: [segmentsHome],
  panels: [segmentsPanel],
  jobs: [segmentsJob],
  downloads: [
    {
      source: "segment",
      adminOnly: true,
      lines: (platform, key) => {
        const segments = new Segments(platform);
        return segments.csv(segments.get(key), true);
      },
    },
  ],
  demo: [segmentsDemo],
  bench: [segmentsBench],
};
