import type { Report } from "../../analytics/platform/reports/report.ts";
import { type Block, cut, LIMITS, renderBlocks } from "../render/blocks.ts";
import { ACTIONS } from "./surface.ts";

function button(actionId: string, label: string, answerId: string, style?: "primary"): Block {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: label },
    value: cut(answerId, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** A private (ephemeral) answer: the report with the buttons to share it, get its chart, get its data, and 👍/👎. */
export function privateAnswer(report: Report): { text: string; blocks: Block[] } {
  const { text, blocks } = renderBlocks(report, {
    buttons: privateAnswerButtons(report),
    ...feedbackOption(report),
  });
  return { text, blocks };
}

/**
 * Slack's 👍/👎 under an answer (`feedback_buttons` in a `context_actions` block): the value
 * names the stored answer, so the feedback is kept with its question, command and kind.
 */
export function feedbackBlock(answerId: string): Block {
  const value = (verdict: "good" | "bad") => cut(`${verdict}:${answerId}`, LIMITS.buttonValue);
  return {
    type: "context_actions",
    elements: [
      {
        type: "feedback_buttons",
        action_id: ACTIONS.feedback,
        positive_button: {
          text: { type: "plain_text", text: "👍" },
          accessibility_label: "This answer was right",
          value: value("good"),
        },
        negative_button: {
          text: { type: "plain_text", text: "👎" },
          accessibility_label: "This answer was wrong or misread the question",
          value: value("bad"),
        },
      },
    ],
  };
}

/** renderBlocks' feedback option for an answer: none for a confirmation (nothing was answered yet). */
export function feedbackOption(report: Report): { feedback?: Block } {
  return report.id && report.kind !== "confirm" ? { feedback: feedbackBlock(report.id) } : {};
}

/**
 * Under a private (ephemeral) answer: share it, get its chart, get its data.
 * Each acts on the stored answer (its id is the button's value): the numbers
 * the person saw, and a command that changed state is never run again.
 */
export function privateAnswerButtons(report: Report): Block[] {
  if (!report.id) return [];
  return [
    // A confirmation to act is the asker's own: not posted to a channel, where anyone could press it.
    ...(report.kind === "confirm"
      ? []
      : [button(ACTIONS.postToChannel, "Post to channel", report.id, "primary")]),
    ...(report.charts.length > 0 ? [button(ACTIONS.sendChart, "Send chart to me", report.id)] : []),
    ...(report.table || report.download ? [button(ACTIONS.downloadCsv, "Download CSV", report.id)] : []),
  ];
}

/** Under an answer posted in a channel or DM: the data is the one extra thing to offer. */
export function postedAnswerButtons(report: Report): Block[] {
  return (report.table || report.download) && report.id
    ? [button(ACTIONS.downloadCsv, "Download CSV", report.id)]
    : [];
}
