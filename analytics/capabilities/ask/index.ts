import { defineCapability } from "../../platform/contract/capability.ts";
import { askCommand, whyCommand } from "./commands.ts";
import { askSettings } from "./settings.ts";

export { actionReading, amountIn, cannotDo, cannotReading } from "./actions.ts";
export { whyDataSchema } from "./explain.ts";
export {
  type AskVocabulary,
  commandReading,
  overviewReading,
  type Question,
  type Reading,
  type Tool,
  type Vocabulary,
  vocabularyPoint,
} from "./vocabulary.ts";

/**
 * Ask: questions in plain words. The registry's fallback — anything that is not
 * a command comes here — read by the KPI grammar first, then by a language
 * model when one is configured, else without one; and `why`, which explains a
 * change from the data. Each capability adds its words (`vocabularyPoint`).
 */
export const ask = defineCapability({
  name: "ask",
  summary: "Questions in plain words (with or without a language model); why a metric moved",
  settings: askSettings,
  setup: () => ({
    commands: [askCommand, whyCommand],
    fallback: "ask",
  }),
});
