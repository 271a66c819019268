import type { App } from "@slack/bolt";
import type { SlackDeps } from "../answers.ts";
import { feedbackOption, postedAnswerButtons } from "../buttons.ts";
import { explainSlackError, slackErrorCode } from "../errors.ts";
import { postReport } from "../post.ts";
import type { Registered } from "../surface.ts";
import { answerOutputs, runStep, textInput } from "./step.ts";

export const LIFT_REPORT = "lift_report";

/**
 * The "Post a Lift report" Workflow Builder step: runs a command (or a
 * question) and posts the report with its chart to a channel, as a digest is
 * posted; replies in its thread are follow-ups. It fails with the reason when
 * Lift cannot answer or cannot post there.
 */
export function registerLiftReport(app: App, deps: SlackDeps): Registered {
  app.function(LIFT_REPORT, async ({ inputs, client, complete, fail }) => {
    const channel = textInput(inputs, "channel");
    if (!channel) {
      await fail({ error: "The step has no channel: choose where to post the report." });
      return;
    }
    const outcome = await runStep(deps, client, {
      text: textInput(inputs, "command"),
      channel,
      askedBy: textInput(inputs, "asked_by"),
    });
    if (!outcome.ok) {
      await fail({ error: outcome.error });
      return;
    }
    const { report, command } = outcome;
    let posted: { channel: string; ts: string };
    try {
      posted = await postReport(client, { channel }, report, {
        buttons: postedAnswerButtons(report),
        ...feedbackOption(report),
        chart: (spec) => deps.runner.chart(spec),
        footer: `Posted by a workflow with \`/lift ${command.replace(/`/g, "'")}\``,
      });
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ code, channel }, "a workflow step could not post a report");
      await fail({ error: explainSlackError(code) });
      return;
    }
    await deps.conversations.remember(posted.channel, posted.ts, command, "workflow");
    await complete({ outputs: { ...answerOutputs(report), message_ts: posted.ts } });
  });
  return { functions: [LIFT_REPORT] };
}
