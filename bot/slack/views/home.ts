import type { Report } from "../../../analytics/platform/reports/report.ts";
import { type Block, renderBlocks } from "../../render/blocks.ts";

/** A Home tab holds at most 100 blocks (docs.slack.dev/surfaces/app-home). */
const HOME_BLOCKS = 100;

/** The App Home: each section's report as blocks (its header, figures, context and buttons), divided. */
export function homeView(sections: Report[], updated: string): { type: "home"; blocks: Block[] } {
  const blocks: Block[] = [];
  for (const report of sections) {
    const rendered = renderBlocks(report).blocks;
    if (blocks.length + rendered.length + 2 > HOME_BLOCKS - 1) break;
    if (blocks.length > 0) blocks.push({ type: "divider" });
    blocks.push(...rendered);
  }
  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: `Updated ${updated}. Ask me anything in a DM, or type \`/lift help\`.` },
    ],
  });
  return { type: "home", blocks };
}
