import { Random } from "../demo/random.ts";

/*
 * k-means for customer clusters, as scikit-learn's KMeans does it: greedy
 * k-means++ seeding (2 + ⌊ln k⌋ candidates a centre), Lloyd's iterations
 * until the centres move less than tol × the data's mean variance, several
 * starts keeping the lowest inertia (n_init), a fixed seed so a result is
 * reproducible. Rows are a flat Float64Array, n × d.
 */

export interface KMeansResult {
  k: number;
  /** n × d, row-major. */
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
}

export interface KMeansOptions {
  seed?: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
}

/** Columns scaled to mean 0 and standard deviation 1 (a constant column becomes 0). */
export function standardize(rows: number[][]): { data: Float64Array; means: number[]; sds: number[] } {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) means[j]! += row[j]! / n;
  for (const row of rows) for (let j = 0; j < d; j++) sds[j]! += (row[j]! - means[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) sds[j] = Math.sqrt(sds[j]!);
  const data = new Float64Array(n * d);
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) data[i * d + j] = sds[j]! > 0 ? (row[j]! - means[j]!) / sds[j]! : 0;
  });
  return { data, means, sds };
}

function distance2(data: Float64Array, i: number, centers: Float64Array, c: number, d: number): number {
  let sum = 0;
  const a = i * d;
  const b = c * d;
  for (let j = 0; j < d; j++) {
    const diff = data[a + j]! - centers[b + j]!;
    sum += diff * diff;
  }
  return sum;
}

/** Greedy k-means++: each new centre the best of a few candidates drawn in proportion to D². */
function seedCenters(data: Float64Array, n: number, d: number, k: number, random: Random): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random.next() * n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = distance2(data, i, centers, 0, d);
    potential += closest[i]!;
  }
  let candidate = new Float64Array(n);
  let chosen = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let t = 0; t < trials; t++) {
      // Draw an index with probability ∝ its squared distance to the nearest centre.
      let target = random.next() * potential;
      let index = 0;
      for (; index < n - 1; index++) {
        target -= closest[index]!;
        if (target <= 0) break;
      }
      let sum = 0;
      const base = index * d;
      for (let i = 0; i < n; i++) {
        let dist = 0;
        const a = i * d;
        for (let j = 0; j < d; j++) {
          const diff = data[a + j]! - data[base + j]!;
          dist += diff * diff;
        }
        const m = Math.min(dist, closest[i]!);
        candidate[i] = m;
        sum += m;
      }
      if (sum < bestPotential) {
        bestPotential = sum;
        bestIndex = index;
        [chosen, candidate] = [candidate, chosen];
      }
    }
    centers.set(data.subarray(bestIndex * d, bestIndex * d + d), c * d);
    closest.set(chosen);
    potential = bestPotential;
  }
  return centers;
}

/** Distances from row i to every centre: its label, the nearest (upper) and the second nearest (lower). */
function measure(
  data: Float64Array,
  i: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const a = i * d;
  let best = 0;
  let first = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  for (let c = 0, b = 0; c < k; c++, b += d) {
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[a + j]! - centers[b + j]!;
      dist += diff * diff;
    }
    if (dist < first) {
      second = first;
      first = dist;
      best = c;
    } else if (dist < second) second = dist;
  }
  labels[i] = best;
  upper[i] = Math.sqrt(first);
  lower[i] = Math.sqrt(second);
}

/**
 * Lloyd's iterations with Hamerly's bounds (2010): each point keeps an upper
 * bound on the distance to its centre and a lower bound on the distance to
 * any other, and is only measured again when they overlap; the result is
 * exactly Lloyd's, with most distance computations skipped after the first
 * rounds.
 */
