import { countAutomations } from "../../../db/automations/queries.ts";
import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { vocabularyPoint } from "../ask/index.ts";
import { automationsApi } from "./api.ts";
import { automationsVocabulary } from "./ask.ts";
import { automationsVerb, templatesVerb } from "./cli.ts";
import { automationCommand, automationsCommand, templateCommand, templatesCommand } from "./commands.ts";
import { AutomationsCore } from "./core.ts";
import { automationsDemo } from "./demo.ts";
import { automationsPersonalData } from "./personal.ts";
import { automationRoutes } from "./routes.ts";
import {
  automationsCustomerSection,
  automationsHome,
  automationsJob,
  automationsPanel,
  automationsSection,
  outboxPanel,
} from "./sections.ts";
import { Automations } from "./service.ts";
import { automationsSettings } from "./settings.ts";
import { allTemplates } from "./template-report.ts";

export { type ActionOutcome, type AutomationAction, actionPoint, automationsApi } from "./api.ts";
export type { Automations } from "./service.ts";

/**
 * Marketing automation: when a customer enters or leaves a segment, does something (or does
 * not follow it up), when an alert opens or on a schedule, Lift waits, checks and sends — email
 * with consent, suppression, a weekly cap and quiet hours, at most once per step; signed
 * webhooks; Slack messages — with bulk sends approved by an admin and a holdout that says
 * whether it caused the orders.
 */
export const automations = defineCapability({
  name: "automations",
  summary:
    "Marketing automation: segment, event, alert and schedule triggers; email, webhooks, Slack; approvals and holdouts",
  settings: automationsSettings,
  setup(context) {
    const service = automationsApi.provide(context, new Automations(new AutomationsCore(context)));
    return {
      personalData: automationsPersonalData,
      commands: [automationsCommand, automationCommand, templatesCommand, templateCommand],
      cliVerbs: [automationsVerb, templatesVerb],
      jobs: [automationsJob],
      panels: [automationsPanel, outboxPanel],
      digestSections: [automationsSection],
      homeSections: [automationsHome],
      customerSections: [automationsCustomerSection],
      routes: automationRoutes,
      demo: [automationsDemo],
      counts: () => countAutomations(context.tables),
      extensions: [
        contribute(
          vocabularyPoint,
          automationsVocabulary(async () => (await allTemplates(service.core)).map((t) => t.name)),
        ),
      ],
    };
  },
});
