import { Random } from "../../platform/demo/random.ts";
import type { SeriesPoint } from "./spikes.ts";

/*
 * Series with planted anomalies on a seasonal baseline, for the detector's
 * tests and benchmark: 5-minute points over three weeks, a daily curve and a
 * weekday/weekend swing, noise, and bursts, level shifts and slow drifts at
 * known places.
 */

export interface PlantedSeries {
  points: SeriesPoint[];
  windows: { start: number; end: number; kind: "burst" | "shift" | "drift" }[];
}

export function plantedSeries(seed: number, days = 21): PlantedSeries {
  const random = new Random(seed);
  const perDay = 288;
  const n = days * perDay;
  const start = Date.UTC(2026, 0, 5);
  const base = 40 + random.next() * 60;
  const noise = base * (0.03 + random.next() * 0.04);
  const values = Array.from({ length: n }, (_, i) => {
    const hour = ((i % perDay) / perDay) * 24;
    const daily = 1 + 0.6 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const weekend = Math.floor(i / perDay) % 7 >= 5 ? 0.7 : 1;
    return base * daily * weekend + noise * random.normal();
  });
  const windows: PlantedSeries["windows"] = [];
  // Anomalies from day 8 on (a week of history first), spaced apart.
  let at = 8 * perDay + random.int(0, perDay);
  while (at < n - 400) {
    const kind = (["burst", "burst", "shift", "drift"] as const)[random.int(0, 3)]!;
    const size = noise * (12 + random.next() * 12);
    if (kind === "burst") {
      const length = random.int(3, 8);
      for (let i = at; i < at + length; i++) values[i]! += size;
      windows.push({ start: at, end: at + length - 1, kind });
      at += length;
    } else if (kind === "shift") {
      const length = random.int(60, 150);
      for (let i = at; i < at + length; i++) values[i]! += size;
      windows.push({ start: at, end: at + length - 1, kind });
      at += length;
    } else {
      const length = random.int(30, 60);
      for (let i = at; i < at + length; i++) values[i]! += (size * 1.5 * (i - at + 1)) / length;
      windows.push({ start: at, end: at + length - 1, kind });
      at += length;
    }
    at += random.int(perDay, 2 * perDay);
  }
  return { points: values.map((value, i) => ({ at: start + i * 300_000, value })), windows };
}

/** A Poisson draw (Knuth's method: fine for the small means it is used with). */
function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random.next();
  while (product > limit) {
    k++;
    product *= random.next();
  }
  return k;
}

/**
 * A small brand's mentions: 5-minute counts averaging at most 0.2 a bucket on a daily curve
 * (mostly zeros, ones and twos), with bursts of 5 to 9 posts within 15 minutes planted from day 8.
 */
export function sparsePlantedSeries(seed: number, days = 21): PlantedSeries {
  const random = new Random(seed);
  const perDay = 288;
  const n = days * perDay;
  const start = Date.UTC(2026, 0, 5);
  const base = 0.03 + random.next() * 0.17;
  const values = Array.from({ length: n }, (_, i) => {
    const hour = ((i % perDay) / perDay) * 24;
    return poisson(random, base * (1 + 0.9 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)));
  });
  const windows: PlantedSeries["windows"] = [];
  let at = 8 * perDay + random.int(0, perDay);
  while (at < n - 10) {
    const posts = random.int(5, 9);
    for (let k = 0; k < posts; k++) values[at + random.int(0, 2)]! += 1;
    windows.push({ start: at, end: at + 2, kind: "burst" });
    at += random.int(perDay / 2, 2 * perDay);
  }
  return { points: values.map((value, i) => ({ at: start + i * 300_000, value })), windows };
}
