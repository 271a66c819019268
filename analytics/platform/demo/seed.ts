import { AppError } from "../base/errors.ts";
import type { Ingest, IngestResult } from "../ingest/index.ts";
import { addResults, emptyResult } from "../ingest/index.ts";
import { addDays, dayOf } from "../time/zone.ts";
import {
  DEMO_DAYS,
  type DemoBatch,
  type DemoContext,
  type DemoOptions,
  type DemoPart,
  streamFor,
} from "./parts.ts";
import { customersPart, existingCustomers, Visits } from "./visits.ts";

export interface SeedSummary {
  options: DemoOptions;
  start: string;
  /** What each data kind took in. */
  results: Record<string, IngestResult>;
}

function contextFor(
  part: DemoPart,
  options: DemoOptions,
  start: string,
  shared: Map<string, unknown>,
): DemoContext {
  let counter = 0;
  const tag = options.idPrefix ?? String(options.seed);
  // Core parts keep the short ids; a capability's part has its own namespace, so ids never collide.
  const scope = part.core ? tag : `${tag}-${part.id}`;
  return {
    options,
    start,
    random: streamFor(options.seed, part.id),
    shared,
    id: (prefix) => {
      counter++;
      return `${prefix}-${scope}-${counter.toString(36)}`;
    },
  };
}

/**
 * Writes the demo workspace through the ingest core, as real data would
 * arrive: each part's set-up rows (customers, campaigns), then day by day each
 * part's rows. Every part draws from its own random stream, so a part added
 * by a capability never shifts another's data. Seeding twice adds nothing
 * (stable ids).
 */
export async function seedDemo(
  ingest: Ingest,
  parts: readonly DemoPart[],
  options: DemoOptions,
  onDay?: (done: number, total: number) => void,
): Promise<SeedSummary> {
  const start = addDays(options.end, -(DEMO_DAYS - 1));
  const shared = new Map<string, unknown>();
  const contexts = parts.map((part) => ({ part, context: contextFor(part, options, start, shared) }));
  const results: Record<string, IngestResult> = {};
  const write = async (batches: DemoBatch[]) => {
    for (const batch of batches) {
      if (batch.rows.length === 0) continue;
      const result = await ingest.write(batch.kind, batch.rows);
      results[batch.kind] = addResults(results[batch.kind] ?? emptyResult(), result);
    }
  };
  for (const { part, context } of contexts) if (part.setup) await write(part.setup(context));
  for (let i = 0; i < DEMO_DAYS; i++) {
    const day = addDays(start, i);
    for (const { part, context } of contexts) if (part.day) await write(part.day(context, i, day));
    onDay?.(i + 1, DEMO_DAYS);
  }
  const rejected = Object.values(results).flatMap((r) => r.rejected);
  if (rejected.length > 0) {
    throw new AppError(
      "internal",
      `The demo generator produced ${rejected.length} invalid rows, e.g. ${rejected[0]!.reason}`,
    );
  }
  return { options, start, results };
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
    ...(overrides.idPrefix ? { idPrefix: overrides.idPrefix } : {}),
  };
}

/**
 * Live visits for `lift demo --live`: the same model as the seeded days, with
 * ids (events and orders) under the run's own prefix, so a live run adds to
 * the history and never rewrites it.
 */
export function liveVisits(options: DemoOptions): (at: number, visits: number) => Record<string, unknown>[] {
  const start = addDays(options.end, -(DEMO_DAYS - 1));
  const shared = new Map<string, unknown>();
  const { customers } = existingCustomers(contextFor(customersPart, options, start, shared));
  const context = contextFor({ id: "live", order: 0 }, options, start, shared);
  const visits = new Visits(options, context.random, context.id, customers);
  return (at, count) => visits.live(at, count);
}
