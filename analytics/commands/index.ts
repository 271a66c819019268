export { queryText } from "../metrics/query-text.ts";
export { createCommands, registerBuiltinCommands } from "./builtin.ts";
export { followUpCommand } from "./follow-up.ts";
export {
  closestMetrics,
  GRAMMAR_HELP,
  type ParsedQuery,
  parseKpiQuestion,
  readKpiQuestion,
} from "./grammar.ts";
export { type Command, type CommandContext, CommandRegistry } from "./registry.ts";
export { AnswerThread, type Asker, type CommandRunner, inProcessRunner } from "./runner.ts";
