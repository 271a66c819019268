import { extensionPoint } from "../../platform/contract/capability.ts";

/**
 * How a campaign's spend to its last day is projected, when a capability can do better than its
 * average daily spend so far (the predict capability forecasts the daily spend). Given the spend
 * of each day so far (minor units; null for a day without spend data) and the days left, it
 * answers the spend still to come and its 80 % range, or null when it cannot tell.
 */
export interface SpendProjector {
  id: string;
  project(input: { daily: (number | null)[]; daysLeft: number }): {
    comingMinor: number;
    low80Minor: number;
    high80Minor: number;
    model: string;
  } | null;
}

export const projectionPoint = extensionPoint<SpendProjector>("campaigns.projection", (p) => p.id);
