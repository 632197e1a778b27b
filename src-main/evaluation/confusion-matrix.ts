// Counts of the four outcomes at one operating threshold: the source of every threshold-dependent metric.
// An image is called positive when its score is at or above the threshold, the rule sklearn's roc_curve uses.
import type { ScoredLabels } from './predictions.ts';

export interface ConfusionMatrix {
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  trueNegatives: number;
}

export function confusionMatrix({ labels, scores }: ScoredLabels, threshold: number): ConfusionMatrix {
  const counts: ConfusionMatrix = { truePositives: 0, falseNegatives: 0, falsePositives: 0, trueNegatives: 0 };
  for (let i = 0; i < labels.length; i += 1) {
    const calledPositive = scores[i]! >= threshold;
    if (labels[i] === 1) {
      if (calledPositive) counts.truePositives += 1;
      else counts.falseNegatives += 1;
    } else if (calledPositive) counts.falsePositives += 1;
    else counts.trueNegatives += 1;
  }
  return counts;
}

/** sklearn's layout: rows are the true class, columns the called class, class 0 first. */
export function asSklearnMatrix(m: ConfusionMatrix): [[number, number], [number, number]] {
  return [
    [m.trueNegatives, m.falsePositives],
    [m.falseNegatives, m.truePositives],
  ];
}
