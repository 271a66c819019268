/**
 * Ordered funnels, as pure math. A person reaches step k when they did steps
 * 1…k in order, each after the one before, all within `windowMs` of step 1.
 * Each person counts once, at the deepest step any of their starts reached.
 */
export interface FunnelEvent {
  personId: string;
  eventKey: string;
  timestamp: number;
  channel: string;
}

export interface FunnelPerson {
  depth: number;
  /** The channel of the step-1 event of the person's deepest path. */
  channel: string;
}

/** `events` must be sorted by person, then time. Starts must fall in [startFrom, startTo). */
export function funnelDepths(
  events: readonly FunnelEvent[],
  steps: readonly string[],
  windowMs: number,
  startFrom: number,
  startTo: number,
): Map<string, FunnelPerson> {
  const people = new Map<string, FunnelPerson>();
  let i = 0;
  while (i < events.length) {
    const personId = events[i]!.personId;
    let end = i;
    while (end < events.length && events[end]!.personId === personId) end++;
    let best: FunnelPerson | null = null;
    for (let s = i; s < end && best?.depth !== steps.length; s++) {
      const start = events[s]!;
      if (start.eventKey !== steps[0] || start.timestamp < startFrom || start.timestamp >= startTo) continue;
      let depth = 1;
      let last = start.timestamp;
      for (let j = s + 1; j < end && depth < steps.length; j++) {
        const event = events[j]!;
        if (event.timestamp - start.timestamp > windowMs) break;
        if (event.eventKey === steps[depth] && event.timestamp >= last) {
          depth++;
          last = event.timestamp;
        }
      }
      if (!best || depth > best.depth) best = { depth, channel: start.channel };
    }
    if (best) people.set(personId, best);
    i = end;
  }
  return people;
}

/** People reaching each step: counts[k] = people whose depth ≥ k + 1. */
export function stepCounts(people: Iterable<FunnelPerson>, stepCount: number): number[] {
  const counts = new Array<number>(stepCount).fill(0);
  for (const person of people) for (let k = 0; k < person.depth; k++) counts[k]!++;
  return counts;
}
