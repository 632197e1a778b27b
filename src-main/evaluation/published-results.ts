// The figures the SSL-Quantum paper reports on its test set, kept verbatim so our comparison table
// can print them beside our own runs. They are single numbers: the paper gives no seeds, intervals or ablation.
import type { ScalarMetric } from './scalar-metrics.ts';

export interface PublishedModelResult {
  model: string;
  /** Only the numbers the paper prints; a missing key was not reported. Rounded to 4 decimals in the source. */
  metrics: Partial<Record<ScalarMetric, number>>;
}

export const PUBLISHED_TEST_SET = {
  positives: 60,
  negatives: 60,
  note:
    'Precision, recall and F1 are support-weighted averages over both classes (sklearn average="weighted"): ' +
    'recall equals accuracy in every row, which only the weighted average guarantees. Sensitivity 0.9333 = 56/60 ' +
    'and specificity 0.6833 = 41/60 imply a 120-image test set with 60 per class, on which an AUC near 0.94 ' +
    'carries a standard error of roughly 0.02 (95% interval about ±0.045). No seeds, intervals or ablation are given.',
} as const;

export const PUBLISHED_RESULTS: readonly PublishedModelResult[] = [
  {
    model: 'SSL-Quantum',
    metrics: { accuracy: 0.8083, rocAuc: 0.9381, f1Weighted: 0.8053, precisionWeighted: 0.8289, recallWeighted: 0.8083, sensitivity: 0.9333, specificity: 0.6833 },
  },
  { model: 'ResNet18', metrics: { accuracy: 0.6917, rocAuc: 0.8292, f1Weighted: 0.6906, sensitivity: 0.75, specificity: 0.6333 } },
  { model: 'MobileNetV2', metrics: { accuracy: 0.6417, rocAuc: 0.7719, f1Weighted: 0.6083, sensitivity: 0.9333, specificity: 0.35 } },
  { model: 'EfficientNet-B0', metrics: { accuracy: 0.7, rocAuc: 0.8147, f1Weighted: 0.6827, sensitivity: 0.9333, specificity: 0.4667 } },
  { model: 'SimpleCNN', metrics: { accuracy: 0.5583, rocAuc: 0.5781, f1Weighted: 0.5444 } },
];
