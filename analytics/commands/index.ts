export { createCommands, registerBuiltinCommands } from "./builtin.ts";
export { followUpCommand, queryText } from "./follow-up.ts";
export {
  closestMetrics,
  GRAMMAR_HELP,
  type ParsedQuery,
  parseKpiQuestion,
  readKpiQuestion,
} from "./grammar.ts";
export { type Command, type CommandContext, CommandRegistry } from "./registry.ts";
export { AnswerThread, type CommandRunner, inProcessRunner } from "./runner.ts";
