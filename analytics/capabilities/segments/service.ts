import {
  channelMix,
  customerRows,
  deleteSegment,
  eventsPerPerson,
  listSegments,
  memberCount,
  replaceMembers,
  type SegmentRow,
  saveSegment,
  segmentByName,
  segmentChangesSince,
  segmentHistory,
  streamMembers,
} from "../../../db/segments/queries.ts";
import { selectCustomers } from "../../../db/segments/rules.ts";
import { AppError } from "../../platform/errors.ts";
import { currencyDecimals } from "../../platform/format.ts";
import type { Platform } from "../../platform/platform.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { addDays, startOfDayMs } from "../../platform/time/zone.ts";
import { type Clustering, type CustomerFeatures, clusterCustomers } from "./clusters.ts";
import { type RfmScore, rfm, SEGMENT_MAP, type TieRule, UNMATCHED } from "./rfm.ts";
import { parseRule, segmentsIn } from "./rules.ts";

const DAY = 86_400_000;

/** The RFM segments' names as stored (lower case: `in segment "at risk"`), in the map's order. */
export const RFM_SEGMENTS = [...SEGMENT_MAP.map((s) => s.name), UNMATCHED];
export const segmentKey = (name: string) => name.trim().toLowerCase();

/** What a marketer can do with each RFM segment, in a sentence. */
export const RFM_ACTIONS: Record<string, string> = {
  Champions: "reward them: early access, referrals, reviews",
  "Potential loyalists": "a membership or loyalty offer while they are warm",
  Loyal: "upsell higher-value products; ask for reviews",
  Promising: "a second-purchase offer with free shipping",
  New: "a welcome series that shows the range",
  "Can't lose them": "win them back before a competitor does: a personal note, a generous offer",
  "At risk": "a win-back email with what is new since they last bought",
  "Need attention": "a limited-time offer based on what they bought",
  "About to sleep": "share popular products; a small discount to return",
  Lost: "one last win-back try, then leave them out of paid campaigns",
  Hibernating: "keep them in the newsletter; do not spend on them",
};

export interface RfmSummary {
  asOf: string;
  scores: RfmScore[];
  withoutCustomer: number;
}

export class Segments {
  constructor(readonly platform: Platform) {}

  private get db() {
    return this.platform.db;
  }

  /** The end of the as-of day (orders before it count), and the day. */
  private asOf(day?: string): { day: string; endMs: number } {
    const d = day ?? this.platform.today();
    return {
      day: d,
      endMs: Math.min(startOfDayMs(addDays(d, 1), this.platform.settings.timeZone), this.platform.now()),
    };
  }

  /** RFM scores of every customer with an order, as of a day. */
  rfm(options: { asOf?: string; ties?: TieRule } = {}): RfmSummary {
    const { day, endMs } = this.asOf(options.asOf);
    const { customers, withoutCustomer } = customerRows(this.db, endMs);
    const figures = customers.map((c) => ({
      id: c.id,
      recencyDays: Math.max(0, Math.floor((endMs - c.lastAt) / DAY)),
      orders: c.orders,
      revenueMinor: c.revenueMinor,
    }));
    return { asOf: day, scores: rfm(figures, options.ties ?? "average"), withoutCustomer };
  }

  /** Behavioural clusters of every customer with an order. */
  clusters(options: { k?: number; asOf?: string } = {}): Clustering & { withoutCustomer: number } {
    const { endMs } = this.asOf(options.asOf);
    const { customers, withoutCustomer } = customerRows(this.db, endMs);
    const mix = channelMix(this.db, endMs);
    const events = eventsPerPerson(this.db, endMs - 90 * DAY, endMs);
    const decimals = 10 ** currencyDecimals(this.platform.settings.currency);
    const features: CustomerFeatures[] = customers.map((c) => {
      const channels: Record<string, number> = {};
      for (const [channel, n] of mix.get(c.id) ?? []) channels[channel] = n / c.orders;
      return {
        id: c.id,
        recencyDays: Math.max(0, (endMs - c.lastAt) / DAY),
        orders: c.orders,
        revenue: c.revenueMinor / decimals,
        tenureDays: Math.max(0, (endMs - c.firstAt) / DAY),
        events: events.get(c.id) ?? 0,
        channels,
      };
    });
    if (options.k !== undefined && !(Number.isInteger(options.k) && options.k >= 2 && options.k <= 12))
      throw new AppError("invalid_input", "Clusters: k is a whole number from 2 to 12");
    return { ...clusterCustomers(features, options.k ? { k: options.k } : {}), withoutCustomer };
  }

  list(): SegmentRow[] {
    return listSegments(this.db);
  }

  get(name: string): SegmentRow {
    const row = segmentByName(this.db, segmentKey(name));
    if (row) return row;
    const names = this.list().map((s) => s.name);
    throw new AppError("not_found", `There is no segment “${name}”`, {
      hint: `segments: ${names.slice(0, 14).join(", ") || "none yet (the RFM ones come with the first recompute)"}`,
    });
  }

