// ROC summaries the training loop needs on its own (early stopping, threshold choice): AUC with ties counted half,
// and the validation operating point. Reports with CIs live in src-main/evaluation.
import { rocAuc as evaluationRocAuc } from '../evaluation/roc.ts';
/** AUC with ties counted half: the evaluation layer's Mann–Whitney kernel (checked against sklearn there). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return evaluationRocAuc({ scores: Array.from(scores), labels: Array.from(labels, (label) => (label === 1 ? 1 : 0)) });
}

export interface OperatingPoint {
  threshold: number;
  sensitivity: number;
  specificity: number;
  /** Share of positives in the set the threshold was chosen on: a threshold is only valid near this prevalence. */
  prevalence: number;
  rule: 'youden' | 'sensitivity';
}

/** Youden's J maximum, or the highest threshold reaching `targetSensitivity`; predicted positive when score ≥ t. */
export function chooseThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, rule: 'youden' | 'sensitivity', targetSensitivity = 0.9): OperatingPoint {
  const candidates = [...new Set(Array.from(scores))].sort((a, b) => b - a);
  const positives = Array.from(labels).filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  let best: OperatingPoint | null = null;
  for (const t of candidates) {
    const { sensitivity, specificity } = rates(scores, labels, t, positives, negatives);
    const point = { threshold: t, sensitivity, specificity, prevalence: positives / labels.length, rule };
    if (rule === 'sensitivity') {
      if (sensitivity >= targetSensitivity) return point;
      continue;
    }
    if (!best || sensitivity + specificity > best.sensitivity + best.specificity) best = point;
  }
  return best ?? { threshold: candidates.at(-1) ?? 0.5, ...rates(scores, labels, candidates.at(-1) ?? 0.5, positives, negatives), prevalence: positives / labels.length, rule };
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
