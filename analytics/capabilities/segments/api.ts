import { extensionPoint, publicApi } from "../../platform/contract/capability.ts";
import type { Segments } from "./service.ts";

/** The segments capability's service, built once per platform in setup. */
export const segmentsService = publicApi<Segments>("segments");

/**
 * A field segment rules may read that another capability keeps (predictions'
 * `p_alive`, `clv_12m`): its name in rules, whether it compares with numbers or
 * words, a line for help, and each customer's value as of an instant (a
 * customer without one fails every comparison, as a missing trait does).
 */
export interface RuleField {
  name: string;
  type: "number" | "text";
  description: string;
  values(asOfMs: number): Promise<Map<string, number | string>>;
}

/** Where other capabilities add fields to segment rules. */
export const ruleFieldPoint = extensionPoint<RuleField>("segments.ruleFields", (field) => field.name);
