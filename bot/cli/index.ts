import type { Core } from "../../analytics/core.ts";
import { AppError, describeError, isAppError } from "../../analytics/errors.ts";
import { formatCount } from "../../analytics/format.ts";
import { DEMO_HELP, demoCommand, IMPORT_HELP, importCommand } from "./data.ts";
import type { CliIo } from "./io.ts";
import { KEYS_HELP, keysCommand } from "./keys.ts";
import { KPI_HELP, kpiCommand } from "./kpi.ts";
import { FUNNEL_HELP, funnelCommand, PACING_HELP, pacingCommand } from "./reports.ts";
import { RUN_HELP, runCommand } from "./run.ts";

export { renderText } from "../render/text.ts";
export { bufferIo, type CliIo, processIo } from "./io.ts";

export const HELP = `Lift: marketing analytics that lives in Slack.

Usage: lift <command> [options]     (npx lift <command> in a checkout)

  (no command) | serve    start Lift (local console without Slack tokens)
  run "<command>"         any command Slack understands (help, kpi, channels, campaigns, funnel, pacing)
  kpi                     KPIs for a period, compared, broken down
  funnel STEPS            conversion through ordered events, by channel
  pacing                  campaign budget pacing
  import KIND FILE        import events, customers, orders, campaigns or mentions
  demo                    seed the demo workspace (--live: keep sending events)
  keys                    create, list and revoke write keys
  status                  row counts and data freshness
  db:migrate              apply database migrations

${RUN_HELP}
${KPI_HELP}
${FUNNEL_HELP}
${PACING_HELP}
${IMPORT_HELP}
${DEMO_HELP}
${KEYS_HELP}`;

export interface CliContext {
  core: Core;
  io: CliIo;
  /** Where a running Lift listens (for `demo --live`). */
  serverUrl: string;
}

/**
 * The CLI edge: one command → one core call → printed. Exit codes: 0 ok,
 * 1 a problem with the input (said on stderr with how to fix it), 2 internal.
 */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const { core, io } = context;
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "kpi":
        return await kpiCommand(core, args, io);
      case "run":
        return await runCommand(core, args, io);
      case "funnel":
        return await funnelCommand(core, args, io);
      case "pacing":
        return await pacingCommand(core, args, io);
      case "import":
        return await importCommand(core, args, io);
      case "demo":
        return await demoCommand(core, args, io, context.serverUrl);
      case "keys":
        return await keysCommand(core, args, io);
      case "status": {
        const status = await core.status();
        io.out(
          `${Object.entries(status.counts)
            .map(([table, n]) => `${table.padEnd(10)} ${formatCount(n).padStart(12)}`)
            .join("\n")}\n${status.freshness.text}${status.freshness.stale ? " (stale)" : ""}\n`,
        );
        return 0;
      }
      case "db:migrate":
        io.out(`Database at ${core.db.path} is up to date.\n`);
        return 0;
      case "help":
      case "--help":
      case "-h":
        io.out(HELP);
        return 0;
      default:
        throw new AppError("invalid_input", `“${command}” is not a Lift command`, {
          hint: "lift help lists them",
        });
    }
  } catch (error) {
    if (isAppError(error) && error.code !== "internal") {
      io.err(
        `lift: ${error.message}\n${error.hint ? `  ${error.hint.trimEnd().replace(/\n/g, "\n  ")}\n` : ""}`,
      );
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`lift: ${error.message}\n  lift help lists the options\n`);
      return 1;
    }
    core.logger.error({ err: error }, "command failed");
    io.err(`lift: internal error: ${describeError(error)}\n`);
    return 2;
  }
}
