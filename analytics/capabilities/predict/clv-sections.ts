import { latestFit } from "../../../db/predict/queries.ts";
import { formatCount, formatMoney, formatPercent, toMajorUnits } from "../../platform/base/format.ts";
import type {
  CapabilityContext,
  CustomerSection,
  DigestSection,
  Download,
  Job,
  Panel,
  PromptSource,
} from "../../platform/contract/capability.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { addDays } from "../../platform/time/zone.ts";
import type { RuleField } from "../segments/index.ts";
import { customerModels } from "./api.ts";
import { newlyGone } from "./churn-report.ts";
import { type ClvFit, dayText } from "./clv.ts";
import { churnCommand, clvCommand } from "./clv-commands.ts";
import { basisLine, GONE, holdoutLine } from "./clv-reports.ts";
import type { Scored } from "./customers.ts";
import { fitFromJson } from "./fit-json.ts";

/** The columns of `lift predict clv --csv` and the answer's download. */
export const CLV_COLUMNS = [
  "customer_id",
  "purchase_days",
  "first_order",
  "last_order",
  "revenue",
  "p_alive",
  "expected_orders_30d",
  "expected_orders_90d",
  "expected_orders_365d",
  "expected_order_value",
  "clv_12m",
  "p_buy_30d",
] as const;

/** Every customer's predictions as CSV lines (money in major units), the header first. */
export function* clvCsv(scores: readonly Scored[], currency: string): Generator<string> {
  const money = (minor: number) => Number(toMajorUnits(minor, currency).toFixed(2));
  const p = (v: number) => Number(v.toFixed(4));
  yield `${CLV_COLUMNS.join(",")}\n`;
  for (const s of scores)
    yield `${[
      s.id,
      s.x + 1,
      dayText(s.firstDay),
      dayText(s.lastDay),
      money(s.revenueMinor),
      p(s.pAlive),
      p(s.expected30),
      p(s.expected90),
      p(s.expected365),
      money(s.expectedSpend),
      money(s.clv12m),
      s.pBuy30 === null ? "" : p(s.pBuy30),
    ]
      .map(csvCell)
      .join(",")}\n`;
}

/**
 * Refits the customer models once a day, on the first run after midnight (hourly, so a restart never
 * skips a day): `current()` fits only when yesterday's fit is not kept yet.
 */
export const clvJob: Job = {
  name: "customer-models",
  cron: "40 * * * *",
  run: async ({ platform }) => void (await customerModels.of(platform).current()),
};

/** The repeat customers who slipped under the line in the last `days`, and the fit. */
async function atRisk(context: CapabilityContext, days: number) {
  const models = customerModels.of(context.platform);
  const fit = await models.current();
  if (!fit.trusted) return { fit, gone: [] as Scored[] };
  const before = await models.scores(fit, addDays(fit.asOf, -days));
  const now = await models.scores(fit, fit.asOf);
  return { fit, gone: newlyGone(before, now) };
}

function riskLine(gone: readonly Scored[], currency: string, days: number): string {
  const spent = gone.reduce((t, s) => t + s.revenueMinor, 0);
  return `⚠️ ${formatCount(gone.length)} repeat customer${gone.length === 1 ? "" : "s"} slipped under a ${formatPercent(GONE, 0)} chance of buying again in the last ${days} days (${formatMoney(spent, currency)} spent so far): \`churn risk\` lists them`;
}

/** The digest: customers at risk this week (this day, for a daily digest). */
export const churnSection: DigestSection = {
  id: "churn",
  order: 38,
  title: "Customers at risk",
  async build(context) {
    const days = context.grain === "daily" ? 1 : 7;
    const { gone } = await atRisk(context, days);
    if (gone.length === 0) return null;
    const currency = context.platform.settings.currency;
    return {
      lines: [riskLine(gone, currency, days)],
      details: gone
        .slice(0, 10)
        .map(
          (s) =>
            `${s.id}: ${formatMoney(s.revenueMinor, currency)} over ${s.x + 1} purchase days, last ${dayText(s.lastDay)}`,
        ),
    };
  },
};

