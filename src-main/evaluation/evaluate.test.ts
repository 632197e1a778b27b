// The one-call report for a model: its parts agree with each other, and malformed input is refused with a
// message that names the image and says what to fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './evaluate.ts';
import type { Prediction } from './predictions.ts';
import { syntheticPredictions } from './synthetic-test-set.ts';

const predictions = syntheticPredictions({ positives: 30, negatives: 50, separation: 1.8, seed: 51, imagesPerPatient: 2 });

test('one evaluation: counts, metrics, ROC, predictive values and intervals agree with each other', () => {
  const e = evaluate(predictions, { threshold: 0.5, prevalence: 0.25, bootstrap: { replicates: 300 } });
  assert.equal(e.images, 80);
  assert.equal(e.positives, 30);
  const m = e.confusionMatrix;
  assert.equal(m.truePositives + m.falseNegatives + m.falsePositives + m.trueNegatives, 80);
  assert.equal(e.predictiveValues.observed.ppv, e.metrics.positiveClass.precision, 'PPV is the positive-class precision');
  assert.equal(e.metrics.supportWeighted.recall, e.metrics.accuracy, 'weighted recall is accuracy');
  assert.equal(e.rocPoints[0]!.threshold, Infinity);
  assert.deepEqual(e.rocPoints.at(-1), { threshold: Math.min(...predictions.map((p) => p.score)), falsePositiveRate: 1, truePositiveRate: 1 });
  assert.ok(e.predictiveValues.atPrevalence!.ppv < e.predictiveValues.observed.ppv, 'PPV falls when prevalence drops from 37.5% to 25%');
  assert.equal(e.intervals!.rocAuc.resampledUnit, 'patient');
  assert.ok(e.intervals!.rocAuc.low < e.rocAuc && e.rocAuc < e.intervals!.rocAuc.high);
  assert.equal(evaluate(predictions, { threshold: 0.5, bootstrap: false }).intervals, undefined);
});

test('malformed predictions are refused with the image named', () => {
  const withLogit: Prediction[] = [...predictions, { id: 'img-logit', label: 1, score: 2.3 }];
  assert.throws(() => evaluate(withLogit, { threshold: 0.5 }), /Score of image img-logit .* is 2\.3, outside \[0, 1\]\. Export probabilities/);
  const twice = [...predictions, predictions[0]!];
  assert.throws(() => evaluate(twice, { threshold: 0.5 }), /Image img-0000 appears twice/);
  assert.throws(() => evaluate([], { threshold: 0.5 }), /No predictions to evaluate/);
});
