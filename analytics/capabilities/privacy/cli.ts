import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import { formatCount } from "../../platform/base/format.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { privacyApi } from "./api.ts";
import { erasedReport } from "./commands.ts";

const HELP = `lift privacy [--json]                         erasures, and how long each kind of data is kept
lift privacy export PERSON [--out FILE]       every row about a person (an email, a customer id or an anonymous id)
                                              as one JSON document, on stdout or in FILE (0600)
lift privacy erase PERSON [--yes]             erases the person everywhere in one transaction (asks first on a
                                              terminal; --yes for scripts), forwards it to connected CRMs and
                                              refuses their data from then on
lift privacy retention                        deletes now what the LIFT_RETAIN_*_DAYS settings no longer keep
lift privacy rotate-key                       seals every personal value again under a new data key: with keys beside the
                                              database a new one is made and the old one dropped when done; with
                                              LIFT_DATA_KEY, put the new key first (LIFT_DATA_KEY=new,old), rotate,
                                              then remove the old one
`;

/** `lift privacy …`: status, a person's data exported or erased, retention now. */
export const privacyVerb: CliVerb = {
  name: "privacy",
  summary: "Privacy requests: `lift privacy export|erase PERSON`, retention",
  help: HELP,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...OUTPUT_FLAGS, yes: { type: "boolean" }, out: { type: "string" } },
    });
    const [sub, ...rest] = positionals;
    const service = privacyApi.of(context.platform);
    if (sub === undefined || sub === "status") return { command: "privacy", output: outputFlags(values) };
    const person = rest.join(" ").trim();
    if (sub === "export") {
      const document = await service.export(person);
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (values.out) {
        writeFileSync(values.out, text, { mode: 0o600 });
        const tables = Object.keys(document["tables"] as object).length;
        context.io.err(`Wrote ${values.out}: ${formatCount(tables)} tables\n`);
      } else context.io.out(text);
      return { exitCode: 0 };
    }
    if (sub === "erase") {
      const plan = await service.plan(person);
      if (!values.yes) {
        const answer = await context.io.confirm?.(
          `Erase ${plan.found.asked}: ${formatCount(plan.rows)} rows in ${formatCount(plan.tables.length)} tables, for good?`,
        );
        if (answer === null || answer === undefined)
          throw new AppError(
            "invalid_input",
            "Erasing needs a confirmation and there is no terminal to ask on",
            {
              hint: `lift privacy erase ${person} --yes`,
            },
          );
        if (!answer) {
          context.io.err("Nothing erased.\n");
          return { exitCode: 1 };
        }
      }
      const result = await service.erase(plan.found, "cli", "cli");
      return { report: erasedReport(result), output: outputFlags(values) };
    }
    if (sub === "rotate-key") {
      const rotation = await context.platform.people.rotateKey((table, rows) =>
        context.io.err(`${table}: ${formatCount(rows)} rows sealed again\n`),
      );
      await context.platform.audit("cli", "privacy.rotate-key", { from: rotation.from, to: rotation.to });
      context.io.out(
        `Every personal value is sealed under key ${rotation.to} (${formatCount(rotation.rows)} rows sealed again).\n`,
      );
      if (rotation.left > 0)
        context.io.out(
          `${formatCount(rotation.left)} values are still under an old key (another process wrote them as the key changed): run it again; the old key stays until none is left.\n`,
        );
      else if (rotation.file) context.io.out(`The old key is gone from ${rotation.file}.\n`);
      else context.io.out("The old keys can go from LIFT_DATA_KEY now: keep only the first.\n");
      return { exitCode: rotation.left > 0 ? 1 : 0 };
    }
    if (sub === "retention") {
      const done = await service.retain(context.now());
      if (done.length === 0)
        context.io.out("No retention is set: every kind of data is kept (LIFT_RETAIN_*_DAYS).\n");
      for (const d of done) context.io.out(`${d.kind}: ${formatCount(d.deleted)} rows deleted\n`);
      return { exitCode: 0 };
    }
    throw new AppError("invalid_input", "lift privacy [status] · export · erase · retention", { hint: HELP });
  },
};
