import {
  type ExperimentRow,
  exposureCounts,
  goalEvents,
  goalEventsBefore,
  importedRows,
} from "../../../db/experiments/queries.ts";
import { dayCutter, daysBetween } from "../../platform/time/zone.ts";
import type { VariantFigures } from "./analysis.ts";
import {
  type Analysis,
  analyseFigures,
  CUPED_LOOKBACK_MS,
  capAt,
  type DailyPoint,
  type ExperimentConfig,
  type Experiments,
  type GuardrailResult,
  ORDER_EVENT,
} from "./service.ts";
import { type CovariateSums, rateArm, sequential, welch } from "./stats.ts";

/*
 * The two ways an experiment is read into figures: from the exposures the ingest
 * transaction keeps (with the same people's goal events, and CUPED over the weeks
 * before), or from per-user results imported from another tool.
 */

const DAY_MS = 86_400_000;

export async function analyseExposures(
  service: Experiments,
  row: ExperimentRow,
  // Long on purpose: the figures of one experiment in the order they depend on each other (exposures, goals, CUPED, days, guardrails).
  now: number,
): Promise<Analysis> {
  const counts = await exposureCounts(service.tables, row.id);
  const config = service.config(row, [...counts.users.keys()]);
  const cut = dayCutter(service.platform.settings.timeZone);
  const start = row.startAt ?? counts.firstAt ?? now;
  const end = Math.min(row.endAt ?? now, now);
  const windowMs = row.windowDays
    ? row.windowDays * DAY_MS
    : Math.max(1, end - Math.min(start, counts.firstAt ?? start) + 1);
  const event = config.goal === "orders" || config.goal === "revenue" ? ORDER_EVENT : config.goal;
  const events = await goalEvents(
    service.tables,
    row.id,
    event,
    Math.min(start, counts.firstAt ?? start),
    end,
    windowMs,
  );
  // Per person: the goal's value (orders counted once per order id, revenue in major units).
  const goalValue = (e: { orderId: string | null; amount: number | null }) =>
    config.goal === "revenue" ? (e.amount ?? 0) / 100 : 1;
  const people = new Map<string, { variant: string; value: number; orders: Set<string>; firstAt: number }>();
  const timeline: { at: number; person: string; delta: number }[] = [];
  for (const e of events) {
    let person = people.get(e.person);
    if (!person) {
      person = { variant: e.variant, value: 0, orders: new Set(), firstAt: e.at };
      people.set(e.person, person);
    }
    if (config.metric === "mean") {
      const key = e.orderId ?? `${e.at}`;
      if (person.orders.has(key)) continue;
      person.orders.add(key);
    } else if (person.value > 0) {
      person.firstAt = Math.min(person.firstAt, e.at);
      continue;
    }
    const delta = config.metric === "mean" ? goalValue(e) : 1;
    person.value += delta;
    person.firstAt = Math.min(person.firstAt, e.at);
    timeline.push({ at: e.at, person: e.person, delta });
  }
  const cap =
    row.capPercentile && config.metric === "mean"
      ? capAt(
          [...people.values()].map((p) => p.value),
          row.capPercentile,
        )
      : Number.POSITIVE_INFINITY;
  // CUPED's covariate for orders and revenue: the same metric in the 30 days before exposure.
  const before = new Map<string, { variant: string; x: number }>();
  if (config.metric === "mean") {
    const seen = new Set<string>();
    const earliest = Math.min(start, counts.firstAt ?? start) - CUPED_LOOKBACK_MS;
    for (const e of await goalEventsBefore(
      service.tables,
      row.id,
      ORDER_EVENT,
      earliest,
      end,
      CUPED_LOOKBACK_MS,
    )) {
      if (e.orderId) {
        if (seen.has(e.orderId)) continue;
        seen.add(e.orderId);
      }
      const entry = before.get(e.person) ?? { variant: e.variant, x: 0 };
      entry.x += config.goal === "revenue" ? (e.amount ?? 0) / 100 : 1;
      before.set(e.person, entry);
    }
  }
  const figures = config.variants.map((v): VariantFigures => {
    const users = counts.users.get(v.id) ?? 0;
    let conversions = 0;
    let sum = 0;
    let sumOfSquares = 0;
    const covariate: CovariateSums = { n: users, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 };
    for (const [person, p] of people) {
      if (p.variant !== v.id) continue;
      const y = Math.min(p.value, cap);
      if (y > 0) conversions++;
      sum += y;
      sumOfSquares += y * y;
      covariate.sumXY += Math.min(before.get(person)?.x ?? 0, cap) * y;
    }
    for (const entry of before.values()) {
      if (entry.variant !== v.id) continue;
      const x = Math.min(entry.x, cap);
      covariate.sumX += x;
      covariate.sumX2 += x * x;
    }
    covariate.sumY = sum;
    covariate.sumY2 = sumOfSquares;
    return {
      id: v.id,
      users,
      conversions,
      sum: config.metric === "conversion" ? conversions : sum,
      sumOfSquares: config.metric === "conversion" ? conversions : sumOfSquares,
      // Only when Lift has history before exposure for someone: else there is nothing to adjust by.
      ...(before.size > 0 ? { covariate } : {}),
    };
  });
  const from = counts.firstAt !== null ? cut(Math.min(start, counts.firstAt)) : null;
  const to = counts.firstAt !== null ? cut(end - 1) : null;
  const daysRunning =
    counts.firstAt !== null ? Math.max(0, (end - Math.min(start, counts.firstAt)) / DAY_MS) : 0;
  const result = analyseFigures(config, figures, counts.excluded, daysRunning);
  // The days: people exposed and goal values so far, at the end of each day.
  const exposedByDay = counts.timeline.map((t) => ({
    day: cut(t.at),
    variant: t.variant,
    n: t.n,
  }));
  const personVariant = new Map([...people].map(([person, p]) => [person, p.variant]));
  const valuesByDay = timeline.map((t) => ({
    day: cut(t.at),
    variant: personVariant.get(t.person)!,
    person: t.person,
    delta: t.delta,
  }));
  const daily = from && to ? days(service, config, from, to, exposedByDay, valuesByDay, cap) : [];
  const guardrails = await Promise.all(
    config.guardrails.map((g) =>
      guardrail(
        service,
        row.id,
        g,
        config,
        counts.users,
        Math.min(start, counts.firstAt ?? start),
        end,
        windowMs,
      ),
    ),
  );
  return { config, result, daily, guardrails, from, to };
}

