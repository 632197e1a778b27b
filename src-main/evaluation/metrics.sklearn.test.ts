// Our metrics against Debian's sklearn on the same scores, run at test time: random, heavily tied, imbalanced,
// and thresholds that land exactly on a score (where >= versus > matters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '../testing/python-oracle.ts';
import { asSklearnMatrix, confusionMatrix } from './confusion-matrix.ts';
import { classificationMetrics } from './classification-metrics.ts';
import { toScoredLabels } from './predictions.ts';
import { rocAuc, rocCurve } from './roc.ts';
import { syntheticPredictions } from './synthetic-test-set.ts';

const cases = [
  { name: 'random 60/60', set: syntheticPredictions({ positives: 60, negatives: 60, separation: 2, seed: 1 }), threshold: 0.5 },
  { name: 'one-decimal ties', set: syntheticPredictions({ positives: 60, negatives: 60, separation: 1.2, seed: 2, decimals: 1 }), threshold: 0.5 },
  { name: 'two-decimal ties, threshold on a score', set: syntheticPredictions({ positives: 37, negatives: 83, separation: 1.5, seed: 3, decimals: 2 }), threshold: 0.62 },
  { name: 'imbalanced 15/105', set: syntheticPredictions({ positives: 15, negatives: 105, separation: 1, seed: 4 }), threshold: 0.3 },
  { name: 'nearly useless model', set: syntheticPredictions({ positives: 50, negatives: 70, separation: 0.1, seed: 5, decimals: 1 }), threshold: 0.7 },
  { name: 'nothing called positive', set: syntheticPredictions({ positives: 20, negatives: 20, separation: 1, seed: 6 }), threshold: 1 },
];

const SKLEARN = `
import json, sys, warnings
import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support, roc_auc_score, roc_curve
warnings.simplefilter('ignore')
out = []
for case in json.load(sys.stdin):
    y = np.array(case['labels']); s = np.array(case['scores']); pred = (s >= case['threshold']).astype(int)
    def prf(average):
        p, r, f, _ = precision_recall_fscore_support(y, pred, average=average, zero_division=0)
        return [float(p), float(r), float(f)]
    curves = {}
    for drop in (False, True):
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
        curves[str(drop)] = {'fpr': fpr.tolist(), 'tpr': tpr.tolist(), 'thresholds': thr[1:].tolist()}
    out.append({'accuracy': float(accuracy_score(y, pred)), 'binary': prf('binary'), 'weighted': prf('weighted'),
                'auc': float(roc_auc_score(y, s)), 'matrix': confusion_matrix(y, pred, labels=[0, 1]).tolist(), 'curves': curves})
print(json.dumps(out))
`;

interface SklearnResult {
  accuracy: number;
  binary: [number, number, number];
  weighted: [number, number, number];
  auc: number;
  matrix: number[][];
  curves: Record<'False' | 'True', { fpr: number[]; tpr: number[]; thresholds: number[] }>;
}

const oracle = runPython<SklearnResult[]>(
  SKLEARN,
  cases.map((c) => ({ ...toScoredLabels(c.set), threshold: c.threshold })),
);

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: ours ${actual}, sklearn ${expected}`);
}

cases.forEach((c, i) => {
  const sk = oracle[i]!;
  const scored = toScoredLabels(c.set);

  test(`${c.name}: confusion matrix, accuracy and P/R/F1 (binary and weighted) match sklearn`, () => {
    const matrix = confusionMatrix(scored, c.threshold);
    assert.deepEqual(asSklearnMatrix(matrix), sk.matrix);
    const m = classificationMetrics(matrix);
    assertClose(m.accuracy, sk.accuracy, 'accuracy');
    const { positiveClass: pos, supportWeighted: w } = m;
    [pos.precision, pos.recall, pos.f1].forEach((v, k) => assertClose(v, sk.binary[k]!, `binary ${['precision', 'recall', 'F1'][k]}`));
    [w.precision, w.recall, w.f1].forEach((v, k) => assertClose(v, sk.weighted[k]!, `weighted ${['precision', 'recall', 'F1'][k]}`));
    assertClose(m.sensitivity, sk.binary[1], 'sensitivity is the positive-class recall');
  });

  test(`${c.name}: ROC AUC and ROC points (drop_intermediate False and True) match sklearn`, () => {
    assertClose(rocAuc(scored), sk.auc, 'AUC');
    for (const drop of [false, true]) {
      const ours = rocCurve(scored, { dropIntermediate: drop });
      const theirs = sk.curves[drop ? 'True' : 'False'];
      assert.equal(ours.length, theirs.fpr.length, `point count with drop_intermediate=${drop}`);
      assert.equal(ours[0]!.threshold, Infinity, 'the first point calls nothing positive');
      ours.forEach((p, k) => {
        assertClose(p.falsePositiveRate, theirs.fpr[k]!, `fpr[${k}]`);
        assertClose(p.truePositiveRate, theirs.tpr[k]!, `tpr[${k}]`);
        if (k > 0) assertClose(p.threshold, theirs.thresholds[k - 1]!, `threshold[${k}]`);
      });
    }
  });
});
