import { basics } from "../platform/basics.ts";
import type { Capability } from "../platform/capability.ts";
import { buildRegistries, type Registries } from "../platform/registries.ts";
import { alerts } from "./alerts/index.ts";
import { ask } from "./ask/index.ts";
import { campaigns } from "./campaigns/index.ts";
import { digests } from "./digests/index.ts";
import { experiments } from "./experiments/index.ts";
import { funnels } from "./funnels/index.ts";
import { kpis } from "./kpis/index.ts";
import { segments } from "./segments/index.ts";
import { social } from "./social/index.ts";

/**
 * The one list of capabilities. main.ts, the answer thread, the CLI, the
 * scheduler, the console, the demo seeder and `npm run bench` read only this.
 * Adding a capability is one folder under analytics/ and one line here.
 */
export const CAPABILITIES: readonly Capability[] = [
  basics,
  kpis,
  campaigns,
  funnels,
  digests,
  alerts,
  social,
  experiments,
  segments,
  ask,
];

let built: Registries | null = null;

/** The contributions of every capability, gathered once per process (and per worker thread). */
export function registries(): Registries {
  built ??= buildRegistries(CAPABILITIES);
  return built;
}