async function guardrail(
  service: Experiments,
  id: string,
  event: string,
  config: ExperimentConfig,
  users: Map<string, number>,
  from: number,
  to: number,
  windowMs: number,
): Promise<GuardrailResult> {
  const converted = new Map<string, Set<string>>();
  for (const e of await goalEvents(service.tables, id, event, from, to, windowMs)) {
    let set = converted.get(e.variant);
    if (!set) {
      set = new Set();
      converted.set(e.variant, set);
    }
    set.add(e.person);
  }
  const rates: Record<string, number> = {};
  const changes: GuardrailResult["changes"] = {};
  const arm = (v: string) => rateArm(users.get(v) ?? 0, converted.get(v)?.size ?? 0);
  for (const v of config.variants) rates[v.id] = arm(v.id).mean;
  const control = arm(config.control);
  for (const v of config.variants) {
    if (v.id === config.control) continue;
    const treatment = arm(v.id);
    if (control.n < 2 || treatment.n < 2 || control.mean === 0) continue;
    const test = welch(control, treatment, config.settings.alpha);
    changes[v.id] = test.relative;
  }
  return { event, rates, changes };
}

export async function analyseImported(
  service: Experiments,
  row: ExperimentRow,
  now: number,
): Promise<Analysis> {
  // As of `now`: users exposed later are not in yet, conversions later have not happened yet.
  const rows = (await importedRows(service.tables, row.id))
    .filter((r) => r.exposedAt === null || r.exposedAt <= now)
    .map((r) =>
      r.convertedAt !== null && r.convertedAt > now
        ? { ...r, converted: 0, revenue: 0, convertedAt: null }
        : r,
    );
  const kept = rows.filter((r) => r.variant !== "*");
  const seen = [...new Set(kept.map((r) => r.variant))];
  const config = service.config(row, seen);
  const cut = dayCutter(service.platform.settings.timeZone);
  const goalValue = (r: (typeof rows)[number]) =>
    config.goal === "revenue" ? r.revenue : config.goal === "orders" ? r.converted : r.converted > 0 ? 1 : 0;
  const values = kept.map(goalValue);
  const cap =
    row.capPercentile && config.metric === "mean"
      ? capAt(values, row.capPercentile)
      : Number.POSITIVE_INFINITY;
  const figures = config.variants.map((v): VariantFigures => {
    let users = 0;
    let conversions = 0;
    let sum = 0;
    let sumOfSquares = 0;
    for (const r of kept) {
      if (r.variant !== v.id) continue;
      users++;
      const y = Math.min(goalValue(r), cap);
      if (r.converted > 0 || r.revenue > 0) conversions++;
      sum += y;
      sumOfSquares += y * y;
    }
    return {
      id: v.id,
      users,
      conversions,
      sum: config.metric === "conversion" ? conversions : sum,
      sumOfSquares: config.metric === "conversion" ? conversions : sumOfSquares,
    };
  });
  // A loop, not Math.min(...): a file may hold more rows than a call takes arguments.
  let first: number | null = null;
  let last: number | null = null;
  let lastConversion = 0;
  for (const r of kept) {
    if (r.exposedAt !== null) {
      first = first === null ? r.exposedAt : Math.min(first, r.exposedAt);
      last = last === null ? r.exposedAt : Math.max(last, r.exposedAt);
    }
    if (r.convertedAt !== null) lastConversion = Math.max(lastConversion, r.convertedAt);
  }
  const start = row.startAt ?? first;
  const end = Math.min(row.endAt ?? now, now);
  const daysRunning = start !== null ? Math.max(0, (end - start) / DAY_MS) : config.settings.minDays;
  const result = analyseFigures(config, figures, rows.length - kept.length, daysRunning);
  let daily: DailyPoint[] = [];
  let from: string | null = null;
  let to: string | null = null;
  if (first !== null && last !== null) {
    from = cut(first);
    to = cut(
      Math.max(
        last,
        ...kept.map((r) => (r.convertedAt !== null && r.convertedAt <= now ? r.convertedAt : 0)),
      ),
    );
    const exposedByDay = kept
      .filter((r) => r.exposedAt !== null)
      .map((r) => ({ day: cut(r.exposedAt!), variant: r.variant, n: 1 }));
    const valuesByDay = kept
      .filter((r) => goalValue(r) > 0)
      .map((r) => ({
        day: cut(r.convertedAt ?? r.exposedAt ?? first),
        variant: r.variant,
        person: r.user,
        delta: goalValue(r),
      }));
    daily = days(service, config, from, to, exposedByDay, valuesByDay, cap);
  }
  return { config, result, daily, guardrails: [], from, to };
}

