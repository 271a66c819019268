import type { DigestSection } from "../../platform/digest/digest.ts";
import { CHANNELS } from "../../platform/ingest/index.ts";
import { addDays } from "../../platform/time/zone.ts";
import { judgeAnomaly } from "./anomaly.ts";

/** Metrics and channels the digest scans for days outside their usual weekday range. */
const ANOMALY_SCAN = ["visitors", "orders"];

export const anomalySection: DigestSection = {
  id: "anomalies",
  order: 40,
  title: "Anomalies",
  async build({ platform }) {
    const day = addDays(platform.today(), -1);
    const found: string[] = [];
    for (const metric of ANOMALY_SCAN) {
      for (const channel of [undefined, ...CHANNELS]) {
        const evaluation = await judgeAnomaly(platform, metric, channel, day);
        if (evaluation.state === "firing") found.push(evaluation.headline);
      }
    }
    return found.length > 0
      ? {
          lines: found.slice(0, 5).map((line) => `🔎 ${line}`),
          details: found.length > 5 ? found.slice(5) : [],
        }
      : null;
  },
};

export const openAlertsSection: DigestSection = {
  id: "alerts",
  order: 50,
  title: "Open alerts",
  async build({ platform }) {
    const open = await platform.schedules.openIncidents();
    if (open.length === 0) return null;
    return { lines: open.slice(0, 5).map((incident) => `🚨 ${incident.headline}`) };
  },
};