function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  start: Float64Array,
  maxIter: number,
  tolerance: number,
): KMeansResult {
  const centers = start.slice();
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    measure(data, i, d, centers, k, labels, upper, lower);
    const b = labels[i]! * d;
    counts[labels[i]!]!++;
    for (let j = 0; j < d; j++) sums[b + j]! += data[i * d + j]!;
  }
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    // Move the centres to their means, and note how far each moved.
    let shift = 0;
    let farthest = 0;
    for (let c = 0; c < k; c++) {
      let moved2 = 0;
      if (counts[c]! > 0)
        for (let j = 0; j < d; j++) {
          const value = sums[c * d + j]! / counts[c]!;
          moved2 += (value - centers[c * d + j]!) ** 2;
          centers[c * d + j] = value;
        }
      moved[c] = Math.sqrt(moved2);
      shift += moved2;
      farthest = Math.max(farthest, moved[c]!);
    }
    for (let i = 0; i < n; i++) {
      upper[i]! += moved[labels[i]!]!;
      lower[i]! -= farthest;
    }
    const converged = shift <= tolerance;
    for (let c = 0; c < k; c++) {
      let closest = Number.POSITIVE_INFINITY;
      for (let o = 0; o < k; o++) {
        if (o === c) continue;
        let dist = 0;
        for (let j = 0; j < d; j++) dist += (centers[c * d + j]! - centers[o * d + j]!) ** 2;
        closest = Math.min(closest, dist);
      }
      half[c] = Math.sqrt(closest) / 2;
    }
    for (let i = 0; i < n; i++) {
      const own = labels[i]!;
      const bound = Math.max(half[own]!, lower[i]!);
      if (upper[i]! <= bound) continue;
      // Tighten the upper bound before measuring everything.
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (data[i * d + j]! - centers[own * d + j]!) ** 2;
      upper[i] = Math.sqrt(dist);
      if (upper[i]! <= bound) continue;
      measure(data, i, d, centers, k, labels, upper, lower);
      const now = labels[i]!;
      if (now !== own) {
        counts[own]!--;
        counts[now]!++;
        for (let j = 0; j < d; j++) {
          const x = data[i * d + j]!;
          sums[own * d + j]! -= x;
          sums[now * d + j]! += x;
        }
      }
    }
    // Converged: the pass above was the final assignment to the final centres.
    if (converged) {
      iterations++;
      break;
    }
  }
  // Inertia against the final centres (the labels are exact: Lloyd's assignment would give the same).
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    let dist = 0;
    for (let j = 0; j < d; j++) dist += (data[i * d + j]! - centers[c * d + j]!) ** 2;
    inertia += dist;
  }
  return { k, centers, labels, inertia, iterations };
}

export function kmeans(data: Float64Array, d: number, k: number, options: KMeansOptions = {}): KMeansResult {
  const n = data.length / d;
  const random = new Random(options.seed ?? 0);
  // scikit-learn's tolerance: tol × the mean of the columns' variances.
  let variance = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j]! / n;
    for (let i = 0; i < n; i++) variance += (data[i * d + j]! - mean) ** 2 / n / d;
  }
  const tolerance = (options.tol ?? 1e-4) * variance;
  let best: KMeansResult | null = null;
  for (let run = 0; run < (options.nInit ?? 10); run++) {
    const result = lloyd(
      data,
      n,
      d,
      k,
      seedCenters(data, n, d, k, random),
      options.maxIter ?? 300,
      tolerance,
    );
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/** The mean silhouette of rows under labels (a(i): mean distance within, b(i): to the nearest other cluster). */
export function silhouette(data: Float64Array, d: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  const sums = new Float64Array(k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let dist = 0;
      for (let x = 0; x < d; x++) {
        const diff = data[i * d + x]! - data[j * d + x]!;
        dist += diff * diff;
      }
      sums[labels[j]!]! += Math.sqrt(dist);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    total += b === Number.POSITIVE_INFINITY ? 0 : (b - a) / Math.max(a, b);
  }
  return total / n;
}

/** The adjusted Rand index of two labelings (1: identical up to names; ~0: chance). */
export function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}:${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += pairs(v);
  let sumRows = 0;
  for (const v of rows.values()) sumRows += pairs(v);
  let sumCols = 0;
  for (const v of cols.values()) sumCols += pairs(v);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
