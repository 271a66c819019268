import type { Db } from "../../client.ts";
import {
  type CustomerWrite,
  markCustomerSeenInTransaction,
  upsertCustomerInTransaction,
} from "./customers.ts";
import { flushObserved, personFor } from "./identities.ts";
import { transact, type WriteOptions } from "./imports.ts";
import { type OrderWrite, upsertOrderInTransaction } from "./orders.ts";
import {
  countOutcome,
  emptyCounts,
  noteReceivedInTransaction,
  preparedFor,
  type RowOutcome,
  type WriteCounts,
} from "./statements.ts";

/** A validated, normalized event ready to store. */
export interface EventWrite {
  messageId: string;
  type: "track" | "page" | "identify";
  event: string | null;
  /** Rollup key: the track event name, "$page" or "$identify". */
  eventKey: string;
  userId: string | null;
  anonymousId: string | null;
  /** The channel this event's own utm tags or referrer point to; null when it carries none. */
  channel: string | null;
  campaignId: string | null;
  properties: string;
  context: string;
  timestamp: number;
  day: string;
  receivedAt: number;
  /** identify: the traits to merge into the customer. */
  customer?: Omit<CustomerWrite, "id">;
  /** What event observers read from this event (by observer id), written with the batch. */
  observed?: { id: string; value: unknown }[];
  /** Order Completed: the order it creates; channel and campaign come from the event's attribution. */
  order?: Omit<OrderWrite, "channel" | "campaignId" | "customerId"> & { campaignId: string | null };
}

/** One event an observer read something from, with whose it is once identities are resolved. */
export interface ObservedItem<X = unknown> {
  personId: string;
  at: number;
  receivedAt: number;
  value: X;
}

/**
 * A capability's synchronous step inside an events batch's transaction (an
 * observer's db/ half): it writes what it read from the batch's accepted
 * events, and moves its rows when an anonymous person joins a user. Steps run
 * in the writer thread too, so they are plain functions of the database.
 */
export interface EventStep<X = unknown> {
  id: string;
  write(db: Db, items: ObservedItem<X>[]): void;
  rekey?(db: Db, from: string, to: string): void;
}

export interface EventWriteResult {
  counts: WriteCounts;
  outcomes: RowOutcome[];
  orders: WriteCounts;
  customers: WriteCounts;
}

interface PersonState {
  /** The person's number (people.no): what daily_people and the day sets hold. */
  no: number;
  channel: string | null;
  campaignId: string | null;
  firstSeen: number;
  lastSeen: number;
  dirty: boolean;
}

const DIRECT = "direct";

/**
 * A person's day belongs to the channel of their earliest event that day, whatever order events
 * arrive in. Events in the same millisecond are ordered by channel name, so the answer never depends
 * on arrival order (the rebuild and the raw scans in rollups.ts and metrics.ts use the same order).
 */
const EARLIEST_WINS = `ON CONFLICT (day, person_no) DO UPDATE SET
  channel = CASE WHEN excluded.first_at < daily_people.first_at
                   OR (excluded.first_at = daily_people.first_at AND excluded.channel < daily_people.channel)
                 THEN excluded.channel ELSE daily_people.channel END,
  first_at = min(daily_people.first_at, excluded.first_at)`;

/** Whether (at, channel) comes before the stored earliest event of the day, in the order above. */
function earlier(at: number, channel: string, than: { at: number; channel: string }): boolean {
  return at < than.at || (at === than.at && channel < than.channel);
}

