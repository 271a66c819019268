import { type DemoBatch, type DemoContext, type DemoPart, stableHash } from "../../platform/demo/index.ts";
import { addDays, startOfDayMs } from "../../platform/time/zone.ts";
import { experimentsService } from "./api.ts";

/**
 * The demo's three experiments, on their own random stream and at one size
 * whatever the demo's --scale (their people are their own, so the rest of the
 * demo is untouched): a checkout test whose treatment earns about 8 % more
 * orders (decided: ship), an A/A test (keep running, then no effect likely),
 * and one whose split is broken (53/47 against a planned 50/50: check the
 * split). Results arrive as per-user rows with exposure and conversion times,
 * as another testing tool would export them.
 */
interface DemoExperiment {
  id: string;
  name: string;
  hypothesis: string;
  variants: [string, number][];
  /** How people are actually split (the SRM test's differs from the plan). */
  assigned: [string, number][];
  goal: string;
  mde: string;
  /** Days before the demo's last day it started. */
  startsAgo: number;
  peoplePerDay: number;
  /** Chance an exposed person converts, per variant. */
  rates: Record<string, number>;
  /** Chance of a second order, for an orders goal. */
  repeat: number;
}

export const DEMO_EXPERIMENTS: DemoExperiment[] = [
  {
    id: "checkout-cta",
    name: "Checkout button: “Pay now”",
    hypothesis:
      "A shorter, more direct checkout button (“Pay now” instead of “Complete your purchase”) gets more orders.",
    variants: [
      ["control", 50],
      ["treatment", 50],
    ],
    assigned: [
      ["control", 50],
      ["treatment", 50],
    ],
    goal: "orders",
    mde: "5%",
    startsAgo: 49,
    peoplePerDay: 900,
    rates: { control: 0.3, treatment: 0.324 },
    repeat: 0.04,
  },
  {
    id: "hero-copy-aa",
    name: "Homepage hero copy (A/A check)",
    hypothesis: "Both arms show the same page: any difference is noise, and Lift should not call one.",
    variants: [
      ["A", 50],
      ["B", 50],
    ],
    assigned: [
      ["A", 50],
      ["B", 50],
    ],
    goal: "Signed Up",
    mde: "10%",
    startsAgo: 59,
    peoplePerDay: 600,
    rates: { A: 0.2, B: 0.2 },
    repeat: 0,
  },
  {
    id: "pricing-page",
    name: "Pricing page layout",
    hypothesis: "A comparison table on the pricing page gets more sign-ups.",
    variants: [
      ["control", 50],
      ["table", 50],
    ],
    assigned: [
      ["control", 53],
      ["table", 47],
    ],
    goal: "Signed Up",
    mde: "10%",
    startsAgo: 29,
    peoplePerDay: 500,
    rates: { control: 0.08, table: 0.084 },
    repeat: 0,
  },
];

/** MurmurHash3's 32-bit finaliser: spreads FNV-1a's hash of similar ids evenly over the range. */
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A person's arm from a stable key: the same person always lands in the same variant. */
function armOf(experiment: DemoExperiment, user: string): string {
  const total = experiment.assigned.reduce((s, [, w]) => s + w, 0);
  let r = (mix(stableHash(`${experiment.id}:${user}`)) / 4294967296) * total;
  for (const [id, weight] of experiment.assigned) {
    r -= weight;
    if (r < 0) return id;
  }
  return experiment.assigned[experiment.assigned.length - 1]![0];
}

export const experimentsDemo: DemoPart = {
  id: "experiments",
  order: 60,
  // What the experiments job does hourly: each running experiment's alert, set by Lift.
  async finish({ platform }) {
    const experiments = experimentsService.of(platform);
    for (const row of await experiments.list())
      if (row.status === "running") await experiments.ensureAlert(row, "lift");
  },
  setup({ options }): DemoBatch[] {
    return [
      {
        kind: "experiments",
        rows: DEMO_EXPERIMENTS.map((e) => ({
          id: e.id,
          name: e.name,
          hypothesis: e.hypothesis,
          variants: e.variants.map(([id, weight]) => `${id}:${weight}`).join(","),
          control: e.variants[0]![0],
          goal: e.goal,
          mde: e.mde,
          channel: "console",
          start: addDays(options.end, -e.startsAgo),
          status: "running",
          updated_at: startOfDayMs(addDays(options.end, -e.startsAgo), options.timeZone),
        })),
      },
    ];
  },
  day(context: DemoContext, _index: number, day: string): DemoBatch[] {
    const { options, random } = context;
    const dayStart = startOfDayMs(day, options.timeZone);
    const dayEnd = startOfDayMs(addDays(day, 1), options.timeZone);
    const until = Math.min(options.until ?? Number.POSITIVE_INFINITY, dayEnd);
    const rows: Record<string, unknown>[] = [];
    for (const e of DEMO_EXPERIMENTS) {
      if (day < addDays(options.end, -e.startsAgo)) continue;
      const people = random.poisson(e.peoplePerDay);
      for (let p = 0; p < people; p++) {
        const user = context.id(`${e.id}-user`);
        const variant = armOf(e, user);
        const exposedAt = dayStart + Math.floor(random.next() * (dayEnd - dayStart));
        if (exposedAt >= until) continue;
        const converts = random.chance(e.rates[variant]!);
        const convertedAt = exposedAt + Math.floor(random.next() * 6 * 3600_000);
        // A conversion after the demo's present has not happened yet.
        const happened = converts && convertedAt < (options.until ?? Number.POSITIVE_INFINITY);
        const count = happened ? 1 + (random.chance(e.repeat) ? 1 : 0) : 0;
        rows.push({
          experiment_id: e.id,
          user_id: user,
          variant,
          converted: count,
          revenue: count > 0 ? Math.round(count * (40 + random.next() * 80) * 100) / 100 : 0,
          exposed_at: exposedAt,
          converted_at: happened ? convertedAt : null,
        });
      }
    }
    return rows.length > 0 ? [{ kind: "experiment_results", rows }] : [];
  },
};
