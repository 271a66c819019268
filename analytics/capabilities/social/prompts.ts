import type { PromptSource } from "../../platform/contract/capability.ts";

/** The assistant panel: a spike of negative mentions that is still open, else how mentions are going. */
export const socialPrompts: PromptSource = {
  id: "social",
  order: 30,
  async build({ platform }) {
    const open = (await platform.schedules.openIncidents()).find((i) =>
      /negative mentions/i.test(i.headline),
    );
    if (open)
      return [
        { title: "What set off the spike of negative mentions?", message: "sentiment spikes last 7 days" },
      ];
    return [{ title: "What are people saying about us this week?", message: "sentiment last 7 days" }];
  },
};
