import type { PromptSource } from "../../platform/contract/capability.ts";
import { experimentsService } from "./api.ts";

const DAY = 86_400_000;

/** The assistant panel: an experiment that just reached a verdict, else the newest running one. */
export const experimentPrompts: PromptSource = {
  id: "experiments",
  order: 20,
  async build({ platform }) {
    const rows = (await experimentsService.of(platform).list()).filter((e) => e.status === "running");
    const decided = rows
      .filter((e) => e.verdict && e.verdictAt && e.verdictAt >= platform.now() - 7 * DAY)
      .sort((a, b) => (b.verdictAt ?? 0) - (a.verdictAt ?? 0))[0];
    if (decided)
      return [{ title: `What did the ${decided.name} test find?`, message: `experiment ${decided.id}` }];
    const newest = rows.sort((a, b) => (b.startAt ?? 0) - (a.startAt ?? 0))[0];
    return newest
      ? [{ title: `How is the ${newest.name} test doing?`, message: `experiment ${newest.id}` }]
      : [];
  },
};
