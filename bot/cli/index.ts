import { AppError, describeError, isAppError } from "../../analytics/platform/base/errors.ts";
import { formatCount } from "../../analytics/platform/base/format.ts";
import type { CommandRunner } from "../../analytics/platform/commands/index.ts";
import type { CliOutcome, OutputFlags } from "../../analytics/platform/contract/cli.ts";
import type { Core } from "../../analytics/platform/core.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { renderText } from "../render/text.ts";
import { DEMO_HELP, demoCommand, importCommand, importHelp } from "./data.ts";
import type { CliIo } from "./io.ts";
import { KEYS_HELP, keysCommand } from "./keys.ts";
import { printReport } from "./output.ts";
import { RUN_HELP, runArgs } from "./run.ts";

export { bufferIo, type CliIo, processIo } from "./io.ts";
export { renderText };

export interface CliContext {
  core: Core;
  /** Runs commands and draws charts (on this thread for the CLI). */
  runner: CommandRunner;
  io: CliIo;
  /** Where a running Lift listens (for `demo --live`). */
  serverUrl: string;
  databasePath?: string;
}

/** The CLI's own verbs: starting, running commands, and admin tasks (imports, demo data, keys). */
interface EdgeVerb {
  name: string;
  summary: string;
  help: (core: Core) => string;
  run(args: string[], context: CliContext): Promise<CliOutcome>;
}

const STATUS_HELP = "lift status   row counts and data freshness\n";

