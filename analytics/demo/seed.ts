import { AppError } from "../errors.ts";
import type { Ingest, IngestResult } from "../ingest/index.ts";
import { addResults, emptyResult } from "../ingest/index.ts";
import { dayOf } from "../time/zone.ts";
import { DEMO_DAYS, type DemoOptions, DemoWorld } from "./world.ts";

export interface SeedSummary {
  options: DemoOptions;
  start: string;
  customers: IngestResult;
  campaigns: IngestResult;
  events: IngestResult;
  mentions: IngestResult;
}

/**
 * Writes the demo workspace through the ingest core, as real data would
 * arrive: customers, campaigns, then day by day the events, the campaign
 * figures and the social mentions. Seeding twice adds nothing (stable ids).
 */
export async function seedDemo(
  ingest: Ingest,
  options: DemoOptions,
  onDay?: (done: number, total: number) => void,
): Promise<SeedSummary> {
  const world = new DemoWorld(options);
  const summary: SeedSummary = {
    options,
    start: world.start,
    customers: await ingest.customers(world.existingCustomers()),
    campaigns: await ingest.campaigns(world.campaignRows()),
    events: emptyResult(),
    mentions: emptyResult(),
  };
  for (let i = 0; i < DEMO_DAYS; i++) {
    const day = world.day(i);
    addResults(summary.events, await ingest.events(day.events));
    addResults(summary.campaigns, await ingest.campaigns(day.campaignDaily));
    addResults(summary.mentions, await ingest.mentions(day.mentions));
    onDay?.(i + 1, DEMO_DAYS);
  }
  const rejected = [summary.customers, summary.campaigns, summary.events, summary.mentions].flatMap(
    (r) => r.rejected,
  );
  if (rejected.length > 0) {
    throw new AppError(
      "internal",
      `The demo generator produced ${rejected.length} invalid rows, e.g. ${rejected[0]!.reason}`,
    );
  }
  return summary;
}

/** Default demo options for "now": the 90 days ending today, events only up to now. */
export function demoOptionsFor(
  now: number,
  timeZone: string,
  overrides: Partial<DemoOptions> = {},
): DemoOptions {
  const end = overrides.end ?? dayOf(now, timeZone);
  return {
    seed: overrides.seed ?? 42,
    end,
    scale: overrides.scale ?? "full",
    timeZone,
    ...(end >= dayOf(now, timeZone) ? { until: now } : {}),
  };
}
