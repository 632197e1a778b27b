// ROC curve and area. The curve reproduces sklearn.metrics.roc_curve point for point (ties collapse to one
// point), and the area is the Mann–Whitney statistic, which equals sklearn's trapezoidal roc_auc_score.
import { midranks } from './midranks.ts';
import type { ScoredLabels } from './predictions.ts';

export interface RocPoint {
  /** Images scoring at or above this are called positive; the first point's threshold is +Infinity (nothing called). */
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

export interface RocOptions {
  /**
   * Drop points on straight segments, as sklearn's drop_intermediate=True (its default) does. The area is the
   * same either way; threshold selection needs every point, so it uses false.
   */
  dropIntermediate: boolean;
}

/**
 * sklearn 1.2 writes max(score)+1 as the first threshold and sklearn >= 1.3 writes inf; both mean "call nothing
 * positive", which +Infinity says without inventing a score. Rates are NaN when a class is absent, as in sklearn.
 */
export function rocCurve({ labels, scores }: ScoredLabels, { dropIntermediate }: RocOptions): RocPoint[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const thresholds: number[] = [];
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k += 1) {
    const i = order[k]!;
    if (labels[i] === 1) tp += 1;
    else fp += 1;
    const lastOfTie = k === order.length - 1 || scores[order[k + 1]!] !== scores[i];
    if (lastOfTie) {
      thresholds.push(scores[i]!);
      truePositives.push(tp);
      falsePositives.push(fp);
    }
  }
  let kept = thresholds.map((_, k) => k);
  if (dropIntermediate && thresholds.length > 2) {
    // sklearn keeps a point when the second difference of either count is non-zero, i.e. where the curve bends.
    kept = kept.filter((k) => {
      if (k === 0 || k === thresholds.length - 1) return true;
      const bends = (c: number[]) => c[k + 1]! - 2 * c[k]! + c[k - 1]! !== 0;
      return bends(falsePositives) || bends(truePositives);
    });
  }
  const positives = tp;
  const negatives = fp;
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, falsePositiveRate: 0 / negatives, truePositiveRate: 0 / positives }];
  for (const k of kept) {
    points.push({
      threshold: thresholds[k]!,
      falsePositiveRate: falsePositives[k]! / negatives,
      truePositiveRate: truePositives[k]! / positives,
    });
  }
  return points;
}

/** Probability that a random positive outscores a random negative, ties counting one half; NaN if a class is absent. */
export function rocAuc({ labels, scores }: ScoredLabels): number {
  const ranks = midranks(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < labels.length; i += 1) {
    if (labels[i] === 1) {
      positives += 1;
      positiveRankSum += ranks[i]!;
    }
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
