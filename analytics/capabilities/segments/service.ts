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
  traitExists,
} from "../../../db/segments/queries.ts";
import { selectCustomers } from "../../../db/segments/rules.ts";
import { AppError } from "../../platform/base/errors.ts";
import { currencyDecimals } from "../../platform/base/format.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { addDays, dayOf, startOfDayMs } from "../../platform/time/zone.ts";
import { type RuleField, ruleFieldPoint } from "./api.ts";
import { type Clustering, type CustomerFeatures, clusterCustomers } from "./clusters.ts";
import { type RfmScore, rfm, SEGMENT_MAP, type TieRule, UNMATCHED } from "./rfm.ts";
import { FIELDS, fieldsIn, parseRule, type Rule, segmentsIn } from "./rules.ts";

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
  readonly platform: PlatformApi;

  constructor(private readonly context: CapabilityContext) {
    this.platform = context.platform;
  }

  get db() {
    return this.context.tables;
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
  async rfm(options: { asOf?: string; ties?: TieRule } = {}): Promise<RfmSummary> {
    const { day, endMs } = this.asOf(options.asOf);
    const { customers, withoutCustomer } = await customerRows(this.db, endMs);
    const figures = customers.map((c) => ({
      id: c.id,
      recencyDays: Math.max(0, Math.floor((endMs - c.lastAt) / DAY)),
      orders: c.orders,
      revenueMinor: c.revenueMinor,
    }));
    return { asOf: day, scores: rfm(figures, options.ties ?? "average"), withoutCustomer };
  }

  /** Behavioural clusters of every customer with an order. */
  async clusters(
    options: { k?: number; asOf?: string } = {},
  ): Promise<Clustering & { withoutCustomer: number }> {
    const { endMs } = this.asOf(options.asOf);
    const { customers, withoutCustomer } = await customerRows(this.db, endMs);
    const mix = await channelMix(this.db, endMs);
    const events = await eventsPerPerson(this.db, endMs - 90 * DAY, endMs);
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

  list(): Promise<SegmentRow[]> {
    return listSegments(this.db);
  }

  async get(name: string): Promise<SegmentRow> {
    const row = await segmentByName(this.db, segmentKey(name));
    if (row) return row;
    const names = (await this.list()).map((s) => s.name);
    throw new AppError("not_found", `There is no segment “${name}”`, {
      hint: `segments: ${names.slice(0, 14).join(", ") || "none yet (the RFM ones come with the first recompute)"}`,
    });
  }

  /** Saves a rule segment and computes it now. */
  async create(
    name: string,
    definition: string,
    owner: string,
  ): Promise<{ segment: SegmentRow; size: number }> {
    const key = segmentKey(name);
    if (!/^[\p{L}\p{N}][\p{L}\p{N} _'-]{0,39}$/u.test(key))
      throw new AppError("invalid_input", `“${name}” cannot be a segment's name`, {
        hint: "letters, digits, spaces, _ - ' (40 at most)",
      });
    if (RFM_SEGMENTS.some((s) => segmentKey(s) === key))
      throw new AppError("conflict", `“${name}” is an RFM segment Lift keeps itself`, {
        hint: "pick another name",
      });
    const existing = await segmentByName(this.db, key);
    if (existing)
      throw new AppError("conflict", `There is a segment “${key}” already`, {
        hint: `segment delete ${key}, then create it again`,
      });
    const rule = parseRule(definition, this.ruleFields());
    await this.checkTraits(rule);
    const known = new Set((await this.list()).map((s) => s.name));
    for (const ref of segmentsIn(rule)) {
      if (ref === key) throw new AppError("invalid_input", "A segment cannot be made of itself");
      if (!known.has(ref))
        throw new AppError("not_found", `The rule names segment “${ref}”, which does not exist`, {
          hint: "`segments` lists them",
        });
    }
    await saveSegment(this.db, { name: key, definition, kind: "rule", owner, at: this.platform.now() });
    await this.recompute({ only: key });
    const segment = await this.get(key);
    return { segment, size: await memberCount(this.db, segment.id) };
  }

  /** The fields other capabilities add to rules (predictions' p_alive …). */
  ruleFields(): readonly RuleField[] {
    return this.context.extensions(ruleFieldPoint);
  }

  /**
   * A field that is neither Lift's own nor one a capability adds is a customer trait, when any
   * customer has it: a misspelt field ("plann") is an error that lists the fields, never an empty segment.
   */
  private async checkTraits(rule: Rule): Promise<void> {
    for (const field of fieldsIn(rule)) {
      if ((FIELDS as readonly string[]).includes(field)) continue;
      if (this.ruleFields().some((f) => f.name === field)) continue;
      if (await traitExists(this.db, field)) continue;
      throw new AppError("invalid_input", `No customer has a field or trait “${field}”`, {
        hint: `fields: ${[...FIELDS, ...this.ruleFields().map((f) => f.name)].join(", ")}, or a trait your customers carry (country, plan …)`,
      });
    }
  }

  async delete(name: string): Promise<SegmentRow> {
    const segment = await this.get(name);
    if (segment.kind === "rfm")
      throw new AppError("invalid_input", `“${segment.name}” is an RFM segment: Lift keeps it`);
    const dependents = (await this.list()).filter(
      (s) =>
        s.kind === "rule" && segmentsIn(parseRule(s.definition, this.ruleFields())).includes(segment.name),
    );
    if (dependents.length > 0)
      throw new AppError(
        "conflict",
        `Segments ${dependents.map((s) => s.name).join(", ")} are made from “${segment.name}”`,
        {
          hint: "delete them first",
        },
      );
    await deleteSegment(this.db, segment.id);
    return segment;
  }

  /**
   * Recomputes membership (RFM segments first, then rule segments in the order
   * their references need) and notes each one's size, revenue, joiners and leavers for today.
   */
  async recompute(
    options: { only?: string } = {},
  ): Promise<{ name: string; size: number; joined: number; left: number }[]> {
    const { day, endMs } = this.asOf();
    const at = this.platform.now();
    const results: { name: string; size: number; joined: number; left: number }[] = [];
    if (!options.only) {
      const { scores } = await this.rfm();
      for (const name of RFM_SEGMENTS) {
        const id = await saveSegment(this.db, {
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
          ...(await replaceMembers(this.db, id, members, day, at)),
        });
      }
    }
    const all = await this.list();
    const ids = new Map(all.map((s) => [s.name, s.id]));
    const rules = all.filter((s) => s.kind === "rule" && (!options.only || s.name === options.only));
    // References first: a segment after the segments it names.
    const done = new Set<string>();
    const order: SegmentRow[] = [];
    const visit = (s: SegmentRow, path: Set<string>) => {
      if (done.has(s.name) || path.has(s.name)) return;
      path.add(s.name);
      for (const ref of segmentsIn(parseRule(s.definition, this.ruleFields()))) {
        const target = all.find((x) => x.name === ref && x.kind === "rule");
        if (target && (!options.only || target.name === options.only)) visit(target, path);
      }
      done.add(s.name);
      order.push(s);
    };
    for (const s of rules) visit(s, new Set());
    const decimals = 10 ** currencyDecimals(this.platform.settings.currency);
    const values = new Map<string, Map<string, number | string>>();
    for (const s of order) {
      const rule = parseRule(s.definition, this.ruleFields());
      // Each field another capability keeps, asked once per recompute and only when a rule reads it.
      const external = new Map<string, Map<string, number | string>>();
      for (const field of this.ruleFields())
        if (fieldsIn(rule).includes(field.name)) {
          if (!values.has(field.name)) values.set(field.name, await field.values(endMs));
          external.set(field.name, values.get(field.name)!);
        }
      const members = await selectCustomers(this.db, rule, {
        asOfMs: endMs,
        minorPerMajor: decimals,
        segmentIds: ids,
        external,
      });
      results.push({
        name: s.name,
        size: members.length,
        ...(await replaceMembers(this.db, s.id, members, day, at)),
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

  size(segment: SegmentRow): Promise<number> {
    return memberCount(this.db, segment.id);
  }

  /** The segment's members' ids. */
  async members(segment: SegmentRow): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const member of streamMembers(this.db, segment.id)) ids.add(member.id);
    return ids;
  }

  /** The segment's members as CSV lines (customer id, email), streamed. */
  async *csv({ id }: SegmentRow, withEmail: boolean): AsyncGenerator<string> {
    const { currency, timeZone } = this.platform.settings;
    const decimals = currencyDecimals(currency);
    const spent = `total_spent_${currency.toLowerCase()}`;
    yield `${["customer_id", ...(withEmail ? ["email"] : []), "orders", spent, "last_order"].join(",")}\n`;
    for await (const member of streamMembers(this.db, id)) {
      const cells = [
        member.id,
        ...(withEmail ? [member.email ?? ""] : []),
        String(member.orders),
        (member.revenueMinor / 10 ** decimals).toFixed(decimals),
        member.lastOrderAt === null ? "" : dayOf(member.lastOrderAt, timeZone),
      ];
      yield `${cells.map(csvCell).join(",")}\n`;
    }
  }
}
