import type { Capability } from "../platform/contract/capability.ts";
import { workerScript } from "../platform/workers/index.ts";
import { alerts } from "./alerts/index.ts";
import { ask } from "./ask/index.ts";
import { automations } from "./automations/index.ts";
import { campaigns } from "./campaigns/index.ts";
import { connectors } from "./connectors/index.ts";
import { crm } from "./crm/index.ts";
import { digests } from "./digests/index.ts";
import { experiments } from "./experiments/index.ts";
import { funnels } from "./funnels/index.ts";
import { kpis } from "./kpis/index.ts";
import { predict } from "./predict/index.ts";
import { privacy } from "./privacy/index.ts";
import { segments } from "./segments/index.ts";
import { social } from "./social/index.ts";
import { sources } from "./sources/index.ts";

/**
 * The one list of capabilities, in the order they are set up. main.ts and the
 * two worker threads beside this file (which, like main.ts, compose the
 * platform and the capabilities) read only this. Adding a capability is one
 * folder under analytics/capabilities/ and one line here.
 */
export const CAPABILITIES: readonly Capability[] = [
  sources,
  connectors,
  kpis,
  campaigns,
  funnels,
  digests,
  alerts,
  social,
  experiments,
  segments,
  predict,
  automations,
  crm,
  privacy,
  ask,
] as readonly Capability[];

/** The answer thread's script (commands and charts off the main thread). */
export const ANSWER_WORKER = workerScript("answer-worker", import.meta.url);
/** The writer thread's script (events written while the main thread reads the next requests). */
export const WRITER_WORKER = workerScript("writer-worker", import.meta.url);
