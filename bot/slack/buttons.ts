import type { Report } from "../../analytics/reports/report.ts";
import { type Block, cut, LIMITS, renderBlocks } from "../render/blocks.ts";
import { ACTIONS } from "./surface.ts";

function button(actionId: string, label: string, command: string, style?: "primary"): Block {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: label },
    value: cut(command, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** A private (ephemeral) answer: the report with the buttons to share it, get its chart, get its data. */
export function privateAnswer(report: Report, command: string): { text: string; blocks: Block[] } {
  const { text, blocks } = renderBlocks(report, { buttons: privateAnswerButtons(report, command) });
  return { text, blocks };
}

/** Under a private (ephemeral) answer: share it, get its chart, get its data. */
export function privateAnswerButtons(report: Report, command: string): Block[] {
  return [
    button(ACTIONS.postToChannel, "Post to channel", command, "primary"),
    ...(report.charts.length > 0 ? [button(ACTIONS.sendChart, "Send chart to me", command)] : []),
    ...(report.table ? [button(ACTIONS.downloadCsv, "Download CSV", command)] : []),
  ];
}

/** Under an answer posted in a channel or DM: the data is the one extra thing to offer. */
export function postedAnswerButtons(report: Report, command: string): Block[] {
  return report.table ? [button(ACTIONS.downloadCsv, "Download CSV", command)] : [];
}
