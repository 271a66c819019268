export { createCommands, registerBuiltinCommands } from "./builtin.ts";
export { closestMetrics, GRAMMAR_HELP, type ParsedQuery, parseKpiQuestion } from "./grammar.ts";
export { type Command, type CommandContext, CommandRegistry } from "./registry.ts";
