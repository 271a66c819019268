import { extensionPoint, publicApi } from "../../platform/contract/capability.ts";
import type { Automations } from "./service.ts";

/** The automations service, built once per platform in setup. */
export const automationsApi = publicApi<Automations>("automations");

/** What an action did for one person: done, refused for good, or to try again later. */
export type ActionOutcome =
  | { status: "sent" }
  | { status: "failed"; reason: string }
  | { status: "retry"; reason: string; retryAfterMs?: number };

/**
 * An action another capability adds to automations' steps ("add to crm list "VIP" in hubspot"):
 * how its words read, how it is said, what is checked when an automation is made, and how it is
 * done for the people due — in one go, each person at most once (`key` is their send's).
 */
export interface AutomationAction {
  kind: string;
  /** Its phrase, for the could-not-read message and help. */
  example: string;
  /** A step's words → its arguments; null when they are not this action's; throws when they are but are wrong. */
  read(text: string): Record<string, string> | null;
  describe(args: Record<string, string>): string;
  /** Checked when an automation is made or edited (is the CRM connected …); throws saying what is wrong. */
  check?(args: Record<string, string>): Promise<void>;
  perform(
    args: Record<string, string>,
    people: readonly { personId: string; key: string }[],
  ): Promise<Map<string, ActionOutcome>>;
}

/** Where other capabilities add automation actions. */
export const actionPoint = extensionPoint<AutomationAction>("automations.actions", (action) => action.kind);
