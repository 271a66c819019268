import { type AskVocabulary, actionReading, commandReading, type Question } from "../ask/index.ts";
import { segmentIn } from "../segments/index.ts";
import type { Provider } from "./connector.ts";

/*
 * The CRM in ask. "sync champions to hubspot", "put at-risk customers in a Salesforce
 * campaign": with that CRM connected, the sync's plan (how many added and removed, with its own
 * Confirm), shown behind a Confirm; not connected, the segments capability answers that Lift
 * can't, with the segment's export. "is hubspot connected", "crm status": `crm`.
 */

const NAMED = /\b(hubspot|salesforce|crm)\b/;

function providerIn(text: string, configured: readonly Provider[]): Provider | null {
  const named = NAMED.exec(text)?.[1];
  if (named === "hubspot" || named === "salesforce") return configured.includes(named) ? named : null;
  return named === "crm" && configured.length === 1 ? configured[0]! : null;
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
      const provider = providerIn(question.text, configured());
      if (!provider) return null;
      const segment = segmentIn(
        question.text,
        (question.names["segment"] ?? []).map((s) => s.name),
      );
      if (!segment) return null;
      return actionReading(`crm sync "${segment}" to ${provider}`, question);
    },
  };
}
