import {
  type AskVocabulary,
  actionReading,
  cannotReading,
  commandReading,
  type Question,
} from "../ask/index.ts";
import { segmentIn } from "../segments/index.ts";
import { PROVIDER_LABELS, type Provider } from "./connector.ts";

/*
 * The CRM in ask. "sync champions to hubspot", "put at-risk customers in a Salesforce
 * campaign": with that CRM connected, the sync's plan (how many added and removed, with its own
 * Confirm), shown behind a Confirm; not connected, that it can't until it is, with the
 * segment's export and `crm` (which says what to set). "is hubspot connected": `crm`.
 */

const NAMED = /\b(hubspot|salesforce|crm)\b/;

/** The CRM a request names (or the one connected, for "the crm"), and whether it is connected. */
function providerIn(
  text: string,
  configured: readonly Provider[],
): { provider: Provider; connected: boolean } | null {
  const named = NAMED.exec(text)?.[1];
  if (named === "hubspot" || named === "salesforce")
    return { provider: named, connected: configured.includes(named) };
  return named === "crm" && configured.length === 1 ? { provider: configured[0]!, connected: true } : null;
}

export function crmVocabulary(configured: () => Provider[]): AskVocabulary {
  return {
    id: "crm",
    order: 30,
    words: ["crm", "hubspot", "salesforce"],
    read(question: Question) {
      const { text } = question;
      if (!NAMED.test(text)) return null;
      if (
        /\b(?:status|connected|connection|sync(?:ed|ing)?|last pull|pulled|working|errors?|refused)\b/.test(
          text,
        )
      )
        return commandReading("crm", question);
      return null;
    },
    act(question: Question, verb: string) {
      if (!/^(?:sync|push|send|add|put|export|copy|upload|move)$/.test(verb)) return null;
      const crm = providerIn(question.text, configured());
      if (!crm) return null;
      const segment = segmentIn(
        question.text,
        (question.names["segment"] ?? []).map((s) => s.name),
      );
      if (!segment) return null;
      // Not connected: Lift could, once it is; `crm` says what to set.
      if (!crm.connected)
        return cannotReading(question, `sync to ${PROVIDER_LABELS[crm.provider]}: it is not connected`, [
          `segment export ${segment}`,
          "crm",
        ]);
      return actionReading(`crm sync "${segment}" to ${crm.provider}`, question);
    },
  };
}
