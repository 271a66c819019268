import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { projectionPoint, type SpendProjector } from "../campaigns/index.ts";
import { ruleFieldPoint } from "../segments/index.ts";
import { forecastBandAlert } from "./alert.ts";
import { customerModels } from "./api.ts";
import { customerVocabulary, predictVocabulary } from "./ask.ts";
import { forecastVerb } from "./cli.ts";
import { predictVerb } from "./clv-cli.ts";
import { churnCommand, clvCommand } from "./clv-commands.ts";
import {
  churnHome,
  churnPrompts,
  churnSection,
  clvCustomerSection,
  clvDownload,
  clvJob,
  clvPanel,
  clvRuleFields,
} from "./clv-sections.ts";
import { forecastCommand, targetCommand } from "./commands.ts";
import { CustomerModels } from "./customers.ts";
import { predictDemo } from "./demo.ts";
import { forecastTotal, forecastValues, MIN_POINTS } from "./forecast.ts";
import { predictPersonalData } from "./personal.ts";
import { forecastHome, forecastPanel, forecastSection } from "./sections.ts";
import { predictSettings } from "./settings.ts";

export { type Forecast, forecastValues } from "./forecast.ts";

/** Budget pacing's projection to a campaign's last day, from a forecast of its daily spend. */
const spendProjector: SpendProjector = {
  id: "predict",
  project({ daily, daysLeft }) {
    const start = daily.findIndex((v) => v !== null);
    const known = start < 0 ? [] : daily.slice(start);
    if (known.filter((v) => v !== null).length < MIN_POINTS) return null;
    const forecast = forecastValues(known, { horizon: daysLeft, lags: [7], nonNegative: true });
    const total = forecastTotal(forecast, daysLeft, 0, null);
    return {
      comingMinor: total.expected,
      low80Minor: total.low80,
      high80Minor: total.high80,
      model: forecast.model,
    };
  },
};

/**
 * Predictions: every KPI's daily forecast with 80 % and 95 % bands (exponential smoothing, the
 * week's profile, or the last week repeated, whichever forecast the latest days best), the chance
 * a total is reached this month or quarter, a forecast-band alert, and `lift forecast` on any series;
 * customer value and churn risk (BG/NBD and Gamma-Gamma, checked on days held out, RFM when they
 * cannot be trusted), refitted nightly, as answers, segment rule fields and `lift predict`.
 */
export const predict = defineCapability({
  name: "predict",
  summary: "Forecasts of every KPI with prediction bands and targets' chances; customer value and churn risk",
  settings: predictSettings,
  setup(context) {
    customerModels.provide(context, new CustomerModels(context));
    return {
      personalData: predictPersonalData,
      commands: [forecastCommand, targetCommand, clvCommand, churnCommand],
      cliVerbs: [forecastVerb, predictVerb],
      alertKinds: [forecastBandAlert],
      digestSections: [forecastSection, churnSection],
      homeSections: [forecastHome, churnHome],
      panels: [forecastPanel, clvPanel],
      customerSections: [clvCustomerSection],
      jobs: [clvJob],
      downloads: [clvDownload],
      prompts: [churnPrompts],
      demo: [predictDemo],
      extensions: [
        contribute(vocabularyPoint, predictVocabulary, customerVocabulary),
        contribute(projectionPoint, spendProjector),
        contribute(ruleFieldPoint, ...clvRuleFields(context)),
      ],
    };
  },
});