/** The cumulative lift of each treatment at the end of each day, with its always-valid band. */
function days(
  _service: Experiments,
  config: ExperimentConfig,
  from: string,
  to: string,
  exposed: { day: string; variant: string; n: number }[],
  values: { day: string; variant: string; person: string; delta: number }[],
  cap: number,
): DailyPoint[] {
  const span = daysBetween(from, to) + 1;
  if (span <= 0 || span > 400) return [];
  const index = (day: string) => daysBetween(from, day);
  const users = new Map(config.variants.map((v) => [v.id, new Array<number>(span).fill(0)]));
  for (const e of exposed) {
    const i = Math.max(0, index(e.day));
    const counts = users.get(e.variant);
    if (counts && i < span) counts[i]! += e.n;
  }
  const byDay = new Array<typeof values>(span).fill([]).map(() => [] as typeof values);
  for (const v of values) {
    const i = Math.max(0, index(v.day));
    if (i < span) byDay[i]!.push(v);
  }
  const totals = new Map<string, number>();
  const sums = new Map(config.variants.map((v) => [v.id, { users: 0, conversions: 0, sum: 0, sq: 0 }]));
  const points: DailyPoint[] = [];
  for (let i = 0; i < span; i++) {
    for (const v of config.variants) sums.get(v.id)!.users += users.get(v.id)![i]!;
    for (const value of byDay[i]!) {
      const s = sums.get(value.variant);
      if (!s) continue;
      const before = Math.min(totals.get(value.person) ?? 0, cap);
      const after = Math.min((totals.get(value.person) ?? 0) + value.delta, cap);
      totals.set(value.person, (totals.get(value.person) ?? 0) + value.delta);
      if (before === 0 && after > 0) s.conversions++;
      s.sum += after - before;
      s.sq += after * after - before * before;
    }
    const control = sums.get(config.control)!;
    const lifts: DailyPoint["lifts"] = {};
    for (const v of config.variants) {
      if (v.id === config.control) continue;
      const t = sums.get(v.id)!;
      if (control.users < 2 || t.users < 2) {
        lifts[v.id] = null;
        continue;
      }
      const arm = (s: typeof t) =>
        config.metric === "conversion"
          ? rateArm(s.users, s.conversions)
          : {
              n: s.users,
              mean: s.sum / s.users,
              variance: Math.max(0, (s.sq - (s.sum * s.sum) / s.users) / (s.users - 1)),
            };
      const c = arm(control);
      if (c.mean === 0) {
        lifts[v.id] = null;
        continue;
      }
      const test = welch(c, arm(t), config.settings.alpha);
      const band = sequential(
        test.relative.estimate,
        test.relativeVariance,
        control.users + t.users,
        config.settings.tuning,
        config.settings.alpha / Math.max(1, config.variants.length - 1),
        config.settings.alpha,
      );
      lifts[v.id] = { estimate: test.relative.estimate, low: band.ci[0], high: band.ci[1] };
    }
    points.push({ day: addDaysTo(from, i), lifts });
  }
  return points;
}

function addDaysTo(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  return new Date(date.getTime() + n * DAY_MS).toISOString().slice(0, 10);
}
