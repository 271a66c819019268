import { defineCapability } from "../../platform/contract/capability.ts";
import { privacyApi } from "./api.ts";
import { privacyVerb } from "./cli.ts";
import { exportDownload, privacyCommand, retentionJob } from "./commands.ts";
import { privacyPersonalData } from "./personal.ts";
import { privacyRoutes } from "./routes.ts";
import { Privacy } from "./service.ts";
import { privacySettings } from "./settings.ts";

export { privacyApi } from "./api.ts";
export type { Privacy } from "./service.ts";

/**
 * Privacy: a person's data found in every table the personal-data maps declare, exported as one
 * document, erased in one transaction (forwarded to connected CRMs, their identifiers refused
 * from then on by keyed hash), and each kind of data kept only as long as its retention setting.
 */
export const privacy = defineCapability({
  name: "privacy",
  summary: "Privacy requests: export and erase a person everywhere, erased people refused, retention",
  settings: privacySettings,
  setup(context) {
    const service = privacyApi.provide(context, new Privacy(context));
    return {
      personalData: privacyPersonalData,
      commands: [privacyCommand],
      cliVerbs: [privacyVerb],
      downloads: [exportDownload],
      routes: privacyRoutes,
      jobs: [retentionJob],
      ingestGuards: [service.guard],
    };
  },
});