const EDGE_VERBS: EdgeVerb[] = [
  {
    name: "run",
    summary: "any command Slack understands (lift run help lists them)",
    help: () => RUN_HELP,
    run: async (args) => runArgs(args),
  },
  {
    name: "import",
    summary: "import a CSV or NDJSON file (events, customers, orders, campaigns, mentions, …)",
    help: (core) => importHelp(core),
    run: async (args, { core, io }) => ({ exitCode: await importCommand(core, args, io) }),
  },
  {
    name: "demo",
    summary: "seed the demo workspace (--live: keep sending events)",
    help: () => DEMO_HELP,
    run: async (args, { core, io, serverUrl }) => ({
      exitCode: await demoCommand(core, args, io, serverUrl),
    }),
  },
  {
    name: "keys",
    summary: "create, list and revoke write keys",
    help: () => KEYS_HELP,
    run: async (args, { core, io }) => ({ exitCode: await keysCommand(core, args, io) }),
  },
  {
    name: "status",
    summary: "row counts and data freshness",
    help: () => STATUS_HELP,
    run: async (_args, { core, io }) => {
      const status = await core.status();
      io.out(
        `${Object.entries(status.counts)
          .map(([table, n]) => `${table.padEnd(10)} ${formatCount(n).padStart(12)}`)
          .join("\n")}\n${status.freshness.text}${status.freshness.stale ? " (stale)" : ""}\n`,
      );
      for (const warning of status.warnings) io.err(`lift: warning: ${warning.replace(/`/g, "")}\n`);
      return { exitCode: 0 };
    },
  },
  {
    name: "sources",
    summary: "pulled sources: list, add, pause, resume, delete, pull now",
    help: () =>
      "lift sources · lift sources add KIND TARGET [every 15m] · lift sources pause|resume|delete ID · lift sources pull [ID]\n",
    run: async (args) => ({
      command: `sources ${args.join(" ")}`.trim(),
      output: { json: false, csv: false },
    }),
  },
  {
    name: "db:migrate",
    summary: "apply database migrations (they also run at every start)",
    help: () => "lift db:migrate   apply database migrations (they also run at every start)\n",
    run: async (_args, { io, databasePath }) => {
      io.out(`Database${databasePath ? ` at ${databasePath}` : ""} is up to date.\n`);
      return { exitCode: 0 };
    },
  },
];

export function helpText(core: Core): string {
  const verbs = [
    ["(no command) | serve", "start Lift (local console without Slack tokens)"],
    ...EDGE_VERBS.map((v) => [v.name, v.summary]),
    ...core.cliVerbs().map((v) => [v.name, v.summary]),
  ];
  const width = Math.max(...verbs.map(([name]) => name!.length)) + 2;
  const commands = core.commands
    .list()
    .map((c) => c.name)
    .join(", ");
  return `Lift: marketing analytics that lives in Slack.

Usage: lift <command> [options]     (npx lift <command> in a checkout)

${verbs.map(([name, summary]) => `  ${name!.padEnd(width)}${summary}`).join("\n")}

Any command of the command language works as a verb too (lift alerts, lift digest weekly):
  ${commands}
lift <verb or command> --help tells more.
`;
}

/**
 * The CLI edge: one verb → one core call → printed. Verbs are the CLI's own
 * (run, import, demo, keys, status, sources), the capabilities' (kpi, funnel,
 * pacing, …), or any command of the command language. Exit codes: 0 ok,
 * 1 a problem with the input (said on stderr with how to fix it), 2 internal,
 * 3 an import that took some rows and rejected others.
 */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const { core, io } = context;
  const [verb = "help", ...args] = argv;
  try {
    if (verb === "help" || verb === "--help" || verb === "-h") {
      const topic = args[0];
      if (!topic) {
        io.out(helpText(core));
        return 0;
      }
      return runCli([topic, "--help"], context);
    }
    const wantsHelp = args.includes("--help") || args.includes("-h");
    const edge = EDGE_VERBS.find((v) => v.name === verb);
    const contributed = core.cliVerbs().find((v) => v.name === verb);
    const command = core.commands.find(verb);
    if (wantsHelp) {
      if (edge) io.out(edge.help(core));
      else if (contributed) io.out(contributed.help);
      if (command) {
        if (edge || contributed) io.out("\n");
        io.out(renderText(await context.runner.run(`help ${command.name}`, { userId: "cli" })));
      }
      if (!edge && !contributed && !command) throw unknownVerb(verb, core);
      return 0;
    }
    let outcome: CliOutcome;
    if (edge) outcome = await edge.run(args, context);
    else if (contributed) outcome = await core.runCliVerb(contributed, args, io);
    else if (command) outcome = runArgs([verb, ...args]);
    else throw unknownVerb(verb, core);
    if ("exitCode" in outcome) return outcome.exitCode;
    const report =
      "report" in outcome ? outcome.report : await context.runner.run(outcome.command, { userId: "cli" });
    const printed = await printReport(report, outcome.output, io, context.runner);
    return report.kind === "confirm" ? await confirmAction(report, outcome.output, context) : printed;
  } catch (error) {
    // --json asks for JSON: errors too, on stdout, with the same exit codes.
    if (args.includes("--json")) {
      const known = isAppError(error) && error.code !== "internal";
      if (!known) core.logger.error({ err: error }, "command failed");
      const body = known
        ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
        : { code: "internal", message: `internal error: ${describeError(error)}` };
      io.out(`${JSON.stringify({ error: body }, null, 2)}\n`);
      return known ? 1 : 2;
    }
    if (isAppError(error) && error.code !== "internal") {
      io.err(
        `lift: ${error.message}\n${error.hint ? `  ${error.hint.trimEnd().replace(/\n/g, "\n  ")}\n` : ""}`,
      );
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`lift: ${error.message}\n  lift ${verb} --help lists the options\n`);
      return 1;
    }
    core.logger.error({ err: error }, "command failed");
    io.err(`lift: internal error: ${describeError(error)}\n`);
    return 2;
  }
}

function unknownVerb(verb: string, core: Core): AppError {
  const suggestions = core.commands.closest(verb);
  return new AppError("invalid_input", `“${verb}” is not a Lift command`, {
    hint:
      suggestions.length > 0
        ? `did you mean ${suggestions.join(" or ")}? lift help lists them`
        : "lift help lists them",
  });
}

/**
 * An action read from plain words ("set up a daily digest at 9am"): on a terminal, asked before it
 * runs; elsewhere printed, not done, with the command that does it (exit 0: nothing failed).
 */
async function confirmAction(report: Report, output: OutputFlags, context: CliContext): Promise<number> {
  const action = report.actions.find((a) => a.id === "confirm");
  if (!action) return 0;
  const { io } = context;
  const yes = (await io.confirm?.(`Run \`${action.command}\`?`)) ?? null;
  if (yes === null) {
    if (!output.json) io.out(`Not done. To do it: lift run "${action.command.replace(/"/g, '\\"')}"\n`);
    return 0;
  }
  if (!yes) {
    io.out("Not done.\n");
    return 0;
  }
  return printReport(await context.runner.run(action.command, { userId: "cli" }), output, io, context.runner);
}