export const prepared = preparedFor((sqlite) => ({
  insertEvent: sqlite.prepare(
    `INSERT INTO events (message_id, type, event, person_id, user_id, anonymous_id, channel, properties, context,
       timestamp, day, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
  ),
  linkedUser: sqlite.prepare<[string], { user_id: string }>(
    "SELECT user_id FROM identities WHERE anonymous_id = ?",
  ),
  link: sqlite.prepare("INSERT INTO identities (anonymous_id, user_id, linked_at) VALUES (?, ?, ?)"),
  rekeyEvents: sqlite.prepare("UPDATE events SET person_id = ? WHERE person_id = ?"),
  // A merge moves the anonymous person's days to the user's number (earliest event wins the channel).
  touchDaysOf: sqlite.prepare(
    `INSERT INTO day_versions (day, version) SELECT day, 1 FROM daily_people WHERE person_no = ?
     ON CONFLICT (day) DO UPDATE SET version = version + 1`,
  ),
  rekeyDailyPeople: sqlite.prepare(
    `INSERT INTO daily_people (day, person_no, channel, first_at) SELECT day, ?, channel, first_at FROM daily_people
     WHERE person_no = ? ${EARLIEST_WINS}`,
  ),
  dropDailyPeople: sqlite.prepare("DELETE FROM daily_people WHERE person_no = ?"),
  person: sqlite.prepare<
    [string],
    { no: number; channel: string | null; campaign_id: string | null; first_seen: number; last_seen: number }
  >("SELECT no, channel, campaign_id, first_seen, last_seen FROM people WHERE person_id = ?"),
  savePerson: sqlite.prepare(
    `INSERT INTO people (person_id, no, channel, campaign_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (person_id) DO UPDATE SET channel = excluded.channel, campaign_id = excluded.campaign_id,
       first_seen = excluded.first_seen, last_seen = excluded.last_seen`,
  ),
  renamePerson: sqlite.prepare("UPDATE people SET person_id = ? WHERE person_id = ?"),
  dropPerson: sqlite.prepare("DELETE FROM people WHERE person_id = ?"),
  nextNo: sqlite.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'next_person_no'"),
  saveNextNo: sqlite.prepare(
    `INSERT INTO meta (key, value) VALUES ('next_person_no', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ),
  activeDay: sqlite.prepare(
    `INSERT INTO daily_people (day, person_no, channel, first_at) VALUES (?, ?, ?, ?) ${EARLIEST_WINS}`,
  ),
  touchDay: sqlite.prepare(
    "INSERT INTO day_versions (day, version) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET version = version + 1",
  ),
  countEvents: sqlite.prepare(
    `INSERT INTO daily_events (day, event_key, channel, count) VALUES (?, ?, ?, ?)
     ON CONFLICT (day, event_key, channel) DO UPDATE SET count = count + excluded.count`,
  ),
}));

/** Per-batch working state: people read once, written once at the end. */
export class BatchState {
  readonly people = new Map<string, PersonState | null>();
  readonly eventCounts = new Map<string, number>();
  /** day + person → the earliest event's channel and time in this batch. */
  readonly activeDays = new Map<string, { day: string; personId: string; channel: string; at: number }>();
  readonly customersSeen = new Map<string, [number, number]>();
  /** What observers read from accepted events, by observer id. */
  readonly observed = new Map<string, ObservedItem[]>();
  /** anonymousId → its user (or itself), looked up once per batch. */
  readonly linked = new Map<string, string | null>();
  private nextNo: number | null = null;

  constructor(private readonly db: Db) {}

  person(personId: string): PersonState | null {
    if (!this.people.has(personId)) {
      const row = prepared(this.db).person.get(personId);
      this.people.set(
        personId,
        row
          ? {
              no: row.no,
              channel: row.channel,
              campaignId: row.campaign_id,
              firstSeen: row.first_seen,
              lastSeen: row.last_seen,
              dirty: false,
            }
          : null,
      );
    }
    return this.people.get(personId) ?? null;
  }

  /** The next person number (kept in meta, saved with the batch). */
  number(): number {
    if (this.nextNo === null) this.nextNo = Number(prepared(this.db).nextNo.get()?.value ?? 1);
    return this.nextNo++;
  }

  linkedUser(anonymousId: string): string | null {
    let user = this.linked.get(anonymousId);
    if (user === undefined) {
      user = prepared(this.db).linkedUser.get(anonymousId)?.user_id ?? null;
      this.linked.set(anonymousId, user);
    }
    return user;
  }

  flushPerson(personId: string): void {
    const state = this.people.get(personId);
    if (state?.dirty) {
      prepared(this.db).savePerson.run(
        personId,
        state.no,
        state.channel,
        state.campaignId,
        state.firstSeen,
        state.lastSeen,
      );
      state.dirty = false;
    }
  }

  flushActiveDays(): void {
    const q = prepared(this.db);
    const days = new Set<string>();
    for (const active of this.activeDays.values()) {
      const person = this.people.get(active.personId);
      if (!person) continue;
      q.activeDay.run(active.day, person.no, active.channel, active.at);
      days.add(active.day);
    }
    for (const day of days) q.touchDay.run(day);
    this.activeDays.clear();
  }

  flush(): void {
    const q = prepared(this.db);
    this.flushActiveDays();
    for (const personId of this.people.keys()) this.flushPerson(personId);
    if (this.nextNo !== null) q.saveNextNo.run(String(this.nextNo));
    for (const [key, count] of this.eventCounts) {
      const [day, eventKey, channel] = key.split("\u0000") as [string, string, string];
      q.countEvents.run(day, eventKey, channel, count);
    }
    for (const [id, [first, last]] of this.customersSeen)
      markCustomerSeenInTransaction(this.db, id, first, last);
  }
}

/**
 * Writes a batch of events in one transaction: each new event, its person's
 * attribution (last non-direct touch), the daily rollups, the customer it
 * identifies and the order it completes. A repeated messageId is a duplicate
 * and changes nothing. Each event observer's step writes what it read from the
 * accepted events in the same transaction. If anything throws, the whole batch is rolled back.
 */
// Long on purpose: one events batch in its one synchronous transaction, the steps in the order their rows depend on each other.
export async function writeEvents(
  db: Db,
  batch: EventWrite[],
  options?: WriteOptions,
  steps: readonly EventStep[] = [],
): Promise<EventWriteResult> {
  const q = prepared(db);
  return transact(db, options, () => {
    const state = new BatchState(db);
    const counts = emptyCounts();
    const orders = emptyCounts();
    const customers = emptyCounts();
    const outcomes: RowOutcome[] = [];
    for (const event of batch) {
      const personId = personFor(db, state, steps, event);
      const person = state.person(personId);
      const channel = event.channel ?? person?.channel ?? DIRECT;
      const campaignId = event.channel !== null ? event.campaignId : (person?.campaignId ?? null);
      const inserted = q.insertEvent.run(
        event.messageId,
        event.type,
        event.event,
        personId,
        event.userId,
        event.anonymousId,
        channel,
        // Personal values in properties and context (an email, a name, an ip) are sealed.
        db.sealer.sealJsonText(event.properties),
        db.sealer.sealJsonText(event.context),
        event.timestamp,
        event.day,
        event.receivedAt,
      ).changes;
      if (inserted === 0) {
        outcomes.push("duplicate");
        counts.duplicates++;
        continue;
      }
      outcomes.push("accepted");
      counts.accepted++;
      if (person === null) {
        state.people.set(personId, {
          no: state.number(),
          channel: event.channel !== null && event.channel !== DIRECT ? event.channel : null,
          campaignId: event.channel !== null && event.channel !== DIRECT ? event.campaignId : null,
          firstSeen: event.timestamp,
          lastSeen: event.timestamp,
          dirty: true,
        });
      } else {
        if (event.channel !== null && event.channel !== DIRECT && event.timestamp >= person.lastSeen) {
          person.channel = event.channel;
          person.campaignId = event.campaignId;
        }
        person.firstSeen = Math.min(person.firstSeen, event.timestamp);
        person.lastSeen = Math.max(person.lastSeen, event.timestamp);
        person.dirty = true;
      }
      const countKey = `${event.day}\u0000${event.eventKey}\u0000${channel}`;
      state.eventCounts.set(countKey, (state.eventCounts.get(countKey) ?? 0) + 1);
      const activeKey = `${event.day}\u0000${personId}`;
      const active = state.activeDays.get(activeKey);
      if (!active)
        state.activeDays.set(activeKey, { day: event.day, personId, channel, at: event.timestamp });
      else if (earlier(event.timestamp, channel, active)) {
        active.channel = channel;
        active.at = event.timestamp;
      }
      if (event.userId !== null) {
        const seen = state.customersSeen.get(event.userId);
        if (seen) {
          seen[0] = Math.min(seen[0], event.timestamp);
          seen[1] = Math.max(seen[1], event.timestamp);
        } else state.customersSeen.set(event.userId, [event.timestamp, event.timestamp]);
      }
      if (event.customer && event.userId !== null) {
        countOutcome(customers, upsertCustomerInTransaction(db, { id: event.userId, ...event.customer }));
      }
      for (const { id, value } of event.observed ?? []) {
        const items = state.observed.get(id) ?? [];
        state.observed.set(id, items);
        items.push({ personId, at: event.timestamp, receivedAt: event.receivedAt, value });
      }
      if (event.order) {
        const outcome = upsertOrderInTransaction(db, {
          ...event.order,
          customerId: event.userId,
          channel,
          campaignId: event.order.campaignId ?? campaignId,
        });
        countOutcome(orders, outcome);
      }
    }
    state.flush();
    flushObserved(db, state, steps);
    const latest = batch.reduce((max, event) => Math.max(max, event.receivedAt), 0);
    if (latest > 0) noteReceivedInTransaction(db, "events", latest);
    if (orders.accepted + orders.updated > 0) noteReceivedInTransaction(db, "orders", latest);
    return { counts, outcomes, orders, customers };
  });
}
