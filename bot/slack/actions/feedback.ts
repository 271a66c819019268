import type { App, BlockAction } from "@slack/bolt";
import { isAppError } from "../../../analytics/platform/base/errors.ts";
import type { SlackDeps } from "../answers.ts";
import { ACTIONS, type Registered } from "../surface.ts";

/** A feedback button's value: `good:<answer id>` or `bad:<answer id>`. */
export function feedbackValue(value: string): { verdict: "good" | "bad"; answerId: string } | null {
  const match = /^(good|bad):([\w-]{6,40})$/.exec(value);
  return match ? { verdict: match[1] as "good" | "bad", answerId: match[2]! } : null;
}

/**
 * 👍/👎 under an answer: kept with the question, the command it was read as and
 * the answer's kind (admins list them with `feedback last 30 days`); the person
 * is thanked privately, and told plainly when the answer is too old to rate.
 */
export function registerFeedback(app: App, deps: SlackDeps): Registered {
  app.action<BlockAction>(ACTIONS.feedback, async ({ ack, body, action, respond }) => {
    await ack();
    const say = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
    const parsed = feedbackValue((action as { value?: string }).value ?? "");
    if (!parsed)
      return void (await say("I could not read that feedback button; ask again and use the new one."));
    try {
      await deps.core.feedback(parsed.answerId, body.user.id, parsed.verdict);
    } catch (error) {
      if (isAppError(error) && error.code === "not_found") return void (await say(`${error.message}.`));
      throw error;
    }
    await say(
      parsed.verdict === "good"
        ? "Thanks: noted that this answer was right."
        : "Thanks: noted that this answer was wrong. Lift's admins review these (`feedback`) to fix how questions are read; `help` lists what I can answer.",
    );
  });
  return { interactivity: true };
}
