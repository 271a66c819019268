import type { Db } from "../../client.ts";
import { type BatchState, type EventStep, type EventWrite, prepared } from "./events.ts";

/**
 * The first time an event carries both ids, the anonymous history joins the
 * user: its events, active days and attribution move to the userId. A user
 * seen for the first time takes the anonymous person's number (nothing else
 * moves); otherwise the anonymous days join the user's number and those days'
 * sets are rebuilt when next asked for.
 */
function linkIdentity(
  db: Db,
  state: BatchState,
  steps: readonly EventStep[],
  anonymousId: string,
  userId: string,
  at: number,
): void {
  const q = prepared(db);
  q.link.run(anonymousId, userId, at);
  state.linked.set(anonymousId, userId);
  state.flushActiveDays();
  state.flushPerson(anonymousId);
  state.flushPerson(userId);
  q.rekeyEvents.run(userId, anonymousId);
  // What observers keep of the anonymous person moves too (written so far in this batch first).
  flushObserved(db, state, steps);
  for (const step of steps) step.rekey?.(db, anonymousId, userId);
  const anon = q.person.get(anonymousId);
  if (anon) {
    const user = q.person.get(userId);
    if (!user) {
      q.renamePerson.run(userId, anonymousId);
    } else {
      q.touchDaysOf.run(anon.no);
      q.rekeyDailyPeople.run(user.no, anon.no);
      q.dropDailyPeople.run(anon.no);
      q.savePerson.run(
        userId,
        user.no,
        user.channel ?? anon.channel,
        user.channel ? user.campaign_id : anon.campaign_id,
        Math.min(user.first_seen, anon.first_seen),
        Math.max(user.last_seen, anon.last_seen),
      );
      q.dropPerson.run(anonymousId);
    }
  }
  state.people.delete(anonymousId);
  state.people.delete(userId);
}

/** Hands each observer's step what it read from the batch so far. */
export function flushObserved(db: Db, state: BatchState, steps: readonly EventStep[]): void {
  for (const step of steps) {
    const items = state.observed.get(step.id);
    if (items && items.length > 0) step.write(db, items);
  }
  state.observed.clear();
}

export function personFor(db: Db, state: BatchState, steps: readonly EventStep[], event: EventWrite): string {
  if (event.userId !== null) {
    if (
      event.anonymousId !== null &&
      event.anonymousId !== event.userId &&
      state.linkedUser(event.anonymousId) === null
    ) {
      linkIdentity(db, state, steps, event.anonymousId, event.userId, event.timestamp);
    }
    return event.userId;
  }
  const anonymousId = event.anonymousId as string;
  return state.linkedUser(anonymousId) ?? anonymousId;
}
