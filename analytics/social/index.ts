import type { Capability } from "../capability.ts";
import { mentionsKind } from "./data.ts";
import { mentionsDemo } from "./demo.ts";

export { labelFor, mentionRowSchema } from "./data.ts";
export { SPIKE_DAYS_AGO } from "./demo.ts";

/** Social listening: mentions of the brand (pushed, imported or pulled) and their sentiment. */
export const social: Capability = {
  name: "social",
  summary: "Social mentions of the brand and their sentiment",
  dataKinds: [mentionsKind],
  demo: [mentionsDemo],
};
