import type { Question, Reading } from "./vocabulary.ts";

/*
 * Requests to act ("send the at-risk segment a win-back email", "set up a daily
 * digest at 9am") are never read as a report about something else. A capability
 * that can do one contributes `act` to its vocabulary: the command, shown with a
 * Confirm button before it runs. One Lift cannot do is said in one line, with
 * what it can do instead.
 */

/** How people ask for something to be done, at the start of what they type. */
const ACTION_START =
  /^\s*(?:(?:can|could|would|will) you |please |pls |kindly |go ahead and |i (?:want|need|would like) (?:you )?to |we need to |let us |lets )?(?:please )?(send|e-?mail(?= (?:the|our|all|them|those|these|everyone|every|each|my|customers|people|users|buyers|subscribers|\w+ (?:list|segment|customers)|(?:me|us) (?:a |an |the |our |this )?(?:\w+ )?(?:digest|report|summary|update|numbers|chart|csv)))|mail|sync|push|upload|export|download|set ?up|create|make|schedule|subscribe|notify|alert|remind|post|share|tweet|publish|delete|remove|pause|stop|start|launch|ship|add(?! to carts?\b)|tag|text(?= (?:the|our|all|them|customers|people))|sms|increase|raise|lower|cut|boost|turn on|turn off|enable|disable|unsubscribe|mute|connect|integrate|invite|message|move|assign|give)\b/;

/** "alert me if …", "let me know when …": asking to be told later is an action too. */
const TELL_ME_LATER =
  /\b(?:alert|notify|tell|ping|warn|message|email|text) me (?:if|when|whenever|as soon as)\b|\blet me know (?:if|when|whenever|as soon as)\b|\bkeep me posted\b|\bset up an? alert\b|\bcreate an? alert\b/;

/** The verb of a request to act, or null when the text asks a question. */
export function actionVerb(text: string): string | null {
  if (TELL_ME_LATER.test(text)) return "alert";
  const verb = ACTION_START.exec(text)?.[1] ?? null;
  // "give me revenue by channel", "send me the digest": asking to be shown is a question.
  // A schedule ("every monday at 8:30", "daily") makes "send me" a subscription.
  const scheduled = /\bevery\b|\beach (?:day|morning|week)\b|\bat \d/.test(text);
  if (
    !scheduled &&
    (verb === "give" || verb === "send" || verb === "share") &&
    /^\s*(?:\w+ ){0,4}(?:give|send|share) (?:me|us)\b/.test(text)
  )
    return null;
  return verb;
}

/** What Lift cannot do from a question, by the words that ask for it. */
const CANNOT: { pattern: RegExp; what: (match: RegExpExecArray) => string }[] = [
  {
    pattern:
      /\b(hubspot|salesforce|pipedrive|klaviyo|mailchimp|braze|marketo|iterable|intercom|zendesk|attio|crm)\b/,
    what: (m) => `sync to ${m[1] === "crm" ? "a CRM" : (CRM_NAMES[m[1]!] ?? m[1])}`,
  },
  {
    pattern:
      /\b(?:facebook|meta|google|tiktok|linkedin|snapchat) (?:ads )?(?:audiences?|ads)\b|\b(?:custom|lookalike) audiences?\b/,
    what: () => "send audiences to ad platforms",
  },
  { pattern: /\bsms\b|\btext messages?\b|\btexts?\b/, what: () => "send text messages" },
  { pattern: /\bpush notifications?\b/, what: () => "send push notifications" },
  {
    pattern: /\be-?mails?\b|\bnewsletters?\b|\bwin ?back\b|\bmail\b|\bcampaign emails?\b/,
    what: () => "send email",
  },
  { pattern: /\b(?:post|tweet|publish)\b/, what: () => "post to social networks" },
  {
    pattern:
      /\b(?:pause|stop|start|launch|increase|raise|lower|cut|boost)\b.*\b(?:campaigns?|budgets?|bids?|ads?|spend)\b/,
    what: () => "change campaigns, budgets or bids in the ad platforms",
  },
  { pattern: /\bdiscounts?\b|\bcoupons?\b|\bvouchers?\b|\bpromo codes?\b/, what: () => "create discounts" },
];

const CRM_NAMES: Record<string, string> = {
  hubspot: "HubSpot",
  salesforce: "Salesforce",
  pipedrive: "Pipedrive",
  klaviyo: "Klaviyo",
  mailchimp: "Mailchimp",
  braze: "Braze",
  marketo: "Marketo",
  iterable: "Iterable",
  intercom: "Intercom",
  zendesk: "Zendesk",
  attio: "Attio",
};

/** What a request asks Lift to do that it cannot ("send email", "sync to HubSpot"), or null. */
export function cannotDo(text: string): string | null {
  for (const { pattern, what } of CANNOT) {
    const match = pattern.exec(text);
    if (match) return what(match);
  }
  return null;
}

/** A request Lift cannot do, with what it can do instead. */
export function cannotReading(question: Question, what: string, instead: string[]): Reading {
  return { kind: "cannot", what, instead, notes: question.notes };
}

/** A request to act read as a command, to confirm before it runs. */
export function actionReading(command: string, question: Question, notes: string[] = []): Reading {
  return { kind: "action", command, notes: [...question.notes, ...notes] };
}

/** Numbers as people write them in requests: "3k", "$5,000", "1.5m". */
export function amountIn(text: string): number | null {
  const match = /(?:^|\s)[$€£]?(\d+(?:[.,]\d+)*)\s?(k|m|thousand|million)?\b/.exec(text);
  if (!match) return null;
  const digits = match[1]!.replace(/,(?=\d{3}\b)/g, "");
  const value = Number(digits.replace(",", "."));
  if (!Number.isFinite(value)) return null;
  const scale =
    match[2] === "k" || match[2] === "thousand" ? 1000 : match[2] === "m" || match[2] === "million" ? 1e6 : 1;
  return value * scale;
}
