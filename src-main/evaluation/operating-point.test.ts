// Threshold selection on a validation split and predictive values at the chosen point, checked against
// brute force over every candidate threshold and against Bayes' rule worked by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationMetrics } from './classification-metrics.ts';
import { confusionMatrix } from './confusion-matrix.ts';
import { toScoredLabels } from './predictions.ts';
import { observedPredictiveValues, predictiveValuesAtPrevalence } from './predictive-values.ts';
import { thresholdForSensitivity, youdenThreshold } from './threshold-selection.ts';
import { syntheticPredictions } from './synthetic-test-set.ts';

const validation = toScoredLabels(syntheticPredictions({ positives: 45, negatives: 55, separation: 1.6, seed: 31, decimals: 2 }));
const candidates = [...new Set(validation.scores)].sort((a, b) => b - a);
const at = (t: number) => classificationMetrics(confusionMatrix(validation, t));

test('Youden threshold maximises sensitivity + specificity − 1 over every distinct score', () => {
  const chosen = youdenThreshold(validation);
  const best = Math.max(...candidates.map((t) => at(t).sensitivity + at(t).specificity - 1));
  assert.ok(Math.abs(chosen.sensitivity + chosen.specificity - 1 - best) < 1e-12);
  const m = at(chosen.threshold);
  assert.equal(m.sensitivity, chosen.sensitivity, 'applying the threshold reproduces the reported sensitivity');
  assert.ok(Math.abs(m.specificity - chosen.specificity) < 1e-12);
  const tiedHigher = candidates.filter((t) => t > chosen.threshold && Math.abs(at(t).sensitivity + at(t).specificity - 1 - best) < 1e-12);
  assert.deepEqual(tiedHigher, [], 'among equal maxima the highest threshold is taken');
});

test('target-sensitivity threshold reaches the target with the best specificity available', () => {
  for (const target of [0.8, 0.9, 0.95, 1]) {
    const chosen = thresholdForSensitivity(validation, target);
    assert.ok(chosen.sensitivity >= target, `sensitivity ${chosen.sensitivity} below target ${target}`);
    const bestSpecificity = Math.max(...candidates.filter((t) => at(t).sensitivity >= target).map((t) => at(t).specificity));
    assert.ok(Math.abs(chosen.specificity - bestSpecificity) < 1e-12, `specificity ${chosen.specificity} vs best ${bestSpecificity}`);
    assert.equal(at(chosen.threshold).sensitivity, chosen.sensitivity);
  }
  assert.throws(() => thresholdForSensitivity(validation, 0), /outside \(0, 1\]/);
});

test('a one-class validation split cannot choose a threshold', () => {
  const oneClass = toScoredLabels(syntheticPredictions({ positives: 10, negatives: 0, separation: 1, seed: 32 }));
  assert.throws(() => youdenThreshold(oneClass), /only one class/);
});

test('PPV and NPV: observed from counts, and restated at a prevalence by Bayes', () => {
  // The paper's SSL-Quantum operating point: 56/60 stenoses found, 41/60 normals cleared.
  const counts = { truePositives: 56, falseNegatives: 4, trueNegatives: 41, falsePositives: 19 };
  const observed = observedPredictiveValues(counts);
  assert.equal(observed.ppv, 56 / 75);
  assert.equal(observed.npv, 41 / 45);
  // At the test set's own 50% prevalence Bayes must give back the observed values.
  const half = predictiveValuesAtPrevalence(56 / 60, 41 / 60, 0.5);
  assert.ok(Math.abs(half.ppv - observed.ppv) < 1e-12 && Math.abs(half.npv - observed.npv) < 1e-12);
  // At 20%: PPV = 0.9333·0.2 / (0.9333·0.2 + 0.3167·0.8) = 0.18667 / 0.44 = 0.4242.
  const referral = predictiveValuesAtPrevalence(56 / 60, 41 / 60, 0.2);
  assert.ok(Math.abs(referral.ppv - 0.18666666666666668 / 0.44) < 1e-12);
  assert.ok(Math.abs(referral.npv - (0.8 * 41) / 60 / ((0.8 * 41) / 60 + (0.2 * 4) / 60)) < 1e-12);
  assert.throws(() => predictiveValuesAtPrevalence(0.9, 0.9, 1), /Prevalence 1 is outside/);
  assert.ok(Number.isNaN(observedPredictiveValues({ truePositives: 0, falseNegatives: 5, trueNegatives: 5, falsePositives: 0 }).ppv));
});
