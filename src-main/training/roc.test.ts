// AUC and the validation operating point, checked against scikit-learn on the same scores (ties included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '../testing/python-oracle.ts';
import { chooseThreshold, rocAuc } from './roc.ts';
import { seededRandom } from './sampler.ts';

test('AUC and the Youden threshold equal scikit-learn’s on tied, noisy scores', () => {
  const random = seededRandom(9);
  const labels = Array.from({ length: 300 }, () => (random() < 0.4 ? 1 : 0));
  const scores = labels.map((l) => Math.round((random() + 0.35 * l) * 20) / 20); // coarse → many ties
  const reference = runPython<{ auc: number; youden: number }>(
    `import json, sys
import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve
d = json.load(sys.stdin)
fpr, tpr, thr = roc_curve(d['labels'], d['scores'])
print(json.dumps({'auc': roc_auc_score(d['labels'], d['scores']), 'youden': float(thr[np.argmax(tpr - fpr)])}))`,
    { labels, scores },
  );
  assert.ok(Math.abs(rocAuc(scores, labels) - reference.auc) < 1e-12, `AUC ${rocAuc(scores, labels)} vs sklearn ${reference.auc}`);
  const point = chooseThreshold(scores, labels, 'youden');
  assert.equal(point.threshold, reference.youden);
  assert.ok(Math.abs(point.prevalence - labels.filter((l) => l === 1).length / labels.length) < 1e-12);
});

test('a target-sensitivity threshold reaches the target', () => {
  const labels = [0, 0, 0, 1, 1, 1, 1, 0, 1, 0];
  const scores = [0.1, 0.2, 0.3, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 0.05];
  const point = chooseThreshold(scores, labels, 'sensitivity', 0.8);
  assert.ok(point.sensitivity >= 0.8);
  assert.equal(point.threshold, 0.5);
});

test('a one-class validation set has no operating point: both rules refuse it with a typed error', () => {
  const scores = [0.2, 0.4, 0.6, 0.8];
  for (const labels of [[0, 0, 0, 0], [1, 1, 1, 1]]) {
    for (const rule of ['youden', 'sensitivity'] as const) {
      assert.throws(() => chooseThreshold(scores, labels, rule, 0.9), { code: 'evaluation-one-class' }, `${rule} on labels ${labels}`);
    }
  }
});

test('the sensitivity rule takes the highest threshold reaching the target, found by brute force', () => {
  const random = seededRandom(17);
  const labels = Array.from({ length: 200 }, () => (random() < 0.3 ? 1 : 0));
  const scores = Float32Array.from(labels, (l) => Math.round((random() + 0.3 * l) * 25) / 25);
  const positives = labels.filter((l) => l === 1).length;
  const sensitivityAt = (t: number) => labels.filter((l, i) => l === 1 && scores[i]! >= t).length / positives;
  for (const target of [0.5, 0.8, 0.95, 1]) {
    const expected = Math.max(...[...new Set(scores)].filter((t) => sensitivityAt(t) >= target));
    const point = chooseThreshold(scores, labels, 'sensitivity', target);
    assert.equal(point.threshold, expected, `target ${target}`);
    assert.equal(point.sensitivity, sensitivityAt(expected));
    assert.equal(point.rule, 'sensitivity');
  }
});
