import type { Capability } from "../../platform/capability.ts";
import { askBench } from "./bench.ts";
import { askCommand, whyCommand } from "./commands.ts";

export { whyDataSchema } from "./explain.ts";

/**
 * Ask: questions in plain words. The registry's fallback — anything that is not
 * a command comes here — read by the KPI grammar first, then by a language
 * model when one is configured, else without one; and `why`, which explains a
 * change from the data.
 */
export const ask: Capability = {
  name: "ask",
  summary: "Questions in plain words (with or without a language model); why a metric moved",
  commands: [askCommand, whyCommand],
  fallback: "ask",
  bench: [askBench],
};
