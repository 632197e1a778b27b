// ROC summaries the training loop needs on its own (early stopping, threshold choice): AUC with ties counted half,
// and the validation operating point. Reports with CIs live in src-main/evaluation.
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  // Mann–Whitney U with average ranks for ties.
  let rankSumPositive = 0;
  let positives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k] as number] === 1) {
        rankSumPositive += rank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
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
