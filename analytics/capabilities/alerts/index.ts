import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { ANOMALY_WEEKS, anomalyAlert, judgeAnomaly, MIN_DAILY_COUNT } from "./anomaly.ts";
import { alertsVocabulary } from "./ask.ts";
import { changeAlert } from "./change.ts";
import { alertCommand, alertsCommand } from "./commands.ts";
import { noDataAlert } from "./no-data.ts";
import { anomalySection, openAlertsSection } from "./sections.ts";
import { thresholdAlert } from "./threshold.ts";
import { unusualCommand } from "./unusual.ts";

export { ANOMALY_WEEKS, judgeAnomaly, MIN_DAILY_COUNT };

/** KPI alerts: a threshold, a change, an anomaly or no data, each an alert kind of its own. */
export const alerts = defineCapability({
  name: "alerts",
  summary: "KPI alerts (threshold, change, anomaly, no data), with mute and delete",
  setup: () => ({
    commands: [alertCommand, alertsCommand, unusualCommand],
    alertKinds: [noDataAlert, thresholdAlert, changeAlert, anomalyAlert],
    digestSections: [anomalySection, openAlertsSection],
    extensions: [contribute(vocabularyPoint, alertsVocabulary)],
  }),
});
