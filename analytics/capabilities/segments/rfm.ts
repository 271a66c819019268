/*
 * RFM: recency, frequency and monetary value per customer, each scored 1–5
 * as score = ceil(5 × rank ÷ n), with rank either the average rank of ties
 * ("ties share a score", pandas rank(method='average')) or ties broken by
 * customer id ("first", pandas rank(method='first') on rows sorted by id).
 * Recency is ranked so that the most recent get 5. (pandas qcut fails on
 * heavy ties, which is why the formula is stated.)
 */

export type TieRule = "average" | "first";

export interface CustomerFigures {
  id: string;
  /** Days from the last order to the as-of day. */
  recencyDays: number;
  orders: number;
  /** Revenue in the reporting currency's minor units. */
  revenueMinor: number;
}

export interface RfmScore extends CustomerFigures {
  r: number;
  f: number;
  m: number;
  segment: string;
}

/** Ranks 1…n of `values` (ascending), ties as the rule says; `ids` break "first" ties. */
export function ranks(values: number[], ids: string[] | Int32Array, rule: TieRule): number[] {
  // Ties are broken by the ids' order, compared as numbers (half a million string comparisons per sort are slow).
  const place = Array.isArray(ids) ? idPlaces(ids) : ids;
  const order = values.map((_, i) => i);
  order.sort((a, b) => values[a]! - values[b]! || place[a]! - place[b]!);
  const out = new Array<number>(values.length);
  if (rule === "first") {
    order.forEach((index, position) => {
      out[index] = position + 1;
    });
    return out;
  }
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    // Positions start…end (0-based) share the average of ranks start+1…end+1.
    const average = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) out[order[k]!] = average;
    start = end + 1;
  }
  return out;
}

/** Each id's place in id order (0 for the first); ids already in order (as the query gives them) cost one pass. */
export function idPlaces(ids: string[]): Int32Array {
  const place = new Int32Array(ids.length);
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (sorted) {
    for (let i = 0; i < ids.length; i++) place[i] = i;
    return place;
  }
  const order = ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  order.forEach((index, position) => {
    place[index] = position;
  });
  return place;
}

export function scoresOf(rankValues: number[]): number[] {
  const n = rankValues.length;
  return rankValues.map((rank) => Math.min(5, Math.max(1, Math.ceil((5 * rank) / n - 1e-9))));
}

/**
 * The named segments: the segment map of the `rfm` R package (CRAN rfm 0.3.0,
 * rfm_segment()'s documented example), rules tried in order, the first that
 * matches wins; a customer no rule matches (the package's "Others") is
 * "Hibernating" here.
 */
export const SEGMENT_MAP: readonly {
  name: string;
  r: readonly [number, number];
  f: readonly [number, number];
  m: readonly [number, number];
}[] = [
  { name: "Champions", r: [5, 5], f: [5, 5], m: [5, 5] },
  { name: "Potential loyalists", r: [3, 5], f: [3, 5], m: [2, 5] },
  { name: "Loyal", r: [2, 4], f: [2, 4], m: [2, 4] },
  { name: "Promising", r: [3, 4], f: [1, 3], m: [3, 5] },
  { name: "New", r: [4, 5], f: [1, 3], m: [1, 5] },
  { name: "Can't lose them", r: [1, 2], f: [3, 4], m: [4, 5] },
  { name: "At risk", r: [1, 2], f: [2, 5], m: [4, 5] },
  { name: "Need attention", r: [1, 3], f: [3, 5], m: [3, 5] },
  { name: "About to sleep", r: [2, 3], f: [1, 3], m: [1, 4] },
  { name: "Lost", r: [1, 1], f: [1, 5], m: [1, 5] },
];

export const UNMATCHED = "Hibernating";

function lookUp(r: number, f: number, m: number): string {
  const within = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;
  return SEGMENT_MAP.find((s) => within(r, s.r) && within(f, s.f) && within(m, s.m))?.name ?? UNMATCHED;
}

/** The map read once for each of the 125 score triples. */
const BY_SCORES = Array.from({ length: 125 }, (_, i) =>
  lookUp(Math.floor(i / 25) + 1, (Math.floor(i / 5) % 5) + 1, (i % 5) + 1),
);

export function segmentOf(r: number, f: number, m: number): string {
  return BY_SCORES[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] ?? lookUp(r, f, m);
}

/** Scores and segments every customer. */
export function rfm(customers: CustomerFigures[], rule: TieRule = "average"): RfmScore[] {
  const ids = idPlaces(customers.map((c) => c.id));
  // The most recent (fewest days) must rank highest: rank the negated days.
  const r = scoresOf(
    ranks(
      customers.map((c) => -c.recencyDays),
      ids,
      rule,
    ),
  );
  const f = scoresOf(
    ranks(
      customers.map((c) => c.orders),
      ids,
      rule,
    ),
  );
  const m = scoresOf(
    ranks(
      customers.map((c) => c.revenueMinor),
      ids,
      rule,
    ),
  );
  // Written out, not spread: spreading half a million rows was most of the time.
  return customers.map((c, i) => ({
    id: c.id,
    recencyDays: c.recencyDays,
    orders: c.orders,
    revenueMinor: c.revenueMinor,
    r: r[i]!,
    f: f[i]!,
    m: m[i]!,
    segment: segmentOf(r[i]!, f[i]!, m[i]!),
  }));
}
