// Reliability diagram and expected calibration error for P(stenosis): equal-width bins over [0, 1], and in each the
// fraction of images with stenosis against the mean predicted probability. The binning is sklearn's
// calibration_curve(strategy="uniform"): the first bin is [0, 0.1], the others (lo, hi].
import type { ScoredLabels } from '../predictions.ts';

export const RELIABILITY_BINS = 10;

export interface ReliabilityBin {
  low: number;
  high: number;
  images: number;
  /** Mean predicted P(stenosis) in the bin; null when the bin is empty. */
  meanProbability: number | null;
  /** Fraction of the bin's images with stenosis; null when the bin is empty. */
  observedFraction: number | null;
}

export interface Reliability {
  bins: ReliabilityBin[];
  /** Σ (n_b / N) |observed_b − mean_b| over non-empty bins. */
  expectedCalibrationError: number;
  /** The largest |observed_b − mean_b| over non-empty bins. */
  maximumCalibrationError: number;
  images: number;
}

export function reliability(scored: ScoredLabels, binCount = RELIABILITY_BINS): Reliability {
  const edges = Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? 1 : i * (1 / binCount)));
  const counts = new Array<number>(binCount).fill(0);
  const sums = new Array<number>(binCount).fill(0);
  const positives = new Array<number>(binCount).fill(0);
  const n = scored.scores.length;
  for (let i = 0; i < n; i++) {
    const p = scored.scores[i] as number;
    // The count of inner edges strictly below p, as numpy's searchsorted(edges[1:-1], p) counts them.
    let bin = 0;
    while (bin < binCount - 1 && (edges[bin + 1] as number) < p) bin++;
    counts[bin]! += 1;
    sums[bin]! += p;
    positives[bin]! += scored.labels[i] === 1 ? 1 : 0;
  }
  let ece = 0;
  let mce = 0;
  const bins = counts.map((count, b) => {
    if (count === 0) return { low: edges[b]!, high: edges[b + 1]!, images: 0, meanProbability: null, observedFraction: null };
    const meanProbability = sums[b]! / count;
    const observedFraction = positives[b]! / count;
    const gap = Math.abs(observedFraction - meanProbability);
    ece += (count / n) * gap;
    mce = Math.max(mce, gap);
    return { low: edges[b]!, high: edges[b + 1]!, images: count, meanProbability, observedFraction };
  });
  return { bins, expectedCalibrationError: ece, maximumCalibrationError: mce, images: n };
}