/** App Home: this week's customers at risk, and the churn list a click away. */
export const churnHome: HomeSection = {
  id: "churn",
  order: 38,
  async build(context) {
    const { fit, gone } = await atRisk(context, 7);
    if (!fit.trusted || gone.length === 0) return null;
    return simpleReport("churn", "Customers at risk", riskLine(gone, context.platform.settings.currency, 7), {
      actions: [{ id: "churn_open", label: "Churn risk", command: "churn risk" }],
    });
  },
};

/** The console: customer value and the churn list. */
export const clvPanel: Panel = {
  id: "clv",
  title: "Customer value",
  order: 38,
  subtitle: "BG/NBD and Gamma-Gamma on the shop's orders, checked on days held out",
  async build(context) {
    const asker = { ...context, userId: "console" };
    return [await clvCommand.run("", asker), await churnCommand.run("risk", asker)];
  },
};

/** The customer page: their chance of still buying, expected purchases and 12-month value. */
export const clvCustomerSection: CustomerSection = {
  id: "clv",
  order: 25,
  title: "Predictions",
  async build({ platform }, customer) {
    const found = await customerModels.of(platform).customer(customer.id);
    if (!found) return null;
    const { fit, score } = found;
    const currency = platform.settings.currency;
    // Quiet when the model cannot be trusted: `clv` says why, once, rather than every customer page.
    if (!fit.trusted) return null;
    return {
      lines: [
        `${formatPercent(score.pAlive, 0)} chance they still buy; about ${score.expected90.toFixed(1)} purchase days expected in the next 90 days, worth ${formatMoney(score.clv12m, currency)} over 12 months${score.pBuy30 === null ? "" : `; ${formatPercent(score.pBuy30, 0)} chance of a purchase in the next 30 days`}.`,
        `${basisLine(fit)}. ${holdoutLine(fit)}`,
      ],
      facts: [
        { label: "P(still buying)", value: formatPercent(score.pAlive, 0) },
        { label: "12-month value", value: formatMoney(score.clv12m, currency) },
      ],
    };
  },
};

/** Segment rule fields: `p_alive`, `clv_12m` (in the reporting currency), `expected_orders_90d`, `p_buy_30d`. */
export function clvRuleFields(context: CapabilityContext): RuleField[] {
  // A model that cannot be trusted gives no values: rules on them match nobody, and `clv` says why.
  const field = (
    name: string,
    description: string,
    trusted: (fit: ClvFit) => boolean,
    value: (s: Scored) => number | null,
  ): RuleField => ({
    name,
    type: "number",
    description,
    async values(asOfMs) {
      const models = customerModels.of(context.platform);
      if (!trusted(await models.current())) return new Map();
      const values = new Map<string, number>();
      for (const s of await models.scoresAt(asOfMs)) {
        const v = value(s);
        if (v !== null) values.set(s.id, v);
      }
      return values;
    },
  });
  const currency = context.platform.settings.currency;
  const clv = (fit: ClvFit) => fit.trusted;
  return [
    field(
      "p_buy_30d",
      "chance of buying in the next 30 days (0–1), learnt from the shop's past 30-day windows",
      (fit) => fit.buy?.trusted === true,
      (s) => s.pBuy30,
    ),
    field("p_alive", "chance the customer still buys (0–1), BG/NBD", clv, (s) => s.pAlive),
    field("clv_12m", "expected spend in the next 12 months, discounted", clv, (s) =>
      toMajorUnits(s.clv12m, currency),
    ),
    field("expected_orders_90d", "expected purchase days in the next 90 days", clv, (s) => s.expected90),
  ];
}

/**
 * The assistant panel: "Who is likely to churn?" once a kept fit can be trusted (the kept fit only:
 * suggesting a prompt never fits a model).
 */
export const churnPrompts: PromptSource = {
  id: "churn",
  order: 38,
  async build({ tables }) {
    const kept = await latestFit(tables, "clv");
    if (!kept || !fitFromJson<ClvFit>(kept.data).trusted) return [];
    return [{ title: "Who is likely to churn?", message: "churn risk" }];
  },
};

/** The `clv` answer's download: every customer's predictions (admins: ids of people). */
export const clvDownload: Download = {
  source: "clv",
  personal: true,
  async lines({ platform }) {
    const models = customerModels.of(platform);
    return clvCsv(await models.scores(await models.current()), platform.settings.currency);
  },
};
