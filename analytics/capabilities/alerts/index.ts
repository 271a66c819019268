import { defineCapability } from "../../platform/contract/capability.ts";
import { ANOMALY_WEEKS, anomalyAlert, judgeAnomaly, MIN_DAILY_COUNT } from "./anomaly.ts";
import { changeAlert } from "./change.ts";
import { alertCommand, alertsCommand } from "./commands.ts";
import { noDataAlert } from "./no-data.ts";
import { anomalySection, openAlertsSection } from "./sections.ts";
import { thresholdAlert } from "./threshold.ts";

export { ANOMALY_WEEKS, judgeAnomaly, MIN_DAILY_COUNT };

/** KPI alerts: a threshold, a change, an anomaly or no data, each an alert kind of its own. */
export const alerts = defineCapability({
  name: "alerts",
  summary: "KPI alerts (threshold, change, anomaly, no data), with mute and delete",
  setup: () => ({
    commands: [alertCommand, alertsCommand],
    alertKinds: [noDataAlert, thresholdAlert, changeAlert, anomalyAlert],
    digestSections: [anomalySection, openAlertsSection],
  }),
});
