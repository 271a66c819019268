import { listCampaigns } from "../../db/queries/campaigns.ts";
import type { Core } from "../core.ts";
import { AppError } from "../errors.ts";
import { formatPercent } from "../format.ts";
import { parseFunnelSteps } from "../metrics/funnels.ts";
import { computePacing } from "../metrics/pacing.ts";
import { kpiReport } from "../metrics/report.ts";
import type { Report } from "../reports/report.ts";
import { GRAMMAR_HELP, type ParsedQuery, parseKpiQuestion } from "./grammar.ts";
import { type CommandContext, CommandRegistry } from "./registry.ts";
import { registerScheduleCommands } from "./schedule-commands.ts";

/** A campaign named in words ("Brand search") or by id → its id. */
async function resolveCampaign(core: Core, query: ParsedQuery): Promise<ParsedQuery> {
  const wanted = query.filter.campaignId;
  if (wanted === undefined) return query;
  const campaigns = await listCampaigns(core.db);
  const match =
    campaigns.find((c) => c.id === wanted) ??
    campaigns.find(
      (c) => c.id.toLowerCase() === wanted.toLowerCase() || c.name.toLowerCase() === wanted.toLowerCase(),
    );
  if (!match) {
    const names = campaigns.slice(0, 8).map((c) => c.id);
    throw new AppError("not_found", `There is no campaign “${wanted}”`, {
      hint: names.length > 0 ? `campaigns include ${names.join(", ")}` : "no campaigns are imported yet",
    });
  }
  return { ...query, filter: { ...query.filter, campaignId: match.id } };
}

/** Reads a question with defaults a command adds when the words do not say otherwise. */
function question(args: string, core: Core, defaults: Partial<ParsedQuery> = {}): ParsedQuery {
  const parsed = parseKpiQuestion(args, core.today());
  return {
    ...parsed,
    metrics: parsed.metrics.length > 0 ? parsed.metrics : (defaults.metrics ?? []),
    by: parsed.by !== "none" ? parsed.by : (defaults.by ?? "none"),
  };
}

function helpReport(registry: CommandRegistry, topic: string): Report {
  const command = topic ? registry.find(topic) : undefined;
  if (topic && !command) {
    const suggestions = registry.closest(topic);
    throw new AppError("invalid_input", `There is no command “${topic}”`, {
      hint: suggestions.length > 0 ? `did you mean ${suggestions.join(" or ")}?` : "`help` lists them all",
    });
  }
  const commands = command ? [command] : registry.list();
  return {
    kind: "help",
    title: command ? `Lift · ${command.name}` : "Lift · what you can ask",
    summary: command
      ? `${command.summary}.${command.details ? `\n${command.details}` : ""}`
      : "Ask in plain words: a metric, a period, a breakdown, a comparison and a filter, in any order. Every answer says its period, time zone and data freshness.",
    facts: [],
    table: {
      columns: [
        { key: "command", label: "Command", format: "text" },
        { key: "what", label: "What it does", format: "text" },
        { key: "example", label: "Example", format: "text" },
      ],
      rows: commands.map((c) => [c.usage, c.summary, c.examples[0] ?? ""]),
    },
    charts: [],
    actions: commands
      .flatMap((c) => c.examples.slice(0, command ? 4 : 0))
      .map((example, i) => ({ id: `example_${i}`, label: example, command: example })),
    warnings: [],
  };
}

