// Choosing an operating threshold from a ROC curve. Run these on the validation split only: a threshold tuned
// on the test set makes every test metric at that threshold optimistic.
import { AppError } from '../ipc/index.ts';
import type { ScoredLabels } from './predictions.ts';
import { rocCurve, type RocPoint } from './roc.ts';

export interface OperatingPoint {
  /** Call positive when score >= threshold; always one of the validation scores. */
  threshold: number;
  sensitivity: number;
  specificity: number;
}

function candidatePoints(validation: ScoredLabels): RocPoint[] {
  const points = rocCurve(validation, { dropIntermediate: false }).filter((p) => Number.isFinite(p.threshold));
  if (points.some((p) => Number.isNaN(p.truePositiveRate) || Number.isNaN(p.falsePositiveRate))) {
    throw new AppError('evaluation-one-class', 'The validation split holds only one class, so no threshold can be chosen. Rebuild the split with both classes.');
  }
  return points;
}

function asOperatingPoint(p: RocPoint): OperatingPoint {
  return { threshold: p.threshold, sensitivity: p.truePositiveRate, specificity: 1 - p.falsePositiveRate };
}

/** Maximises sensitivity + specificity − 1; among equal maxima the highest threshold (fewest positive calls) wins. */
export function youdenThreshold(validation: ScoredLabels): OperatingPoint {
  let best: RocPoint | undefined;
  for (const p of candidatePoints(validation)) {
    // Points arrive by descending threshold, so a strict comparison keeps the highest of tied maxima.
    if (!best || p.truePositiveRate - p.falsePositiveRate > best.truePositiveRate - best.falsePositiveRate) best = p;
  }
  return asOperatingPoint(best!);
}

/**
 * The highest threshold whose sensitivity reaches the target, hence the best specificity among those that do
 * (a rule-out use needs a sensitivity floor more than a balanced point).
 */
export function thresholdForSensitivity(validation: ScoredLabels, targetSensitivity: number): OperatingPoint {
  if (!(targetSensitivity > 0 && targetSensitivity <= 1)) {
    throw new AppError('evaluation-bad-target', `Target sensitivity ${targetSensitivity} is outside (0, 1]. Give a fraction such as 0.95.`);
  }
  const reached = candidatePoints(validation).find((p) => p.truePositiveRate >= targetSensitivity);
  // The lowest score always gives sensitivity 1, so some point reaches any target in (0, 1].
  return asOperatingPoint(reached!);
}
