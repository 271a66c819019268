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

/** A private (ephemeral) answer: the report with the buttons to share it, get its chart, get its data. */
export function privateAnswer(report: Report): { text: string; blocks: Block[] } {
  const { text, blocks } = renderBlocks(report, { buttons: privateAnswerButtons(report) });
  return { text, blocks };
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
