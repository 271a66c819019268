import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { crmApi } from "./api.ts";
import { pullLine, syncReport } from "./commands.ts";
import type { Provider } from "./connector.ts";
import { CrmCore } from "./core.ts";

const HELP = `lift crm [--json]                                    each connection: last pull and sync, counts, lists, records refused
lift crm pull [hubspot|salesforce]                   pulls contacts, companies and deals now (every connected CRM when omitted)
lift crm push [hubspot|salesforce]                   brings every list Lift keeps in the CRM up to date with its segment
lift crm sync SEGMENT to hubspot|salesforce [as list NAME]
                                                     syncs a segment now (no confirmation: the CLI's word is the confirmation)
`;

/** `lift crm …`: status, pulls and pushes now, a segment synced. */
export const crmVerb: CliVerb = {
  name: "crm",
  summary: "CRM connections; `lift crm pull|push [hubspot|salesforce]`",
  help: HELP,
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...OUTPUT_FLAGS } });
    const [sub, ...rest] = positionals;
    const service = crmApi.of(context.platform);
    if (sub === undefined || sub === "status") return { command: "crm", output: outputFlags(values) };
    if (sub === "sync")
      return { command: `crm sync ${rest.map(quoted).join(" ")}`, output: outputFlags(values) };
    if (sub === "pull" || sub === "push") {
      const providers: Provider[] = rest[0] ? [CrmCore.provider(rest[0])] : service.core.configured();
      if (providers.length === 0)
        throw new AppError("invalid_input", "No CRM is connected", {
          hint: `${CrmCore.howToConnect("hubspot")}; or ${CrmCore.howToConnect("salesforce")}`,
        });
      const abort = new AbortController();
      const stop = context.io.onInterrupt(() => abort.abort(new Error("interrupted")));
      let failed = 0;
      try {
        for (const provider of providers) {
          try {
            if (sub === "pull")
              context.io.out(`${pullLine(provider, await service.pull(provider, abort.signal))}\n`);
            else {
              const results = await service.pushAll(provider, "cli", abort.signal);
              if (results.length === 0)
                context.io.out(`${provider}: no lists kept there yet (\`lift crm sync …\`)\n`);
              for (const result of results) context.io.out(`${syncReport(result).summary}\n`);
            }
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            failed++;
            context.io.err(`${error.message}${error.hint ? ` (${error.hint})` : ""}\n`);
          }
        }
      } finally {
        stop();
      }
      return { exitCode: failed > 0 ? 1 : 0 };
    }
    throw new AppError("invalid_input", "lift crm [status] · pull · push · sync …", { hint: HELP });
  },
};

/** Words of a segment or list name given as separate shell arguments keep their spaces when quoted. */
function quoted(word: string): string {
  return /\s/.test(word) && !/^["“]/.test(word) ? `"${word}"` : word;
}
