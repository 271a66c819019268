import { AppError } from "../../platform/base/errors.ts";
import { readSchedule, type Schedule } from "../../platform/time/schedule.ts";

/*
 * The automation language, read into a spec and said back in words:
 *
 *   automation create NAME when TRIGGER [with holdout N%] [including current members], STEP, STEP …
 *
 * TRIGGER: customer enters|leaves segment "S" · event "A" [without "B" within N hours] ·
 *          an alert opens · every monday at 09:00 [for segment "S"]
 * STEP:    send email T · call webhook https://… · post to slack C0123|owner "text" ·
 *          wait N minutes|hours|days|weeks · wait until 09:00 · if no order|an order|in segment "S"|
 *          not in segment "S" (the rest runs only when it holds: "if no order send email T")
 */

export type Trigger =
  | { kind: "segment"; on: "enters" | "leaves"; segment: string }
  | { kind: "event"; event: string; without?: { event: string; withinMs: number } }
  | { kind: "incident" }
  | { kind: "schedule"; schedule: Schedule; segment?: string };

export type Condition =
  | { kind: "no_order" }
  | { kind: "order" }
  | { kind: "in_segment"; segment: string; negate: boolean };

export type Step =
  | { kind: "wait"; ms: number }
  | { kind: "wait_until"; hour: number; minute: number }
  | { kind: "if"; condition: Condition }
  | { kind: "email"; template: string }
  | { kind: "webhook"; url: string }
  | { kind: "slack"; to: string; text: string }
  /** An action another capability adds (automations' actionPoint), said in `text` as it was read. */
  | { kind: "action"; action: string; args: Record<string, string>; text: string };

/** How the grammar reads an added action's words (the actionPoint's contributions). */
export interface ActionReader {
  kind: string;
  example: string;
  read(text: string): Record<string, string> | null;
  describe(args: Record<string, string>): string;
}

export interface AutomationSpec {
  trigger: Trigger;
  steps: Step[];
  holdout: number;
  includeCurrent: boolean;
}

const UNITS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

const EXAMPLE =
  'automation create win-back when customer enters segment "can\'t lose them" send email win-back-1, wait 3 days, if no order send email win-back-2';

function bad(message: string, hint?: string): AppError {
  return new AppError("invalid_input", message, { hint: hint ?? `for example: ${EXAMPLE}` });
}

/** A quoted name ("…" “…” or '…'), or one word. */
const NAME = String.raw`(?:"([^"]+)"|“([^”]+)”|'([^']+)'|([\p{L}\p{N}_-]+))`;

function named(match: RegExpExecArray, from: number): string {
  return (match[from] ?? match[from + 1] ?? match[from + 2] ?? match[from + 3] ?? "").trim();
}

/** "3 days" → ms; null when the words are no duration. */
export function readDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(minute|min|hour|hr|h|day|d|week|wk|w)s?$/i.exec(text.trim());
  if (!match) return null;
  const unit = match[2]!.toLowerCase();
  const key = unit.startsWith("mi")
    ? "minute"
    : unit.startsWith("h")
      ? "hour"
      : unit.startsWith("d")
        ? "day"
        : "week";
  const ms = Number(match[1]) * UNITS[key]!;
  if (ms <= 0 || ms > 365 * UNITS["day"]!)
    throw bad(`“${text.trim()}” is not a wait Lift can keep`, "from 1 minute to 52 weeks");
  return ms;
}

