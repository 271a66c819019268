import type { EventStep } from "../../../db/platform/queries/events.ts";
import type { Normalized } from "./kinds.ts";

/** An event as an observer sees it while the batch is read (before identities are resolved). */
export interface ObservedEvent {
  type: "track" | "page" | "identify";
  /** The track event's name, or the page's. */
  event: string | null;
  properties: Record<string, unknown>;
  timestamp: number;
}

/**
 * What a capability keeps of the events going by (experiments: exposures from
 * `Experiment Viewed`): `read` runs as each event is validated, and may reject
 * it with a reason; the step (a db/ function) writes what was read for the
 * batch's accepted events in the batch's own transaction, on the writer thread
 * when there is one, and moves it when a visitor is identified.
 */
export interface EventObserver<X = unknown> {
  id: string;
  /** null: nothing here for this observer. */
  read(event: ObservedEvent): Normalized<X> | null;
  step: EventStep<X>;
}
