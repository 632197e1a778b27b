// Which confusion matrices on the published 60/60 test set reproduce a row's printed numbers? Recovering the
// counts checks that we read the table right (weighted averages, 120 images) and lets us redraw the paper's Fig. 3.
import { classificationMetrics } from './classification-metrics.ts';
import type { ConfusionMatrix } from './confusion-matrix.ts';
import type { PublishedModelResult } from './published-results.ts';
import type { ScalarMetric } from './scalar-metrics.ts';

/** Half a unit in the fourth decimal, plus room for floating-point error. */
const PRINTED_ROUNDING = 0.00005 + 1e-9;

function thresholdMetrics(m: ConfusionMatrix): Partial<Record<ScalarMetric, number>> {
  const c = classificationMetrics(m);
  return {
    accuracy: c.accuracy,
    sensitivity: c.sensitivity,
    specificity: c.specificity,
    precisionWeighted: c.supportWeighted.precision,
    recallWeighted: c.supportWeighted.recall,
    f1Weighted: c.supportWeighted.f1,
    precisionPositive: c.positiveClass.precision,
    recallPositive: c.positiveClass.recall,
    f1Positive: c.positiveClass.f1,
  };
}

export function impliedConfusionMatrices(result: PublishedModelResult, positives: number, negatives: number): ConfusionMatrix[] {
  const matches: ConfusionMatrix[] = [];
  for (let tp = 0; tp <= positives; tp += 1) {
    for (let tn = 0; tn <= negatives; tn += 1) {
      const m = { truePositives: tp, falseNegatives: positives - tp, trueNegatives: tn, falsePositives: negatives - tn };
      const ours = thresholdMetrics(m);
      const agrees = Object.entries(result.metrics).every(([key, printed]) => {
        const value = ours[key as ScalarMetric];
        return value === undefined || Math.abs(value - printed) <= PRINTED_ROUNDING; // AUC is not a count statistic
      });
      if (agrees) matches.push(m);
    }
  }
  return matches;
}
