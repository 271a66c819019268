import { AppError } from "../../platform/base/errors.ts";
import { currencyDecimals } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import { forecastKpi, readMetric } from "./kpi-forecast.ts";
import { forecastReport, refuseTotal, targetReport } from "./reports.ts";
import { readAmount, readHorizon, scopeWords } from "./words.ts";

export const forecastCommand: Command = {
  name: "forecast",
  aliases: ["forecasts", "predict", "projection", "project"],
  summary: "A KPI's daily forecast with 80 % and 95 % bands, and its total for a month or quarter",
  details:
    "Learns from up to a year of the metric's days (a channel or a campaign too), chooses among exponential smoothing with and without the week's season, the week's profile taken out, and the last week repeated by how each forecast the latest days, and says the model and its error on days held out.",
  usage:
    "forecast <metric> [for <channel|campaign …>] [next N days|next month|this month|this quarter|this year]",
  examples: [
    "forecast revenue next 30 days",
    "forecast orders this month",
    "forecast signups for paid search next 2 weeks",
  ],
  mutates: false,
  personal: false,
  async run(args, { platform }) {
    const { horizon, rest } = readHorizon(args, platform.today());
    const read = await readMetric(platform, rest);
    const f = await forecastKpi(platform, read, horizon);
    return forecastReport(
      f,
      `forecast ${read.metric.key} ${scopeWords(read.filter)} ${horizon.text}`.replace(/\s+/g, " "),
    );
  },
};

export const targetCommand: Command = {
  name: "target",
  aliases: ["targets", "goal"],
  summary:
    "Will a KPI reach a total this month, quarter or year: the chance, the projected total, what each day needs",
  usage:
    "target <metric> <amount> [this month|this quarter|this year|next N days] (or ask: will we hit $1M revenue this quarter?)",
  examples: [
    "target revenue 1000000 this quarter",
    "target orders 5000 this month",
    "target signups 2k next 30 days",
  ],
  mutates: false,
  personal: false,
  async run(args, { platform }) {
    const { horizon, rest } = readHorizon(args, platform.today());
    const amount = readAmount(rest);
    if (!amount)
      throw new AppError("invalid_input", "Name the total to reach", {
        hint: "e.g. `target revenue 1000000 this quarter` or `target orders 5k this month`",
      });
    const read = await readMetric(platform, amount.rest);
    refuseTotal(read.metric, horizon.text);
    const f = await forecastKpi(platform, read, horizon);
    // Money is said in the currency's major units and kept in minor units, as every figure.
    const target =
      read.metric.format === "money"
        ? Math.round(amount.amount * 10 ** currencyDecimals(platform.settings.currency))
        : amount.amount;
    return targetReport(f, target, `target ${read.metric.key} ${amount.amount} ${horizon.text}`);
  },
};
