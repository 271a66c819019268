import type { Capability } from "../../analytics/platform/contract/capability.ts";
import { parseSettings } from "../../analytics/platform/contract/settings.ts";

/** Each capability's settings parsed from `env` the way env.ts does; a wrong value throws. */
export function capabilitySettings(
  capabilities: readonly Capability[],
  env: Record<string, string> = {},
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const capability of capabilities) {
    const parsed = parseSettings(capability.settings, env);
    if (parsed.problems.length > 0) throw new Error(parsed.problems.join("\n"));
    settings[capability.name] = parsed.value;
  }
  return settings;
}
