import { AppError } from "../errors.ts";
import type { Platform } from "../platform.ts";
import type { Report } from "../reports/report.ts";
import { editDistance } from "./distance.ts";

/** Who asks and when: every transport (Slack, console, CLI) fills this in. */
export interface CommandContext {
  /** The platform's services: metrics, ingest, schedules, stored answers, the database through db/. */
  platform: Platform;
  /** Slack user id, "console" or "cli". */
  userId: string;
  /** Where the command was asked (a Slack channel id, or "console"). */
  channelId?: string | undefined;
  /** The asker's own time zone (Slack's profile), for delivery times. */
  userTimeZone?: string | undefined;
  /** In a thread: the command the thread's last answer stands for (a follow-up keeps its parameters). */
  previous?: string | undefined;
}

export interface Command {
  name: string;
  aliases: string[];
  /** One line, for the help table. */
  summary: string;
  /** More, shown by `help <command>`. */
  details?: string;
  usage: string;
  examples: string[];
  /** Changes state (subscriptions, alerts, experiments): only admins may run it. */
  mutates: boolean;
  /**
   * Whether the arguments change state, for commands that both read and change
   * ("alert …" sets an alert, "alerts" lists them): defaults to `mutates`.
   */
  mutatesWith?: (args: string) => boolean;
  run(args: string, context: CommandContext): Promise<Report>;
}

/** Whether running `command` with `args` changes state (only admins may). */
export function changesState(command: Command, args: string): boolean {
  return command.mutatesWith ? command.mutatesWith(args) : command.mutates;
}

/**
 * Lift's one command language, shared by every transport. Capabilities
 * contribute their commands; text is dispatched by its first word, and a bare
 * question ("revenue last 7 days by channel") goes to the fallback.
 */
export class CommandRegistry {
  private readonly commands: Command[] = [];
  private fallback: string | null = null;

  register(command: Command, options: { fallback?: boolean } = {}): void {
    const names = [command.name, ...command.aliases];
    for (const name of names) {
      if (this.find(name)) throw new Error(`command name “${name}” is registered twice`);
    }
    this.commands.push(command);
    if (options.fallback) this.fallback = command.name;
  }

  list(): readonly Command[] {
    return this.commands;
  }

  find(word: string): Command | undefined {
    const name = word.toLowerCase();
    return this.commands.find((command) => command.name === name || command.aliases.includes(name));
  }

  /** The registered names closest to a mistyped one. */
  closest(word: string, count = 3): string[] {
    return this.commands
      .map((command) => ({
        name: command.name,
        d: Math.min(...[command.name, ...command.aliases].map((n) => editDistance(word.toLowerCase(), n))),
      }))
      .filter((c) => c.d <= Math.max(2, Math.floor(word.length / 3)))
      .sort((a, b) => a.d - b.d)
      .slice(0, count)
      .map((c) => c.name);
  }

  /** Splits "kpi revenue by channel" into the command and its arguments. */
  resolve(text: string): { command: Command; args: string } {
    const trimmed = text.trim().replace(/^\/?lift\s+/i, "");
    const [first = "", ...rest] = trimmed.split(/\s+/);
    const command = this.find(first);
    if (command) return { command, args: rest.join(" ") };
    const fallback = this.fallback ? this.find(this.fallback) : undefined;
    if (trimmed === "") return { command: this.find("help") ?? fallback!, args: "" };
    if (fallback) return { command: fallback, args: trimmed };
    throw new AppError("invalid_input", `“${first}” is not a Lift command`, { hint: "try `help`" });
  }

  async run(text: string, context: CommandContext): Promise<Report> {
    const { command, args } = this.resolve(text);
    try {
      return await command.run(args, context);
    } catch (error) {
      // A command word inside a sentence ("campaigns with the lowest CTR", "show me the a/b tests"):
      // the fallback reads the whole sentence; when it cannot either, the command's own error stands.
      const fallback = this.fallback ? this.find(this.fallback) : undefined;
      if (
        error instanceof AppError &&
        error.code === "invalid_input" &&
        fallback &&
        command !== fallback &&
        !changesState(command, args)
      ) {
        let read: Report | null = null;
        try {
          read = await fallback.run(text.trim().replace(/^\/?lift\s+/i, ""), context);
        } catch {
          // Not a question either: the command's message says what was wrong.
        }
        // Read back as the same command with words left out, the command's own message is the better answer.
        const as = read?.command ? this.find(read.command.trim().split(/\s+/)[0] ?? "") : undefined;
        if (read && as !== command) return read;
      }
      // A question the fallback could not read may have been a mistyped command.
      const [first = "", ...rest] = text.trim().split(/\s+/);
      if (
        error instanceof AppError &&
        error.code === "invalid_input" &&
        command.name === this.fallback &&
        !this.find(first)
      ) {
        // Only commands that change nothing are offered: a click must never subscribe or delete.
        const commands = this.closest(first).filter((name) => !this.find(name)?.mutates);
        if (commands.length > 0) {
          throw new AppError("invalid_input", error.message, {
            hint: `${error.hint ? `${error.hint}; ` : ""}or did you mean the command ${commands.map((s) => `\`${s}\``).join(" or ")}?`,
            suggestions: [...commands.map((name) => [name, ...rest].join(" ")), ...error.suggestions].slice(
              0,
              3,
            ),
          });
        }
      }
      throw error;
    }
  }
}
