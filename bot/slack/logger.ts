import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { type Logger, scrub } from "../../analytics/platform/base/log.ts";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function line(args: unknown[]): string {
  return scrub(
    args
      .map((a) => (typeof a === "string" ? a : a instanceof Error ? a.message : JSON.stringify(a)))
      .join(" "),
  );
}

/** Bolt and its clients log through Lift's pino logger, with the same redaction. */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: "slack" });
  return {
    debug: (...args) => log.debug(line(args)),
    info: (...args) => log.info(line(args)),
    warn: (...args) => log.warn(line(args)),
    error: (...args) => log.error(line(args)),
    setLevel: () => {},
    getLevel: () => LEVELS[log.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
