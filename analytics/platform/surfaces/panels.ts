import type { Platform } from "../platform.ts";
import type { Report } from "../reports/report.ts";

export interface PanelContext {
  platform: Platform;
  /** "console", or a Slack user id. */
  userId: string;
}

/**
 * A panel of the console page: a capability contributes its data (one or more
 * Reports) and how often it changes; bot/ renders it. A panel that fails shows
 * its error in place and the rest of the page renders.
 */
export interface Panel {
  id: string;
  title: string;
  /** Lower comes first. */
  order: number;
  /** Refreshed when new data arrives (events, orders, mentions). */
  live?: boolean;
  /** Refreshed at least this often, in ms (a feed of scheduled messages). */
  refreshMs?: number;
  /** A line under the title ("what Lift would have posted to Slack"). */
  subtitle?: string;
  build(context: PanelContext): Promise<Report[]>;
}

export class Panels {
  private readonly panels: Panel[] = [];

  register(panel: Panel): void {
    if (this.panels.some((p) => p.id === panel.id))
      throw new Error(`panel “${panel.id}” is registered twice`);
    this.panels.push(panel);
    this.panels.sort((a, b) => a.order - b.order);
  }

  list(): readonly Panel[] {
    return this.panels;
  }

  get(id: string): Panel | undefined {
    return this.panels.find((p) => p.id === id);
  }
}
