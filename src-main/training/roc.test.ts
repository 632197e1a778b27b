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
