/*
 * The Numenta Anomaly Benchmark's scoring, standard profile (Lavin & Ahmad 2015; the weights and
 * the scaled sigmoid as NAB's sweeper.py and config/profiles.json give them): a detection early in
 * a labelled window scores up to 1, a miss −1, a false alarm −0.11 (less the further past the last
 * window it is), the first 15 % of each file (at most 750 rows) is probation and not scored.
 * Normalised per corpus: 100 × (raw − null) / (perfect − null), where the null detector finds
 * nothing and the perfect one finds every window at its left edge.
 */

const TP_WEIGHT = 1.0;
const FN_WEIGHT = 1.0;
const FP_WEIGHT = 0.11;
const PROBATION = 0.15;

/** NAB's scaled sigmoid of a relative position: 0.98661 at −1 (a window's left edge), 0 at its right edge. */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

export interface NabFile {
  /** One detection flag per row (true where the detector raised an alarm). */
  detections: boolean[];
  /** The labelled windows as row indices, inclusive. */
  windows: { start: number; end: number }[];
}

/** The raw NAB score of one file's detections. */
function rawScore({ detections, windows }: NabFile): number {
  const probation = Math.min(Math.floor(PROBATION * detections.length), PROBATION * 5000);
  const maxTP = scaledSigmoid(-1);
  const best = windows.map(() => -FN_WEIGHT);
  let fp = 0;
  let previous: { end: number; width: number } | null = null;
  let w = 0;
  for (let i = 0; i < detections.length; i++) {
    while (w < windows.length && windows[w]!.end < i) {
      previous = { end: windows[w]!.end, width: windows[w]!.end - windows[w]!.start + 1 };
      w++;
    }
    if (!detections[i] || i < probation) continue;
    const inside = w < windows.length && windows[w]!.start <= i ? windows[w]! : null;
    if (inside) {
      const width = inside.end - inside.start + 1;
      const score = (scaledSigmoid(-(inside.end - i + 1) / width) * TP_WEIGHT) / maxTP;
      best[w] = Math.max(best[w]!, score);
    } else {
      fp += (previous ? scaledSigmoid(Math.abs(previous.end - i) / (previous.width - 1)) : -1) * FP_WEIGHT;
    }
  }
  return best.reduce((a, b) => a + b, 0) + fp;
}

/** The normalised NAB score of a corpus (0: finds nothing; 100: every window at its left edge). */
export function nabScore(files: NabFile[]): number {
  let raw = 0;
  let none = 0;
  let perfect = 0;
  for (const file of files) {
    raw += rawScore(file);
    none += rawScore({ ...file, detections: file.detections.map(() => false) });
    const ideal = file.detections.map(() => false);
    for (const window of file.windows) ideal[window.start] = true;
    perfect += rawScore({ ...file, detections: ideal });
  }
  return (100 * (raw - none)) / (perfect - none);
}