  /** Saves a rule segment and computes it now. */
  create(name: string, definition: string, owner: string): { segment: SegmentRow; size: number } {
    const key = segmentKey(name);
    if (!/^[\p{L}\p{N}][\p{L}\p{N} _'-]{0,39}$/u.test(key))
      throw new AppError("invalid_input", `“${name}” cannot be a segment's name`, {
        hint: "letters, digits, spaces, _ - ' (40 at most)",
      });
    if (RFM_SEGMENTS.some((s) => segmentKey(s) === key))
      throw new AppError("conflict", `“${name}” is an RFM segment Lift keeps itself`, {
        hint: "pick another name",
      });
    const existing = segmentByName(this.db, key);
    if (existing)
      throw new AppError("conflict", `There is a segment “${key}” already`, {
        hint: `segment delete ${key}, then create it again`,
      });
    const rule = parseRule(definition);
    const known = new Set(this.list().map((s) => s.name));
    for (const ref of segmentsIn(rule)) {
      if (ref === key) throw new AppError("invalid_input", "A segment cannot be made of itself");
      if (!known.has(ref))
        throw new AppError("not_found", `The rule names segment “${ref}”, which does not exist`, {
          hint: "`segments` lists them",
        });
    }
    saveSegment(this.db, { name: key, definition, kind: "rule", owner, at: this.platform.now() });
    this.recompute({ only: key });
    const segment = this.get(key);
    return { segment, size: memberCount(this.db, segment.id) };
  }

  delete(name: string): SegmentRow {
    const segment = this.get(name);
    if (segment.kind === "rfm")
      throw new AppError("invalid_input", `“${segment.name}” is an RFM segment: Lift keeps it`);
    const dependents = this.list().filter(
      (s) => s.kind === "rule" && segmentsIn(parseRule(s.definition)).includes(segment.name),
    );
    if (dependents.length > 0)
      throw new AppError(
        "conflict",
        `Segments ${dependents.map((s) => s.name).join(", ")} are made from “${segment.name}”`,
        {
          hint: "delete them first",
        },
      );
    deleteSegment(this.db, segment.id);
    return segment;
  }

  /**
   * Recomputes membership (RFM segments first, then rule segments in the order
   * their references need) and notes each one's size, revenue, joiners and leavers for today.
   */
  recompute(options: { only?: string } = {}): { name: string; size: number; joined: number; left: number }[] {
    const { day, endMs } = this.asOf();
    const at = this.platform.now();
    const results: { name: string; size: number; joined: number; left: number }[] = [];
    if (!options.only) {
      const scores = this.rfm().scores;
      for (const name of RFM_SEGMENTS) {
        const id = saveSegment(this.db, {
          name: segmentKey(name),
          definition: name,
          kind: "rfm",
          owner: null,
          at,
        });
        const members = scores
          .filter((s) => s.segment === name)
          .map((s) => ({ id: s.id, revenueMinor: s.revenueMinor }));
        results.push({
          name: segmentKey(name),
          size: members.length,
          ...replaceMembers(this.db, id, members, day, at),
        });
      }
    }
    const all = this.list();
    const ids = new Map(all.map((s) => [s.name, s.id]));
    const rules = all.filter((s) => s.kind === "rule" && (!options.only || s.name === options.only));
    // References first: a segment after the segments it names.
    const done = new Set<string>();
    const order: SegmentRow[] = [];
    const visit = (s: SegmentRow, path: Set<string>) => {
      if (done.has(s.name) || path.has(s.name)) return;
      path.add(s.name);
      for (const ref of segmentsIn(parseRule(s.definition))) {
        const target = all.find((x) => x.name === ref && x.kind === "rule");
        if (target && (!options.only || target.name === options.only)) visit(target, path);
      }
      done.add(s.name);
      order.push(s);
    };
    for (const s of rules) visit(s, new Set());
    const decimals = 10 ** currencyDecimals(this.platform.settings.currency);
    for (const s of order) {
      const members = selectCustomers(this.db, parseRule(s.definition), {
        asOfMs: endMs,
        minorPerMajor: decimals,
        segmentIds: ids,
      });
      results.push({
        name: s.name,
        size: members.length,
        ...replaceMembers(this.db, s.id, members, day, at),
      });
    }
    return results;
  }

  history(segment: SegmentRow, days = 90) {
    return segmentHistory(this.db, segment.id, addDays(this.platform.today(), -days));
  }

  changesSince(segment: SegmentRow, days = 7) {
    return segmentChangesSince(this.db, segment.id, addDays(this.platform.today(), -days));
  }

  size(segment: SegmentRow): number {
    return memberCount(this.db, segment.id);
  }

  /** The segment's members' ids. */
  members(segment: SegmentRow): Set<string> {
    const ids = new Set<string>();
    for (const member of streamMembers(this.db, segment.id)) ids.add(member.id);
    return ids;
  }

  /** The segment's members as CSV lines (customer id, email), streamed. */
  *csv(segment: SegmentRow, withEmail: boolean): Generator<string> {
    yield withEmail ? "customer_id,email\n" : "customer_id\n";
    for (const member of streamMembers(this.db, segment.id))
      yield `${withEmail ? [member.id, member.email ?? ""].map(csvCell).join(",") : csvCell(member.id)}\n`;
  }
}
