import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { suppress } from "../../../db/automations/suppressions.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { automationsApi } from "./api.ts";
import { describeTally } from "./delivery.ts";
import { emailHash } from "./signing.ts";
import { readTemplateFile, saveTemplateAs } from "./template-store.ts";

const TEMPLATES_HELP = `lift templates [--json]              the templates (the library's and the workspace's own)
lift templates show NAME             one, rendered for a sample customer
lift templates add NAME FILE         adds or replaces a workspace template from a file ("-" reads stdin):
    optional header lines Subject:, From:, Reply-To:, Kind: marketing|transactional, a blank line, then the body
    (paragraphs split by a blank line; {{first_name|there}}, {{email}}, {{traits.plan}}; [a link](https://…))
`;

/** `lift templates …`: list, show, add from a file. */
export const templatesVerb: CliVerb = {
  name: "templates",
  summary: "email templates; `lift templates add NAME FILE` adds one",
  help: TEMPLATES_HELP,
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...OUTPUT_FLAGS } });
    const [sub, name, file] = positionals;
    if (sub === undefined || sub === "list") return { command: "templates", output: outputFlags(values) };
    if (sub === "show" && name) return { command: `template ${name}`, output: outputFlags(values) };
    if (sub === "add" && name && file) {
      const text =
        file === "-"
          ? await (context.io.readStdin?.() ?? Promise.resolve(""))
          : await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
              throw new AppError(
                "invalid_input",
                `Cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`,
              );
            });
      const saved = await saveTemplateAs(context, name, readTemplateFile(text), "cli");
      return { command: `template ${saved}`, output: outputFlags(values) };
    }
    throw new AppError("invalid_input", "lift templates [list] · show NAME · add NAME FILE", {
      hint: TEMPLATES_HELP,
    });
  },
};

const AUTOMATIONS_HELP = `lift automations [--json]             every automation with its entrants, sends and conversions
lift automations run                   one pass now: enrol who entered, move due steps on, deliver what is due
lift automations suppress EMAIL        never send marketing mail to EMAIL again (kept by keyed hash)
lift automations webhook-secret        the secret webhook bodies are signed with (X-Lift-Signature: t=…,v1=…)
Create, start, pause and approve with \`lift run "automation …"\`.
`;

/** `lift automations …`: the list, a pass now, manual suppression, the webhook secret. */
export const automationsVerb: CliVerb = {
  name: "automations",
  summary: "marketing automations; `lift automations run` runs a pass now",
  help: AUTOMATIONS_HELP,
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...OUTPUT_FLAGS } });
    const [sub, value] = positionals;
    const service = automationsApi.of(context.platform);
    if (sub === undefined || sub === "list") return { command: "automations", output: outputFlags(values) };
    if (sub === "run") {
      const { enrolled, moved, tally } = await service.runNow(null);
      context.io.out(
        `${enrolled} enrolled, ${moved} steps moved on; delivery: ${describeTally(tally) || "nothing due"}\n`,
      );
      return { exitCode: 0 };
    }
    if (sub === "suppress" && value) {
      if (!/^[^@\s]+@[^@\s]+$/.test(value))
        throw new AppError("invalid_input", "That is not an email address");
      const core = service.core;
      const hash = emailHash(await core.key(), value);
      const added = await suppress(context.tables, hash, "manual", context.now());
      await context.platform.audit("cli", "automation.suppress", { hash: hash.slice(0, 12) });
      context.io.out(
        added
          ? "Suppressed: no marketing mail goes to that address again.\n"
          : "That address was suppressed already.\n",
      );
      return { exitCode: 0 };
    }
    if (sub === "webhook-secret") {
      context.io.out(`${await service.core.webhookSecret()}\n`);
      return { exitCode: 0 };
    }
    throw new AppError("invalid_input", "lift automations [list] · run · suppress EMAIL · webhook-secret", {
      hint: AUTOMATIONS_HELP,
    });
  },
};
