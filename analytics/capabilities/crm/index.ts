import { crmCounts } from "../../../db/crm/queries.ts";
import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { actionPoint } from "../automations/index.ts";
import { crmListAction } from "./action.ts";
import { crmApi } from "./api.ts";
import { crmVocabulary } from "./ask.ts";
import { crmVerb } from "./cli.ts";
import { crmCommand, crmHome, crmJob } from "./commands.ts";
import { CrmCore } from "./core.ts";
import { crmPersonalData } from "./personal.ts";
import { Crm } from "./service.ts";
import { crmSettings } from "./settings.ts";

export { crmApi } from "./api.ts";
export type { Crm } from "./service.ts";

/**
 * CRM integration: HubSpot and Salesforce, both ways. Contacts (and leads) in as customers,
 * merged by email; companies and deals in as the capability's own tables, closed-won deals
 * reaching revenue questions when asked (`… including deals`); out, a segment kept as a
 * static list or a campaign's members (changed by difference) and Lift's properties on each
 * record — incremental, idempotent, within the CRMs' rate limits.
 */
export const crm = defineCapability({
  name: "crm",
  summary: "CRM integration: HubSpot and Salesforce contacts and deals in, segments and scores out",
  settings: crmSettings,
  setup(context) {
    const service = crmApi.provide(context, new Crm(new CrmCore(context)));
    const extensions = [
      contribute(actionPoint, crmListAction(service.core)),
      contribute(
        vocabularyPoint,
        crmVocabulary(() => service.core.configured()),
      ),
    ];
    return {
      personalData: crmPersonalData,
      commands: [crmCommand],
      cliVerbs: [crmVerb],
      jobs: [crmJob],
      homeSections: [crmHome],
      metricSources: [service.dealsSource],
      extensions,
      counts: async () => {
        const [hubspot, salesforce] = [
          await crmCounts(context.tables, "hubspot"),
          await crmCounts(context.tables, "salesforce"),
        ];
        return {
          "crm contacts": hubspot.contacts + salesforce.contacts,
          "crm deals": hubspot.deals + salesforce.deals,
        };
      },
    };
  },
});
