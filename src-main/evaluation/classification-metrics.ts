// Threshold-dependent metrics from a confusion matrix. Precision/recall/F1 follow sklearn exactly, including
// zero_division=0, because the published table was produced that way; clinical rates are NaN when undefined.
import type { ConfusionMatrix } from './confusion-matrix.ts';

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  /** True-positive rate; NaN when the set has no positive image. */
  sensitivity: number;
  /** True-negative rate; NaN when the set has no negative image. */
  specificity: number;
  /** The positive class only (sklearn average='binary'). */
  positiveClass: PrecisionRecallF1;
  /** Both classes, each weighted by its support (sklearn average='weighted'); recall here always equals accuracy. */
  supportWeighted: PrecisionRecallF1;
}

/** sklearn's zero_division=0: an undefined precision, recall or F1 counts as 0. */
export function ratioOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function ratioOrNaN(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

function forClass(hits: number, falseCalls: number, misses: number): PrecisionRecallF1 {
  return {
    precision: ratioOrZero(hits, hits + falseCalls),
    recall: ratioOrZero(hits, hits + misses),
    // Equal to the harmonic mean of precision and recall whenever that is defined, and 0 where sklearn says 0.
    f1: ratioOrZero(2 * hits, 2 * hits + falseCalls + misses),
  };
}

export function classificationMetrics(m: ConfusionMatrix): ClassificationMetrics {
  const positives = m.truePositives + m.falseNegatives;
  const negatives = m.trueNegatives + m.falsePositives;
  const total = positives + negatives;
  const positive = forClass(m.truePositives, m.falsePositives, m.falseNegatives);
  const negative = forClass(m.trueNegatives, m.falseNegatives, m.falsePositives);
  const weighted = (pick: keyof PrecisionRecallF1) =>
    ratioOrZero(positive[pick] * positives + negative[pick] * negatives, total);
  return {
    accuracy: ratioOrNaN(m.truePositives + m.trueNegatives, total),
    sensitivity: ratioOrNaN(m.truePositives, positives),
    specificity: ratioOrNaN(m.trueNegatives, negatives),
    positiveClass: positive,
    supportWeighted: { precision: weighted('precision'), recall: weighted('recall'), f1: weighted('f1') },
  };
}
