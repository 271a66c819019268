/*
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, with the standard coefficients: reflect 1,
 * expand 2, contract ½, shrink ½; Lagarias et al. 1998 for the order of the tests), restarted from
 * the best point found, since a simplex can collapse before the minimum.
 */

export interface Minimum {
  x: number[];
  value: number;
  evaluations: number;
}

export function minimize(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: { step?: number; maxEvaluations?: number; tolerance?: number; restarts?: number } = {},
): Minimum {
  const step = options.step ?? 0.5;
  const budget = options.maxEvaluations ?? 200 * start.length;
  const tolerance = options.tolerance ?? 1e-10;
  let best: Minimum = { x: [...start], value: f(start), evaluations: 1 };
  for (let round = 0; round <= (options.restarts ?? 0); round++) {
    const result = simplex(f, best.x, step, budget, tolerance);
    const evaluations = best.evaluations + result.evaluations;
    const improved = result.value < best.value - tolerance * (Math.abs(best.value) + tolerance);
    best = result.value <= best.value ? { ...result, evaluations } : { ...best, evaluations };
    if (!improved && round > 0) break;
  }
  return best;
}

function simplex(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  step: number,
  budget: number,
  tolerance: number,
): Minimum {
  const d = start.length;
  const points: number[][] = [start.slice()];
  for (let i = 0; i < d; i++) {
    const p = start.slice();
    p[i] = p[i]! + step;
    points.push(p);
  }
  const values = points.map((p) => f(p));
  let evaluations = d + 1;
  const order = () => {
    const idx = points.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const sortedPoints = idx.map((i) => points[i]!);
    const sortedValues = idx.map((i) => values[i]!);
    points.splice(0, points.length, ...sortedPoints);
    values.splice(0, values.length, ...sortedValues);
  };
  const along = (centroid: number[], worst: number[], t: number) =>
    centroid.map((c, i) => c + t * (worst[i]! - c));
  while (evaluations < budget) {
    order();
    const spread = Math.abs(values[d]! - values[0]!);
    if (spread <= tolerance * (Math.abs(values[0]!) + tolerance)) break;
    const centroid = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j]! += points[i]![j]! / d;
    const worst = points[d]!;
    const reflected = along(centroid, worst, -1);
    const fr = f(reflected);
    evaluations++;
    if (fr < values[0]!) {
      const expanded = along(centroid, worst, -2);
      const fe = f(expanded);
      evaluations++;
      if (fe < fr) {
        points[d] = expanded;
        values[d] = fe;
      } else {
        points[d] = reflected;
        values[d] = fr;
      }
      continue;
    }
    if (fr < values[d - 1]!) {
      points[d] = reflected;
      values[d] = fr;
      continue;
    }
    const outside = fr < values[d]!;
    const contracted = along(centroid, worst, outside ? -0.5 : 0.5);
    const fc = f(contracted);
    evaluations++;
    if (fc < (outside ? fr : values[d]!)) {
      points[d] = contracted;
      values[d] = fc;
      continue;
    }
    for (let i = 1; i <= d; i++) {
      points[i] = points[i]!.map((v, j) => points[0]![j]! + 0.5 * (v - points[0]![j]!));
      values[i] = f(points[i]!);
      evaluations++;
    }
  }
  order();
  return { x: points[0]!, value: values[0]!, evaluations };
}
