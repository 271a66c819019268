import {
  type AskVocabulary,
  actionReading,
  cannotReading,
  commandReading,
  type Question,
} from "../ask/index.ts";
import { segmentIn } from "../segments/index.ts";

/*
 * Requests to email customers ("send the at-risk segment a win-back email") are automations now:
 * read as a draft automation that enrols the segment's current members with the template the
 * request names, shown with a Confirm button (it is a draft: nothing goes before `automation
 * start`). A request for an email no template holds is refused with the templates instead.
 * Emailing the asker ("email me a weekly digest") is not this: Lift posts digests to Slack.
 */

const EMAILISH = /\be-?mails?\b|\bnewsletters?\b|\bwin ?-?back\b|\bmail\b/;
const TO_THE_ASKER = /\b(?:e-?mail|mail|send)\s+(?:me|us)\b/;

/** Words of a request → the library template they name. */
const TEMPLATE_WORDS: [RegExp, string][] = [
  [/\bwin ?-?back\b|\bcome back\b|\bre-?engage/, "win-back-1"],
  [/\b(?:abandoned|left in (?:their|the) )?carts?\b|\bcheckouts?\b/, "abandoned-cart"],
  [/\bwelcome\b|\bonboarding\b/, "welcome"],
  [/\bthank(?:s| you)\b|\bearly access\b|\bvip\b/, "vip-thanks"],
];

function templateIn(question: Question): string | null {
  const own = (question.names["template"] ?? []).map((t) => t.name);
  const named = own.sort((a, b) => b.length - a.length).find((name) => question.text.includes(` ${name} `));
  if (named) return named;
  for (const [pattern, name] of TEMPLATE_WORDS) if (pattern.test(question.text)) return name;
  return null;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);

function act(question: Question, verb: string) {
  const { text } = question;
  if (
    !/^(?:send|e-?mail|mail|message|create|set ?up|make)$/.test(verb) ||
    !EMAILISH.test(text) ||
    TO_THE_ASKER.test(text)
  )
    return null;
  const segment = segmentIn(
    text,
    (question.names["segment"] ?? []).map((s) => s.name),
  );
  if (!segment) return null;
  const template = templateIn(question);
  if (!template)
    return cannotReading(question, "write a new email from a question (no template is about that)", [
      "templates",
      `segment ${segment}`,
    ]);
  const name = slug(`${template.replace(/-\d+$/, "")}-${segment}`);
  return actionReading(
    `automation create ${name} when customer enters segment "${segment}" including current members send email ${template}`,
    question,
  );
}

/** Words around "automation" that are not its name ("the", "our", "which", "email" …). */
const NOT_A_NAME = new Set(
  "the our my an a this that each every which what how is are was doing running live email emails marketing new all any".split(
    " ",
  ),
);

/** "how is the win-back automation doing", "which automations are running": one, or the list. */
function read(question: Question) {
  const { text } = question;
  if (!/\bautomations?\b/.test(text)) return null;
  const named =
    /\b([a-z0-9][a-z0-9_-]{1,39}) automation\b/.exec(text) ??
    /\bautomation (?:called |named )?([a-z0-9][a-z0-9_-]{1,39})\b/.exec(text);
  const name = named && !NOT_A_NAME.has(named[1]!) ? named[1]! : null;
  return commandReading(name ? `automation ${name}` : "automations", question);
}

/** Automations in ask: questions about them, requests to email a segment, and the templates' names. */
export const automationsVocabulary = (templateNames: () => Promise<string[]>): AskVocabulary => ({
  id: "automations",
  order: 35,
  words: ["automation", "automations", "template", "templates"],
  names: async () => ({
    kind: "template",
    items: (await templateNames()).map((name) => ({ id: name, name })),
  }),
  read,
  act,
});