/** The commands this foundation ships; other capabilities register theirs on the same registry. */
export function registerBuiltinCommands(registry: CommandRegistry): CommandRegistry {
  registry.register({
    name: "help",
    aliases: ["?", "commands"],
    summary: "What Lift understands, with examples",
    usage: "help [command]",
    examples: ["help kpi"],
    mutates: false,
    run: async (args) => helpReport(registry, args.trim().toLowerCase()),
  });
  registry.register(
    {
      name: "kpi",
      aliases: ["kpis", "metrics", "show"],
      summary: "Any KPI for any period, compared and broken down (also without the word kpi)",
      details: GRAMMAR_HELP,
      usage: "kpi [metrics] [period] [by …] [vs …] [for …]",
      examples: [
        "kpi revenue last 30 days by channel",
        "kpi signups and orders this month vs last year",
        "kpi cpa for paid search by campaign yesterday",
      ],
      mutates: false,
      run: async (args, { core }: CommandContext) =>
        core.kpiReport(await resolveCampaign(core, question(args, core))),
    },
    { fallback: true },
  );
  registry.register({
    name: "channels",
    aliases: ["channel"],
    summary: "Every channel's visitors, orders, revenue, conversion, spend and ROAS",
    usage: "channels [period] [vs …]",
    examples: ["channels last 7 days", "channels this month vs last year"],
    mutates: false,
    run: async (args, { core }) =>
      core.kpiReport(
        question(args, core, {
          metrics: ["visitors", "orders", "revenue", "conversion_rate", "spend", "roas"],
          by: "channel",
        }),
      ),
  });
  registry.register({
    name: "campaigns",
    aliases: ["campaign"],
    summary: "Every campaign's spend, orders, revenue, CPA and ROAS, with budget pacing",
    usage: "campaigns [period] [vs …] [for CHANNEL]",
    examples: ["campaigns this month vs last month", "campaigns last 7 days for paid search"],
    mutates: false,
    run: async (args, { core }) => {
      const query = question(args, core, {
        metrics: ["spend", "clicks", "orders", "revenue", "cpa", "roas"],
        by: "campaign",
      });
      const [result, pacing] = await Promise.all([
        core.kpis(query),
        computePacing({
          db: core.db,
          timeZone: core.settings.timeZone,
          currency: core.settings.currency,
          now: core.now,
        }),
      ]);
      const report = kpiReport(result);
      if (report.table && query.by === "campaign") {
        const byId = new Map(pacing.campaigns.map((c) => [c.id, c]));
        report.table.columns.push(
          { key: "pace", label: "Budget pace", format: "percent" },
          { key: "pacing", label: "Pacing", format: "text" },
        );
        result.groups.forEach((group, i) => {
          const paced = byId.get(group.key);
          report.table!.rows[i]!.push(
            paced?.pacing.pace ?? null,
            paced ? paced.pacing.status.replace("_", " ") : null,
          );
        });
        report.table.totals?.push(null, null);
        const off = pacing.campaigns.filter(
          (c) => c.pacing.status === "over" || c.pacing.status === "under" || c.pacing.status === "overspent",
        );
        if (off.length > 0) {
          report.summary += ` Off budget pace: ${off
            .slice(0, 3)
            .map(
              (c) =>
                `${c.name} (${c.pacing.pace === null ? "—" : formatPercent(c.pacing.pace, 0)} of even spend)`,
            )
            .join(", ")}.`;
        }
      }
      return report;
    },
  });
  registry.register({
    name: "funnel",
    aliases: ["funnels"],
    summary: "Conversion through ordered events within a window, by channel",
    usage: "funnel STEP > STEP > … [within 7 days] [period] [by channel]",
    examples: ["funnel page > Product Added > Order Completed within 7 days by channel"],
    mutates: false,
    run: async (args, { core }) => {
      let text = ` ${args} `;
      let windowDays = 7;
      text = text.replace(/\s(?:within|in under|inside)\s+(\d{1,2})\s*(?:d|days?)\s/i, (_, days: string) => {
        windowDays = Number(days);
        return " ";
      });
      let byChannel = false;
      text = text.replace(/\s(?:by|per)\s+channels?\s/i, () => {
        byChannel = true;
        return " ";
      });
      const periodWords =
        /\s((?:last|past|this|previous)\s[\w\s]+?|yesterday|today|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})\s*$/i.exec(
          text,
        );
      let period: ParsedQuery["period"] = { kind: "last_days", n: 30 };
      if (periodWords) {
        const parsed = parseKpiQuestion(periodWords[1]!, core.today());
        period = parsed.period;
        text = text.slice(0, periodWords.index);
      }
      const steps = parseFunnelSteps(text);
      return core.funnelReport({ steps, period, windowDays, byChannel });
    },
  });
  registry.register({
    name: "pacing",
    aliases: ["budget", "budgets"],
    summary: "Budget pacing of every campaign with a budget",
    usage: "pacing",
    examples: ["pacing"],
    mutates: false,
    run: async (_args, { core }) => core.pacingReport(),
  });
  return registry;
}

export function createCommands(): CommandRegistry {
  const registry = registerBuiltinCommands(new CommandRegistry());
  registerScheduleCommands(registry);
  return registry;
}
