// Reading the paper's table right: each row's printed numbers must be reproducible by some confusion matrix on
// a 60/60 test set using support-weighted precision/recall/F1, and recall must equal accuracy throughout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { impliedConfusionMatrices } from './published-consistency.ts';
import { PUBLISHED_RESULTS, PUBLISHED_TEST_SET } from './published-results.ts';

const counts = (model: string) => {
  const result = PUBLISHED_RESULTS.find((r) => r.model === model)!;
  return impliedConfusionMatrices(result, PUBLISHED_TEST_SET.positives, PUBLISHED_TEST_SET.negatives).map(
    (m) => `TP ${m.truePositives} FN ${m.falseNegatives} TN ${m.trueNegatives} FP ${m.falsePositives}`,
  );
};

test('each published row with sensitivity and specificity is one exact confusion matrix on 60 + 60 images', () => {
  assert.deepEqual(counts('SSL-Quantum'), ['TP 56 FN 4 TN 41 FP 19']);
  assert.deepEqual(counts('ResNet18'), ['TP 45 FN 15 TN 38 FP 22']);
  assert.deepEqual(counts('MobileNetV2'), ['TP 56 FN 4 TN 21 FP 39']);
  assert.deepEqual(counts('EfficientNet-B0'), ['TP 56 FN 4 TN 28 FP 32']);
});

test('SimpleCNN (accuracy and weighted F1 only) fits 44 and 23 correct, in one class order or the other', () => {
  assert.deepEqual(counts('SimpleCNN'), ['TP 23 FN 37 TN 44 FP 16', 'TP 44 FN 16 TN 23 FP 37']);
});

test('published recall equals accuracy wherever both are printed, the mark of support-weighted averaging', () => {
  for (const { model, metrics } of PUBLISHED_RESULTS) {
    if (metrics.recallWeighted !== undefined) assert.equal(metrics.recallWeighted, metrics.accuracy, model);
  }
});
