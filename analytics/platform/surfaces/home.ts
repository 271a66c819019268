import type { Platform } from "../platform.ts";
import { type Report, simpleReport } from "../reports/report.ts";
import { Sections } from "../reports/sections.ts";

export { type Panel, type PanelContext, Panels } from "./panels.ts";

export interface HomeContext {
  platform: Platform;
  /** Slack user id (or "console"). */
  userId: string;
}

/** A part of a person's home (Slack's App Home tab): each capability contributes its own. */
export interface HomeSection {
  id: string;
  /** Lower comes first. */
  order: number;
  /** A report to show, or null when the section has nothing to say to this person. */
  build(context: HomeContext): Promise<Report | null>;
}

/** The sections of the home, in order; a section that fails says so instead of hiding the rest. */
export class HomeSections extends Sections<HomeSection> {
  constructor() {
    super("home");
  }

  async build(context: HomeContext): Promise<Report[]> {
    const built = await Promise.all(
      this.sections.map(async (section): Promise<Report | null> => {
        try {
          return await section.build(context);
        } catch (error) {
          context.platform.logger.error({ err: error, section: section.id }, "a home section failed");
          return simpleReport(
            "home_error",
            section.id,
            "This part of the home could not be built just now; it has been logged.",
          );
        }
      }),
    );
    return built.filter((report): report is Report => report !== null);
  }
}
