// ROC summaries the training loop needs on its own (early stopping, threshold choice): AUC with ties counted half,
// and the validation operating point. Reports with CIs live in src-main/evaluation.
import { rocAuc as evaluationRocAuc, thresholdForSensitivity, youdenThreshold, type OperatingPoint } from '../evaluation/index.ts';

/** AUC with ties counted half: the evaluation layer's Mann–Whitney kernel (checked against sklearn there). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return evaluationRocAuc({ scores: Array.from(scores), labels: Array.from(labels, (label) => (label === 1 ? 1 : 0)) });
}

export type ThresholdRule = 'youden' | 'sensitivity';

/** The evaluation layer's operating point, plus what a run records beside it. */
export type ValidationOperatingPoint = OperatingPoint & {
  /** Share of positives in the set the threshold was chosen on: a threshold is only valid near this prevalence. */
  prevalence: number;
  rule: ThresholdRule;
};

/**
 * Youden's J maximum, or the highest threshold reaching `targetSensitivity`; predicted positive when score ≥ t.
 * The evaluation layer chooses (one chooser for runs and reports); a set holding one class has no operating point
 * and is refused with evaluation-one-class, as the training data loader already refuses such a split (single-class).
 */
export function chooseThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, rule: ThresholdRule, targetSensitivity = 0.9): ValidationOperatingPoint {
  const validation = { scores: Array.from(scores), labels: Array.from(labels, (label) => (label === 1 ? 1 : 0)) };
  const point = rule === 'youden' ? youdenThreshold(validation) : thresholdForSensitivity(validation, targetSensitivity);
  const positives = validation.labels.filter((label) => label === 1).length;
  return { ...point, prevalence: positives / validation.labels.length, rule };
}

export function rates(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number, positives: number, negatives: number): { sensitivity: number; specificity: number } {
  let tp = 0;
  let tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    if (predicted && labels[i] === 1) tp++;
    if (!predicted && labels[i] === 0) tn++;
  }
  return { sensitivity: positives ? tp / positives : 0, specificity: negatives ? tn / negatives : 0 };
}
