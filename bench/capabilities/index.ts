import type { BenchEntry } from "../common.ts";
import { askBench } from "./ask.ts";
import { automationsBench } from "./automations.ts";
import { clvBench } from "./clv.ts";
import { connectorsBench } from "./connectors.ts";
import { crmBench } from "./crm.ts";
import { experimentsBench } from "./experiments.ts";
import { kpiBench } from "./kpis.ts";
import { predictBench } from "./predict.ts";
import { privacyBench } from "./privacy.ts";
import { scoringBench } from "./scoring.ts";
import { segmentsBench } from "./segments.ts";
import { socialBench } from "./social.ts";

/** Every capability's benchmark, in the list's order. */
export const CAPABILITY_BENCHES: BenchEntry[] = [
  kpiBench,
  socialBench,
  experimentsBench,
  segmentsBench,
  askBench,
  predictBench,
  clvBench,
  scoringBench,
  automationsBench,
  crmBench,
  connectorsBench,
  privacyBench,
];
