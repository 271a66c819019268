import { AppError } from "../../platform/base/errors.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { Command, CommandContext } from "../../platform/contract/capability.ts";
import { isDay } from "../../platform/time/zone.ts";
import { customerModels } from "./api.ts";
import { churnReport } from "./churn-report.ts";
import { clvReport } from "./clv-reports.ts";

/** "as of 2026-10-01" (or the day alone): the calibration end; nothing for the nightly fit. */
export function readAsOf(args: string): string | null {
  const text = args.trim().replace(/^as\s+of\s+/i, "");
  if (text === "") return null;
  if (!isDay(text))
    throw new AppError("invalid_input", `“${args.trim()}” is not a day Lift can fit up to`, {
      hint: "e.g. `clv` (as of yesterday) or `clv as of 2026-10-01` (fitted on orders up to that day, checked on the days after)",
    });
  return text;
}

export const clvCommand: Command = {
  name: "clv",
  aliases: ["ltv", "cltv", "lifetime-value", "customer-value"],
  summary:
    "Customer value: each customer's chance of still buying, expected purchases and 12-month value, checked on days held out",
  details:
    "Fits the BG/NBD and Gamma-Gamma models on the shop's orders (orders on one day are one purchase) up to yesterday, or up to the day you name, and shows how its predictions did on days held out. Where it cannot be trusted (too few repeat buyers, subscription-like buying, a holdout off by more than 20 %), it says so and shows the RFM segments instead.",
  usage: "clv [as of YYYY-MM-DD]",
  examples: ["clv", "clv as of 2026-10-01"],
  mutates: false,
  personal: true,
  async run(args, { platform }: CommandContext) {
    const asOf = readAsOf(args);
    const { fit, scores, discount } = await clvScores(platform, asOf);
    return clvReport(platform, fit, scores, discount, asOf ? `clv as of ${asOf}` : "clv");
  },
};

/** The fit as of a calibration end (the kept nightly fit without one) and every customer's scores. */
export async function clvScores(platform: PlatformApi, asOf: string | null) {
  const models = customerModels.of(platform);
  const fit = asOf ? await models.fitAsOf(asOf) : await models.current();
  return { fit, scores: await models.scores(fit), discount: models.discount };
}

export const churnCommand: Command = {
  name: "churn",
  aliases: ["lapsing", "likely-gone"],
  summary:
    "Churn risk: repeat customers who have probably stopped buying, the most valuable first, with what to do",
  usage: "churn risk",
  examples: ["churn risk"],
  mutates: false,
  personal: true,
  async run(args, context: CommandContext) {
    if (args.trim() !== "" && !/^(risk|risks|at risk)$/i.test(args.trim()))
      throw new AppError("invalid_input", `\`churn ${args.trim()}\` is not something Lift answers`, {
        hint: "`churn risk` lists the customers who have probably stopped buying; `clv` shows every customer's value",
      });
    const models = customerModels.of(context.platform);
    const fit = await models.current();
    return churnReport(context.platform, fit, await models.scores(fit), "churn risk");
  },
};
