import type { App } from "@slack/bolt";
import type { SlackDeps } from "../answers.ts";
import type { Registered } from "../surface.ts";
import { answerOutputs, runStep, textInput } from "./step.ts";

export const LIFT_ASK = "lift_ask";

/**
 * The "Ask Lift" Workflow Builder step: a question in, the answer out (its
 * summary on one line and its headline figure) for the workflow's next steps.
 * A question Lift does not answer fails the step with the reason.
 */
export function registerLiftAsk(app: App, deps: SlackDeps): Registered {
  app.function(LIFT_ASK, async ({ inputs, client, complete, fail }) => {
    const outcome = await runStep(deps, client, {
      text: textInput(inputs, "question"),
      channel: textInput(inputs, "channel"),
      askedBy: textInput(inputs, "asked_by"),
    });
    if (!outcome.ok) {
      await fail({ error: outcome.error });
      return;
    }
    await complete({ outputs: { ...answerOutputs(outcome.report), command: outcome.command } });
  });
  return { functions: [LIFT_ASK] };
}
