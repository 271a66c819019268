import type { CommandsApi } from "../contract/api.ts";
import {
  type GrammarWords,
  NO_WORDS,
  type ParsedQuery,
  parseKpiQuestion,
  readKpiQuestion,
} from "../metrics/grammar.ts";
import { queryText } from "../metrics/query-text.ts";
import { isGroupBreakdown } from "../metrics/types.ts";

/** Commands whose arguments are a KPI question, so a follow-up can change one part of it. */
const QUESTION_COMMANDS = new Set(["kpi", "channels", "campaigns", "why"]);

// "and by campaign?", "what about last week", "same for email", "also orders".
const LEAD =
  /^(?:(?:and|ok|okay|now|then|so|but|what about|how about|same|same but|same thing|same for|instead|also|plus|add)\b[\s,]*)+/i;

/**
 * The command a reply in a thread stands for, given the thread's last command.
 * "and by campaign?" after "kpi revenue last 30 days by channel" is
 * "kpi revenue last 30 days by campaign"; a reply that is a command of its own,
 * or that changes nothing a question has, stands for itself.
 */
export function followUpCommand(
  registry: Pick<CommandsApi, "find" | "resolve">,
  previous: string,
  reply: string,
  today: string,
  words: GrammarWords = NO_WORDS,
): string {
  const text = reply.trim();
  const lead = LEAD.exec(text)?.[0] ?? "";
  const adding = /\b(also|plus|add)\b/i.test(lead);
  const rest = text
    .slice(lead.length)
    .replace(/\binstead\b/gi, " ")
    .trim();
  const first = rest.split(/\s+/)[0] ?? "";
  const own = registry.find(first);
  if (own && !QUESTION_COMMANDS.has(own.name)) return text;
  let before: { name: string; args: string };
  try {
    const resolved = registry.resolve(previous);
    before = { name: resolved.command.name, args: resolved.args };
  } catch {
    return text;
  }
  // A bare question ("revenue yesterday") went to ask, which gave it to the KPI grammar.
  if (before.name === "ask") {
    try {
      parseKpiQuestion(before.args, today, words);
      before = { name: "kpi", args: before.args };
    } catch {
      return text;
    }
  }
  if (!QUESTION_COMMANDS.has(before.name)) return text;
  // "kpi orders" in reply to "channels …" is a fresh question, not a change of one.
  if (own && own.name !== before.name) return text;
  let change: ReturnType<typeof readKpiQuestion>;
  let base: ParsedQuery;
  try {
    change = readKpiQuestion(own ? rest.slice(first.length) : rest, today, words);
    base = parseKpiQuestion(before.args, today, words);
  } catch {
    return text;
  }
  const { query, said } = change;
  if (!Object.values(said).some(Boolean)) return text;
  const merged: ParsedQuery = {
    metrics: said.metrics
      ? adding
        ? [...base.metrics, ...query.metrics.filter((m) => !base.metrics.includes(m))]
        : query.metrics
      : base.metrics,
    period: said.period ? query.period : base.period,
    compare: said.compare ? query.compare : base.compare,
    by: said.by ? query.by : base.by,
    filter: said.filter
      ? {
          ...base.filter,
          ...query.filter,
          ...(base.filter.scopes || query.filter.scopes
            ? { scopes: { ...base.filter.scopes, ...query.filter.scopes } }
            : {}),
        }
      : base.filter,
    ...(base.include || query.include
      ? { include: [...new Set([...(base.include ?? []), ...(query.include ?? [])])] }
      : {}),
  };
  // A rank carries over while what it ranks does ("top 5 campaigns" → "and by channel?").
  const rank = said.rank ? query.rank : base.rank;
  if (rank && isGroupBreakdown(merged.by)) merged.rank = rank;
  return `${before.name} ${queryText(merged)}`.trim();
}
