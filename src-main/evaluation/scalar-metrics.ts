// The flat list of headline numbers a model is summarised by, with the labels tables and figures print, so that
// bootstrap, seed averaging and every figure iterate one list and agree on names.
import { classificationMetrics } from './classification-metrics.ts';
import { confusionMatrix } from './confusion-matrix.ts';
import type { ScoredLabels } from './predictions.ts';
import { rocAuc } from './roc.ts';

export const SCALAR_METRICS = [
  { key: 'accuracy', label: 'Accuracy', short: 'Acc' },
  { key: 'rocAuc', label: 'ROC AUC', short: 'AUC' },
  { key: 'sensitivity', label: 'Sensitivity', short: 'Sens' },
  { key: 'specificity', label: 'Specificity', short: 'Spec' },
  { key: 'precisionWeighted', label: 'Precision (support-weighted)', short: 'Prec (w)' },
  { key: 'recallWeighted', label: 'Recall (support-weighted)', short: 'Rec (w)' },
  { key: 'f1Weighted', label: 'F1 (support-weighted)', short: 'F1 (w)' },
  { key: 'precisionPositive', label: 'Precision (stenosis class)', short: 'Prec (+)' },
  { key: 'recallPositive', label: 'Recall (stenosis class)', short: 'Rec (+)' },
  { key: 'f1Positive', label: 'F1 (stenosis class)', short: 'F1 (+)' },
] as const;

export type ScalarMetric = (typeof SCALAR_METRICS)[number]['key'];
export type ScalarMetrics = Record<ScalarMetric, number>;

export function scalarMetrics(scored: ScoredLabels, threshold: number): ScalarMetrics {
  const m = classificationMetrics(confusionMatrix(scored, threshold));
  return {
    accuracy: m.accuracy,
    rocAuc: rocAuc(scored),
    sensitivity: m.sensitivity,
    specificity: m.specificity,
    precisionWeighted: m.supportWeighted.precision,
    recallWeighted: m.supportWeighted.recall,
    f1Weighted: m.supportWeighted.f1,
    precisionPositive: m.positiveClass.precision,
    recallPositive: m.positiveClass.recall,
    f1Positive: m.positiveClass.f1,
  };
}
