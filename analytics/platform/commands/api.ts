import { AppError } from "../base/errors.ts";
import type { CommandsApi } from "../contract/api.ts";
import { type CommandRegistry, changesState } from "./registry.ts";

/** The command language as capabilities run it (ask reads questions into other commands). */
export function commandsApi(registry: () => CommandRegistry): CommandsApi {
  return {
    run: (text, asker) => registry().run(text, asker),
    runCommand: (name, args, asker) => {
      const command = registry().find(name);
      if (!command) throw new AppError("not_found", `There is no command “${name}”`);
      return registry().runCommand(command, args, asker);
    },
    resolve: (text) => registry().resolve(text),
    find: (word) => registry().find(word),
    list: () => registry().list(),
    mayRun: (name, args, asker) => {
      const command = registry().find(name);
      if (command) registry().mayRun(command, args, asker);
    },
    changesState: (name, args) => {
      const command = registry().find(name);
      return command ? changesState(command, args) : false;
    },
  };
}