export function describeDuration(ms: number): string {
  for (const [unit, size] of [
    ["week", UNITS["week"]!],
    ["day", UNITS["day"]!],
    ["hour", UNITS["hour"]!],
    ["minute", UNITS["minute"]!],
  ] as const)
    if (ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? "" : "s"}`;
  return `${Math.round(ms / 60_000)} minutes`;
}

/** Splits on commas, semicolons and " then " outside quotes. */
function splitSteps(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | null = null;
  const closing: Record<string, string> = { '"': '"', "“": "”", "'": "'" };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      current += ch;
      continue;
    }
    // An apostrophe inside a word ("can't") opens no quote.
    if (ch in closing && !(ch === "'" && /\p{L}/u.test(text[i - 1] ?? ""))) {
      quote = closing[ch]!;
      current += ch;
      continue;
    }
    if (ch === "," || ch === ";") {
      parts.push(current);
      current = "";
      continue;
    }
    if (/^\sthen\s/i.test(text.slice(i, i + 6))) {
      parts.push(current);
      current = "";
      i += 5;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function readTrigger(text: string): { trigger: Trigger; rest: string } {
  const t = text.trim();
  let m = new RegExp(
    String.raw`^(?:a\s+)?customers?\s+(enters?|joins?|leaves?)\s+(?:the\s+)?segment\s+${NAME}`,
    "iu",
  ).exec(t);
  if (m) {
    const on = /^l/i.test(m[1]!) ? "leaves" : "enters";
    return {
      trigger: { kind: "segment", on, segment: named(m, 2).toLowerCase() },
      rest: t.slice(m[0].length),
    };
  }
  m = new RegExp(
    String.raw`^(?:an?\s+)?event\s+${NAME}(?:\s+(?:without|and\s+no|not\s+followed\s+by)\s+${NAME}\s+within\s+(\d+(?:\.\d+)?\s*[a-z]+))?`,
    "iu",
  ).exec(t);
  if (m) {
    const event = named(m, 1);
    if (m[5] || m[6] || m[7] || m[8]) {
      const withinMs = readDuration(m[9] ?? "");
      if (withinMs === null)
        throw bad(`“within ${m[9]}” is not a duration`, "within 2 hours, within 30 minutes");
      return {
        trigger: { kind: "event", event, without: { event: named(m, 5), withinMs } },
        rest: t.slice(m[0].length),
      };
    }
    return { trigger: { kind: "event", event }, rest: t.slice(m[0].length) };
  }
  m = /^(?:an?\s+)?alert\s+(?:opens|fires|incident\s+opens)/i.exec(t);
  if (m) return { trigger: { kind: "incident" }, rest: t.slice(m[0].length) };
  // A schedule: its words run to "for segment" or the first comma.
  const head = /^(?:on\s+a\s+schedule\s+|schedule\s+)?((?:every|daily|weekly|weekdays|on)\b[^,;]*)/i.exec(t);
  if (head) {
    // The schedule's words end where the first step begins.
    const step = /\s(?:send|post|call|wait|if|say)\s/i.exec(head[1]!);
    let words = step ? head[1]!.slice(0, step.index) : head[1]!;
    const used = head[0].length - head[1]!.length + words.length;
    let segment: string | undefined;
    const seg = new RegExp(String.raw`\s+for\s+(?:the\s+)?segment\s+${NAME}\s*$`, "iu").exec(words);
    if (seg) {
      segment = named(seg, 1).toLowerCase();
      words = words.slice(0, seg.index);
    }
    const read = readSchedule(words);
    if (read && read.rest === "")
      return {
        trigger: { kind: "schedule", schedule: read.schedule, ...(segment ? { segment } : {}) },
        rest: t.slice(used),
      };
  }
  throw bad(
    `Lift could not read the trigger “${t.split(/[,;]/)[0]}”`,
    'customer enters segment "at risk" · event "Product Added" without "Order Completed" within 2 hours · an alert opens · every monday at 09:00 for segment "newsletter"',
  );
}

function readCondition(text: string): Condition | null {
  const t = text.trim().toLowerCase();
  if (/^(?:there\s+is\s+|they\s+placed\s+|they\s+made\s+)?no\s+orders?(?:\s+yet|\s+since)?$/.test(t))
    return { kind: "no_order" };
  if (/^(?:they\s+)?(?:an\s+order|ordered|placed\s+an\s+order|bought)$/.test(t)) return { kind: "order" };
  const m = new RegExp(String.raw`^(?:still\s+)?(not\s+)?in\s+(?:the\s+)?segment\s+${NAME}$`, "iu").exec(
    text.trim(),
  );
  if (m) return { kind: "in_segment", segment: named(m, 2).toLowerCase(), negate: Boolean(m[1]) };
  return null;
}

function readAction(text: string, actions: readonly ActionReader[]): Step {
  const t = text.trim();
  for (const action of actions) {
    const args = action.read(t);
    if (args) return { kind: "action", action: action.kind, args, text: action.describe(args) };
  }
  let m = new RegExp(String.raw`^send\s+(?:an?\s+)?email\s+(?:template\s+)?${NAME}$`, "iu").exec(t);
  if (m) return { kind: "email", template: named(m, 1).toLowerCase() };
  m = /^(?:call|post\s+to|send\s+to)\s+(?:a\s+)?webhook\s+(\S+)$/i.exec(t);
  if (m) {
    let url: URL;
    try {
      url = new URL(m[1]!);
    } catch {
      throw bad(`“${m[1]}” is not a URL`, "call webhook https://example.com/hooks/lift");
    }
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
      throw bad(
        `A webhook must be HTTPS (“${m[1]}”)`,
        "only loopback addresses may use http://, for testing",
      );
    return { kind: "webhook", url: url.toString() };
  }
  m =
    /^(?:post|send|say)\s+(?:to\s+)?(?:slack\s+)?(?:to\s+)?(owner|the\s+owner|<?#?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?)\s+(?:"([^"]+)"|“([^”]+)”)$/iu.exec(
      t,
    );
  if (m) return { kind: "slack", to: m[2] ?? "owner", text: (m[3] ?? m[4])! };
  m =
    /^(?:post|send|say)\s+(?:"([^"]+)"|“([^”]+)”)\s+(?:in|to)\s+(?:slack\s+)?(?:to\s+)?(owner|the\s+owner|<?#?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?)$/iu.exec(
      t,
    );
  if (m) return { kind: "slack", to: m[4] ?? "owner", text: (m[1] ?? m[2])! };
  m = /^wait\s+until\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(t);
  if (m) {
    let hour = Number(m[1]);
    const minute = Number(m[2] ?? 0);
    if (m[3]?.toLowerCase() === "pm" && hour < 12) hour += 12;
    if (m[3]?.toLowerCase() === "am" && hour === 12) hour = 0;
    if (hour > 23 || minute > 59) throw bad(`“${t}” is not a time of day`, "wait until 09:00");
    return { kind: "wait_until", hour, minute };
  }
  m = /^wait\s+(?:for\s+)?(.+)$/i.exec(t);
  if (m) {
    const ms = readDuration(m[1]!);
    if (ms === null) throw bad(`“${t}” is not a wait`, "wait 3 days · wait 2 hours · wait until 09:00");
    return { kind: "wait", ms };
  }
  throw bad(
    `Lift could not read the step “${t}”`,
    [
      'send email win-back-1 · wait 3 days · if no order … · call webhook https://… · post to slack owner "text"',
      ...actions.map((a) => a.example),
    ].join(" · "),
  );
}

/** One step, or a condition and the action it guards ("if no order send email x"). */
function readStep(text: string, actions: readonly ActionReader[]): Step[] {
  const m = /^(?:if|only\s+if|when)\s+(.+)$/i.exec(text.trim());
  if (!m) return [readAction(text, actions)];
  const words = m[1]!;
  // The condition is the longest head that reads as one; the rest is its action.
  const tokens = words.split(/\s+/);
  for (let cut = tokens.length; cut > 0; cut--) {
    const condition = readCondition(tokens.slice(0, cut).join(" "));
    if (!condition) continue;
    const rest = tokens
      .slice(cut)
      .join(" ")
      .replace(/^then\s+/i, "");
    return rest === "" ? [{ kind: "if", condition }] : [{ kind: "if", condition }, readAction(rest, actions)];
  }
  throw bad(
    `Lift could not read the condition in “${text.trim()}”`,
    'if no order · if an order · if in segment "vip" · if not in segment "vip"',
  );
}

/** Reads everything after the automation's name. */
export function parseAutomation(text: string, actions: readonly ActionReader[] = []): AutomationSpec {
  let rest = text.trim().replace(/^when\s+/i, "");
  if (rest === "") throw bad("An automation needs a trigger and steps");
  const read = readTrigger(rest);
  rest = read.rest.trim();
  let holdout = 0;
  let includeCurrent = false;
  for (;;) {
    const h =
      /^,?\s*(?:with\s+)?(?:an?\s+)?(\d+(?:\.\d+)?)\s*%\s*holdout|^,?\s*with\s+(?:a\s+)?holdout\s+(?:of\s+)?(\d+(?:\.\d+)?)\s*%/i.exec(
        rest,
      );
    if (h) {
      holdout = Number(h[1] ?? h[2]) / 100;
      if (holdout <= 0 || holdout > 0.5)
        throw bad("A holdout is a share from 1 % to 50 %", "with holdout 10%");
      rest = rest.slice(h[0].length).trim();
      continue;
    }
    const c = /^,?\s*(?:including|include|and)\s+(?:the\s+)?current\s+members/i.exec(rest);
    if (c) {
      includeCurrent = true;
      rest = rest.slice(c[0].length).trim();
      continue;
    }
    break;
  }
  if (includeCurrent && read.trigger.kind !== "segment")
    throw bad(
      "“including current members” is for segment triggers",
      'customer enters segment "vip" including current members, …',
    );
  const steps = splitSteps(rest.replace(/^,/, "")).flatMap((step) => readStep(step, actions));
  if (!steps.some(isAction))
    throw bad("An automation needs at least one action: send email, call webhook or post to slack");
  const forPeople =
    read.trigger.kind === "segment" ||
    read.trigger.kind === "event" ||
    (read.trigger.kind === "schedule" && read.trigger.segment);
  if (!forPeople) {
    const personal = steps.find((s) => s.kind === "email" || s.kind === "if" || s.kind === "action");
    if (personal)
      throw bad(
        `${read.trigger.kind === "incident" ? "An alert" : "A schedule without a segment"} has no customer to ${personal.kind === "email" ? "email" : "check"}`,
        'post to slack or call a webhook; or "every monday at 09:00 for segment \\"newsletter\\""',
      );
    if (holdout > 0) throw bad("A holdout needs customers: a segment or event trigger");
  }
  if (steps.length > 20) throw bad("An automation has 20 steps at most");
  return { trigger: read.trigger, steps, holdout, includeCurrent };
}

/** The steps that act (send email, call a webhook, post to Slack), as opposed to waits and conditions. */
export function isAction(
  step: Step,
): step is Extract<Step, { kind: "email" | "webhook" | "slack" | "action" }> {
  return step.kind === "email" || step.kind === "webhook" || step.kind === "slack" || step.kind === "action";
}

/** The segment a trigger enrols from (a segment trigger, or a schedule for a segment), if any. */
export function triggerSegment(trigger: Trigger): string | undefined {
  return trigger.kind === "segment"
    ? trigger.segment
    : trigger.kind === "schedule"
      ? trigger.segment
      : undefined;
}

/** The spec an automation's row keeps (parsed when it was created or edited). */
export function specOf(automation: { spec: string }): AutomationSpec {
  return JSON.parse(automation.spec) as AutomationSpec;
}
