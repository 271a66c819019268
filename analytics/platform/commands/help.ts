import { AppError } from "../base/errors.ts";
import type { Report } from "../reports/report.ts";
import type { CommandRegistry } from "./registry.ts";

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
    // Examples of commands that change state are shown, never offered as buttons.
    actions: commands
      .filter((c) => !c.mutates)
      .flatMap((c) => c.examples.slice(0, command ? 4 : 0))
      .map((example, i) => ({ id: `example_${i}`, label: example, command: example })),
    warnings: [],
  };
}

/** `help [command]`: the platform's own command, listing what every capability contributed. */
export function registerHelp(registry: CommandRegistry): void {
  registry.add("platform", {
    name: "help",
    aliases: ["?", "commands"],
    summary: "What Lift understands, with examples",
    usage: "help [command]",
    examples: ["help kpi"],
    mutates: false,
    personal: false,
    run: async (args) => helpReport(registry, args.trim().toLowerCase()),
  });
}
