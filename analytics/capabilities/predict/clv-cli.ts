import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import type { CliContext, CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { customerModels } from "./api.ts";
import { clvScores, readAsOf } from "./clv-commands.ts";
import { clvReport } from "./clv-reports.ts";
import { clvCsv } from "./clv-sections.ts";
import { fitVerb, scoreVerb } from "./scoring-cli.ts";

const HELP = `lift predict clv [--as-of YYYY-MM-DD] [--csv | --json]
    Customer value: BG/NBD and Gamma-Gamma fitted on the orders up to yesterday, or up to --as-of
    (the calibration end) and checked on the days after it. --csv prints every customer:
    customer_id,purchase_days,first_order,last_order,revenue,p_alive,expected_orders_30d,
    expected_orders_90d,expected_orders_365d,expected_order_value,clv_12m,p_buy_30d; --json the answer with
    its clv/1 data; otherwise the answer as in Slack.
lift predict refit
    Fits the customer models now and keeps the fit (the nightly job does this by itself).
lift predict fit FILE.csv|- --target COLUMN [--positive VALUE] [--drop a,b] [--name NAME] [--json]
    Trains a scoring model on any labelled table (leads that converted or not, a campaign's
    responders): numbers standardised, categories one-hot, missing values flagged, L2 logistic
    regression; a stratified 20 % holdout gives AUC, Brier score, reliability and lift by decile,
    and what moves the odds most. --json: the answer with its model/1 data. Kept as NAME.
lift predict score FILE.csv|- --model NAME
    The same rows as CSV with a probability column added.
`;

async function clv(args: string[], { platform, io }: CliContext) {
  const { values } = parseArgs({ args, options: { "as-of": { type: "string" }, ...OUTPUT_FLAGS } });
  const asOf = values["as-of"] ? readAsOf(values["as-of"]) : null;
  const { fit, scores, discount } = await clvScores(platform, asOf);
  if (values.csv) {
    for (const line of clvCsv(scores, platform.settings.currency)) {
      io.out(line);
      await io.drain?.();
    }
    if (!fit.trusted) io.err(`Not to be trusted: ${fit.reasons.join("; ")}\n`);
    return { exitCode: 0 };
  }
  const report = await clvReport(platform, fit, scores, discount, asOf ? `clv as of ${asOf}` : "clv");
  return { report, output: outputFlags({ ...values, csv: false }) };
}

/** `lift predict …`: customer value from a terminal, and the admins' refit. */
export const predictVerb: CliVerb = {
  name: "predict",
  summary:
    "customer value and churn risk (clv) as CSV or JSON, refits, and scoring models fitted on any labelled CSV",
  help: HELP,
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === "clv") return clv(rest, context);
    if (sub === "fit") return fitVerb(rest, context);
    if (sub === "score") return scoreVerb(rest, context);
    if (sub === "refit") {
      const fit = await customerModels.of(context.platform).refit();
      context.io.out(
        `Fitted on ${fit.customers} customers' orders ${fit.firstDay} … ${fit.asOf} (${fit.repeatCustomers} repeat): ${fit.trusted ? "trusted" : `not trusted — ${fit.reasons.join("; ")}`}\n`,
      );
      return { exitCode: 0 };
    }
    throw new AppError(
      "invalid_input",
      sub ? `\`lift predict ${sub}\` is not a predict command` : "Name what to predict",
      {
        hint: HELP,
      },
    );
  },
};
