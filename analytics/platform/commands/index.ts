export type { Command, CommandContext } from "../contract/capability.ts";
export {
  BREAKDOWN_WORDS,
  closestMetrics,
  GRAMMAR_HELP,
  type ParsedQuery,
  parseKpiQuestion,
  readKpiQuestion,
} from "../metrics/grammar.ts";
export { queryText } from "../metrics/query-text.ts";
export { followUpCommand } from "./follow-up.ts";
export { question, resolveCampaign } from "./questions.ts";
export { CommandRegistry, changesState, requiredRole, showsPeople } from "./registry.ts";
export { AnswerThread, type Asker, type CommandRunner, inProcessRunner } from "./runner.ts";
