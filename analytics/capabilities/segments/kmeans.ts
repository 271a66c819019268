import { Random } from "../../platform/demo/random.ts";

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

/** Where seeding leaves every row: its nearest centre, the distance to it, and a lower bound on any other. */
interface Seeded {
  centers: Float64Array;
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * Greedy k-means++: each new centre the best of a few candidates drawn in
 * proportion to D². Every row is measured against every candidate (skipping
 * rows by the triangle inequality was slower: the branch is unpredictable on
 * overlapping clusters); the rows leave with Hamerly's bounds for the first iteration.
 */
function seedCenters(data: Float64Array, n: number, d: number, k: number, random: Random): Seeded {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random.next() * n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const cumulative = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = distance2(data, i, centers, 0, d);
    upper[i] = Math.sqrt(closest[i]!);
    potential += closest[i]!;
    cumulative[i] = potential;
  }
  // Per candidate: each row's squared distance to it.
  let candidate = new Float64Array(n);
  let chosen = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let t = 0; t < trials; t++) {
      // Draw an index with probability ∝ its squared distance to the nearest centre:
      // the first whose running sum reaches the target (as numpy's searchsorted on the cumulative sum).
      const target = random.next() * potential;
      let low = 0;
      let high = n - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (cumulative[mid]! < target) low = mid + 1;
        else high = mid;
      }
      const index = low;
      const base = index * d;
      let sum = 0;
      for (let i = 0, a = 0; i < n; i++, a += d) {
        let dist = 0;
        for (let j = 0; j < d; j++) {
          const delta = data[a + j]! - data[base + j]!;
          dist += delta * delta;
        }
        candidate[i] = dist;
        sum += Math.min(dist, closest[i]!);
      }
      if (sum < bestPotential) {
        bestPotential = sum;
        bestIndex = index;
        [chosen, candidate] = [candidate, chosen];
      }
    }
    centers.set(data.subarray(bestIndex * d, bestIndex * d + d), c * d);
    // The new centre into every row's bounds, and the running sums for the next draw.
    let running = 0;
    for (let i = 0; i < n; i++) {
      const dist2 = chosen[i]!;
      if (dist2 < closest[i]!) {
        // The new centre is the nearest: the old one is the second (exactly).
        lower[i] = upper[i]!;
        upper[i] = Math.sqrt(dist2);
        closest[i] = dist2;
        labels[i] = c;
      } else if (dist2 < lower[i]! * lower[i]!) lower[i] = Math.sqrt(dist2);
      running += closest[i]!;
      cumulative[i] = running;
    }
    potential = bestPotential;
  }
  return { centers, labels, upper, lower };
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
// Long on purpose: Lloyd's iterations as one tight loop over flat arrays (splitting it costs the benchmark's speed).
function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  start: Seeded,
  maxIter: number,
  tolerance: number,
): KMeansResult {
  const { centers, labels, upper, lower } = start;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  // Seeding left every row at its nearest centre with its bounds: no distance to measure here.
  for (let i = 0; i < n; i++) {
    const b = labels[i]! * d;
    counts[labels[i]!]!++;
    for (let j = 0; j < d; j++) sums[b + j]! += data[i * d + j]!;
  }
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    // Move the centres to their means, and note how far each moved (the farthest and the next).
    let shift = 0;
    let farthest = 0;
    let farthestCentre = -1;
    let secondFarthest = 0;
    for (let c = 0; c < k; c++) {
      let moved2 = 0;
      const count = counts[c]!;
      if (count > 0)
        for (let j = 0, b = c * d; j < d; j++) {
          const value = sums[b + j]! / count;
          const delta = value - centers[b + j]!;
          moved2 += delta * delta;
          centers[b + j] = value;
        }
      const m = Math.sqrt(moved2);
      moved[c] = m;
      shift += moved2;
      if (m > farthest) {
        secondFarthest = farthest;
        farthest = m;
        farthestCentre = c;
      } else if (m > secondFarthest) secondFarthest = m;
    }
    const converged = shift <= tolerance;
    for (let c = 0; c < k; c++) {
      let closest = Number.POSITIVE_INFINITY;
      for (let o = 0; o < k; o++) {
        if (o === c) continue;
        let dist = 0;
        for (let j = 0; j < d; j++) {
          const delta = centers[c * d + j]! - centers[o * d + j]!;
          dist += delta * delta;
        }
        if (dist < closest) closest = dist;
      }
      half[c] = Math.sqrt(closest) / 2;
    }
    for (let i = 0, a = 0; i < n; i++, a += d) {
      const own = labels[i]!;
      // The bounds after the move: the own centre's shift up, the largest other shift down.
      let up = upper[i]! + moved[own]!;
      const low = lower[i]! - (own === farthestCentre ? secondFarthest : farthest);
      lower[i] = low;
      const bound = Math.max(half[own]!, low);
      if (up > bound) {
        // Tighten the upper bound before measuring everything.
        let dist = 0;
        for (let j = 0, b = own * d; j < d; j++) {
          const delta = data[a + j]! - centers[b + j]!;
          dist += delta * delta;
        }
        up = Math.sqrt(dist);
      }
      upper[i] = up;
      if (up <= bound) continue;
      measure(data, i, d, centers, k, labels, upper, lower);
      const now = labels[i]!;
      if (now !== own) {
        counts[own]!--;
        counts[now]!++;
        for (let j = 0; j < d; j++) {
          const x = data[a + j]!;
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
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  // Each pair once: its distance added to both rows' sums towards the other's cluster.
  const sums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const a = i * d;
    const li = labels[i]!;
    for (let j = i + 1; j < n; j++) {
      const b = j * d;
      let dist = 0;
      for (let x = 0; x < d; x++) {
        const delta = data[a + x]! - data[b + x]!;
        dist += delta * delta;
      }
      const root = Math.sqrt(dist);
      sums[i * k + labels[j]!]! += root;
      sums[j * k + li]! += root;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[i * k + own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[i * k + c]! / sizes[c]!);
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
