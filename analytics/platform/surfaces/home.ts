import type { Logger } from "../base/log.ts";
import { Registry } from "../base/registry.ts";
import type { ContextSource, HomeSection, Panel } from "../contract/capability.ts";
import { type Report, simpleReport } from "../reports/report.ts";

export type { HomeSection };

/** The sections of a person's App Home, in order; a section that fails says so instead of hiding the rest. */
export class HomeSections extends Registry<HomeSection> {
  constructor(private readonly contexts: ContextSource) {
    super(
      "home section",
      (s) => s.id,
      (s) => s.order,
    );
  }

  async build(userId: string, logger: Logger): Promise<Report[]> {
    const built = await Promise.all(
      this.list().map(async (section): Promise<Report | null> => {
        try {
          return await section.build({ ...this.contexts.contextFor(this.ownerOf(section)), userId });
        } catch (error) {
          logger.error({ err: error, section: section.id }, "a home section failed");
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

/**
 * The panels of the console page, in order: a capability contributes its data
 * (one or more Reports) and how often it changes; bot/ renders it.
 */
export class Panels extends Registry<Panel> {
  constructor(private readonly contexts: ContextSource) {
    super(
      "console panel",
      (p) => p.id,
      (p) => p.order,
    );
  }

  build(panel: Panel, userId: string): Promise<Report[]> {
    return panel.build({ ...this.contexts.contextFor(this.ownerOf(panel)), userId });
  }
}
