import { surfaceOfActor, withAuditScope } from "../../../db/platform/queries/audit.ts";
import { editDistance } from "../base/distance.ts";
import { AppError } from "../base/errors.ts";
import { scrub } from "../base/log.ts";
import { Registry } from "../base/registry.ts";
import { allows, type Role } from "../contract/access.ts";
import type { Asker } from "../contract/api.ts";
import type { Command, ContextSource } from "../contract/capability.ts";
import type { Report } from "../reports/report.ts";

export type { Command };

/** Whether running `command` with `args` changes state (only admins may). */
export function changesState(command: Command, args: string): boolean {
  return command.mutatesWith ? command.mutatesWith(args) : command.mutates;
}

/** Whether running `command` with `args` shows who people are (analysts and admins may). */
export function showsPeople(command: Command, args: string): boolean {
  return command.personalWith ? command.personalWith(args) : command.personal;
}

/** The least role that may run `command` with `args`, by what it declares. */
export function requiredRole(command: Command, args: string): Role {
  if (changesState(command, args)) return "admin";
  return showsPeople(command, args) ? "analyst" : "viewer";
}

const ROLE_NAMES: Record<Role, string> = {
  viewer: "viewers",
  analyst: "analysts and admins",
  admin: "Lift's admins",
};

/** Why someone may not run a command: what it does, who may, and how to get there. */
export function refusal(command: Command, need: Role): AppError {
  const what = need === "admin" ? "changes or sends something" : "shows who people are";
  return new AppError("forbidden", `\`${command.name}\` ${what}: only ${ROLE_NAMES[need]} may run it here.`, {
    hint: `ask a Lift admin for the ${need} role (\`access\` shows who has which)`,
  });
}

/**
 * Lift's one command language, shared by every transport. Capabilities
 * contribute their commands; text is dispatched by its first word, and a bare
 * question ("revenue last 7 days by channel") goes to the fallback.
 */
export class CommandRegistry extends Registry<Command> {
  private fallback: string | null = null;

  constructor(private readonly contexts: ContextSource) {
    super("command name", (command) => [command.name, ...command.aliases]);
  }

  /** A command of a capability; `fallback` takes questions whose first word is no command. */
  add(owner: string, command: Command, options: { fallback?: boolean } = {}): void {
    this.register(owner, command);
    if (options.fallback) this.fallback = command.name;
  }

  find(word: string): Command | undefined {
    return this.get(word.toLowerCase());
  }

  private get commands(): readonly Command[] {
    return this.list();
  }

  /**
   * Runs one command with its arguments, in its capability's context, if the asker's role
   * allows what the command declares. A change is audited: by the command's own row when it
   * writes one, else by a row naming the command.
   */
  async runCommand(command: Command, args: string, asker: Asker): Promise<Report> {
    const context = { ...this.contexts.contextFor(this.ownerOf(command)), ...asker };
    const need = this.mayRun(command, args, asker);
    if (need !== "admin") return command.run(args, context);
    const surface = asker.surface ?? surfaceOfActor(asker.userId);
    return withAuditScope({ actor: asker.userId, surface }, async (scope) => {
      const report = await command.run(args, context);
      if (!scope.wrote && !report.unanswered)
        await context.platform.audit(
          asker.userId,
          "command",
          scrub(`${command.name} ${args}`.trim()).slice(0, 300),
        );
      return report;
    });
  }

  /** The role `command` needs with `args`; refused when the asker's role does not allow it. */
  mayRun(command: Command, args: string, asker: Asker): Role {
    const need = requiredRole(command, args);
    if (asker.role && !allows(asker.role, need)) throw refusal(command, need);
    return need;
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
    // "alert me if revenue drops …", "help me find …": plain words to someone, for the fallback to read.
    const addressed = /^(?:me|us)$/i.test(rest[0] ?? "") && this.fallback !== null;
    if (command && !addressed) return { command, args: rest.join(" ") };
    const fallback = this.fallback ? this.find(this.fallback) : undefined;
    if (trimmed === "") return { command: this.find("help") ?? fallback!, args: "" };
    if (fallback) return { command: fallback, args: trimmed };
    throw new AppError("invalid_input", `“${first}” is not a Lift command`, { hint: "try `help`" });
  }

  async run(text: string, asker: Asker): Promise<Report> {
    const { command, args } = this.resolve(text);
    try {
      return await this.runCommand(command, args, asker);
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
          read = await this.runCommand(fallback, text.trim().replace(/^\/?lift\s+/i, ""), asker);
        } catch {
          // Not a question either: the command's message says what was wrong.
        }
        // Read back as the same command with words left out, the command's own message is the better answer.
        const [word = "", ...readArgs] = read?.command?.trim().split(/\s+/) ?? [];
        const as = read?.command ? this.find(word) : undefined;
        // The same command read with steps of its own ("funnel from product viewed to order completed"
        // → `funnel "Product Added" > "Order Completed"`) is an answer; the same command with words
        // only left out is not.
        const steps = as === command && /[>"]/.test(readArgs.join(" "));
        if (read && (as !== command || steps)) return read;
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
