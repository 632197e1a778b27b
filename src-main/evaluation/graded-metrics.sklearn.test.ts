// Graded (K-class) metrics against Debian's sklearn on the same softmax outputs, run at test time: 4- and 3-class
// sets with tied probabilities, heavy imbalance, a class never predicted and a class absent; plus K = 2 and bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../ipc/app-error.ts';
import { runPython } from '../testing/python-oracle.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { evaluate } from './evaluate.ts';
import { anyStenosisScore, gradedEvaluation, type GradedPrediction } from './graded-metrics.ts';
import { toScoredLabels } from './predictions.ts';
import { rocAuc } from './roc.ts';
import { syntheticPredictions } from './synthetic-test-set.ts';

const FOUR = ['no stenosis', '<50%', '50–70%', '>70%'];
const THREE = ['no stenosis', 'non-significant', 'significant'];

interface GradedSet {
  /** Images per true class, in class order. */
  counts: number[];
  /** How far the true class's logit is lifted above the others, in noise standard deviations. */
  separation: number;
  seed: number;
  /** Round logits to integers so many rows, and classes within a row, share exactly the same probability. */
  integerLogits?: boolean;
  /** Classes whose logit is pushed far down, so the model never calls them. */
  neverCalled?: number[];
}

/** Softmax over noisy logits where neighbouring severities also gain a little, as a real ordinal model's do. */
function gradedSet(spec: GradedSet): GradedPrediction[] {
  const random = seededRandom(spec.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const k = spec.counts.length;
  const labels = spec.counts.flatMap((n, c) => Array<number>(n).fill(c));
  return labels.map((label, i) => {
    const logits = Array.from({ length: k }, (_, c) => {
      let z = gaussian() + spec.separation * Math.max(0, 1 - Math.abs(c - label) / 2);
      if (spec.integerLogits) z = Math.round(z);
      return spec.neverCalled?.includes(c) ? z - 50 : z;
    });
    const top = Math.max(...logits);
    const weights = logits.map((z) => Math.exp(z - top));
    const total = weights.reduce((a, b) => a + b, 0);
    return { id: `img-${String(i).padStart(4, '0')}`, label, probabilities: weights.map((w) => w / total) };
  });
}

const cases = [
  { name: '4-class random', classes: FOUR, set: gradedSet({ counts: [40, 30, 25, 25], separation: 1.5, seed: 11 }) },
  { name: '4-class integer logits (tied probabilities)', classes: FOUR, set: gradedSet({ counts: [30, 30, 30, 30], separation: 1, seed: 12, integerLogits: true }) },
  { name: '4-class imbalanced 150/20/8/5', classes: FOUR, set: gradedSet({ counts: [150, 20, 8, 5], separation: 2, seed: 13 }) },
  { name: '4-class with "50–70%" never predicted', classes: FOUR, set: gradedSet({ counts: [35, 25, 20, 20], separation: 1.5, seed: 14, neverCalled: [2] }) },
  { name: '3-class random', classes: THREE, set: gradedSet({ counts: [50, 40, 30], separation: 1.2, seed: 15 }) },
  { name: '3-class tied and imbalanced', classes: THREE, set: gradedSet({ counts: [90, 12, 18], separation: 0.8, seed: 16, integerLogits: true }) },
  { name: '4-class with ">70%" absent from the test set', classes: FOUR, set: gradedSet({ counts: [30, 25, 20, 0], separation: 1.5, seed: 17 }) },
];

const SKLEARN = `
import json, sys, warnings
import numpy as np
from sklearn.metrics import accuracy_score, cohen_kappa_score, confusion_matrix, precision_recall_fscore_support, roc_auc_score
warnings.simplefilter('ignore')
out = []
for case in json.load(sys.stdin):
    y = np.array(case['labels']); P = np.array(case['probabilities']); K = P.shape[1]; labels = list(range(K))
    pred = P.argmax(axis=1)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0)
    ovr = [float(roc_auc_score(y == k, P[:, k])) if 0 < (y == k).sum() < len(y) else None for k in labels]
    every = len(np.unique(y)) == K
    out.append({'matrix': confusion_matrix(y, pred, labels=labels).tolist(), 'accuracy': float(accuracy_score(y, pred)),
                'precision': p.tolist(), 'recall': r.tolist(), 'f1': f.tolist(), 'support': s.tolist(), 'ovr': ovr,
                'macro': float(roc_auc_score(y, P, multi_class='ovr', average='macro')) if every else None,
                'kappa': float(cohen_kappa_score(y, pred, labels=labels, weights='quadratic'))})
print(json.dumps(out))
`;

interface SklearnResult {
  matrix: number[][];
  accuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  /** null where the class is absent or is every image (sklearn refuses a one-class AUC). */
  ovr: (number | null)[];
  /** null where a class is absent: sklearn's multi-class AUC refuses that set. */
  macro: number | null;
  kappa: number;
}

const oracle = runPython<SklearnResult[]>(
  SKLEARN,
  cases.map((c) => ({ labels: c.set.map((p) => p.label), probabilities: c.set.map((p) => p.probabilities) })),
);

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: ours ${actual}, sklearn ${expected}`);
}

cases.forEach((c, i) => {
  const sk = oracle[i]!;
  const ours = gradedEvaluation(c.set, c.classes);

  test(`${c.name}: confusion matrix, accuracy and per-class P/R/F1 match sklearn`, () => {
    assert.deepEqual(ours.confusion, sk.matrix);
    assertClose(ours.accuracy, sk.accuracy, 'accuracy');
    ours.perClass.forEach((row, k) => {
      assert.equal(row.name, c.classes[k]);
      assert.equal(row.support, sk.support[k], `${row.name} support`);
      assertClose(row.precision, sk.precision[k]!, `${row.name} precision`);
      assertClose(row.recall, sk.recall[k]!, `${row.name} recall`);
      assertClose(row.f1, sk.f1[k]!, `${row.name} F1`);
    });
  });

  test(`${c.name}: one-vs-rest and macro ROC AUC and quadratic kappa match sklearn`, () => {
    ours.perClass.forEach((row, k) => {
      const theirs = sk.ovr[k];
      if (theirs === null || theirs === undefined) assert.ok(Number.isNaN(row.rocAuc), `${row.name}: AUC of an absent class should be NaN, got ${row.rocAuc}`);
      else assertClose(row.rocAuc, theirs, `${row.name} one-vs-rest AUC`);
    });
    const present = sk.ovr.filter((auc): auc is number => auc !== null);
    const expectedMacro = sk.macro ?? present.reduce((a, b) => a + b, 0) / present.length;
    assertClose(ours.macroRocAuc, expectedMacro, sk.macro === null ? 'macro AUC over present classes' : 'macro AUC');
    assertClose(ours.quadraticKappa, sk.kappa, 'quadratic kappa');
  });
});

test('the never-predicted and absent cases really exercise what they name', () => {
  assert.ok(oracle[3]!.matrix.every((row) => row[2] === 0), '"50–70%" is predicted somewhere');
  assert.equal(oracle[6]!.macro, null);
  // A tie at the top is where argmax's lower-index rule decides the call.
  const tiedAtTop = cases[1]!.set.filter((p) => p.probabilities.filter((q) => q === Math.max(...p.probabilities)).length > 1).length;
  assert.ok(tiedAtTop > 10, `only ${tiedAtTop} rows whose top class probability is tied`);
});

test('within-one-class share counts predictions at most one severity grade off', () => {
  const probabilities = (c: number) => [0, 1, 2, 3].map((k) => (k === c ? 0.7 : 0.1));
  const set: GradedPrediction[] = [[0, 0], [0, 1], [0, 2], [3, 0], [3, 2], [2, 2]].map(([label, called], i) => ({ id: `i${i}`, label: label!, probabilities: probabilities(called!) }));
  assert.equal(gradedEvaluation(set, FOUR).withinOneClass, 4 / 6);
});

test('K = 2: accuracy, class-1 P/R/F1 and AUC equal the binary evaluation of p[1] at threshold 0.5', () => {
  const binary = syntheticPredictions({ positives: 45, negatives: 75, separation: 1.5, seed: 21 });
  const graded = binary.map((p) => ({ id: p.id, label: p.label, probabilities: [1 - p.score, p.score] }));
  const ours = gradedEvaluation(graded, ['no stenosis', 'stenosis']);
  const reference = evaluate(binary, { threshold: 0.5, bootstrap: false });
  assert.equal(ours.accuracy, reference.metrics.accuracy);
  assert.equal(ours.perClass[1]!.rocAuc, reference.rocAuc);
  assert.equal(ours.perClass[1]!.rocAuc, rocAuc(toScoredLabels(binary)));
  const { precision, recall, f1 } = reference.metrics.positiveClass;
  assert.deepEqual([ours.perClass[1]!.precision, ours.perClass[1]!.recall, ours.perClass[1]!.f1], [precision, recall, f1]);
  graded.forEach((p, i) => assertClose(anyStenosisScore(p.probabilities), binary[i]!.score, `any-stenosis score of ${p.id}`));
});

const good: GradedPrediction = { id: 'ok', label: 1, probabilities: [0.2, 0.5, 0.3] };
const invalidInputs: { name: string; predictions: GradedPrediction[]; classes: string[] }[] = [
  { name: 'no predictions', predictions: [], classes: THREE },
  { name: 'fewer than two class names', predictions: [{ id: 'a', label: 0, probabilities: [1] }], classes: ['no stenosis'] },
  { name: 'a label past the last class', predictions: [good, { id: 'bad', label: 3, probabilities: [0.2, 0.5, 0.3] }], classes: THREE },
  { name: 'a negative label', predictions: [good, { id: 'bad', label: -1, probabilities: [0.2, 0.5, 0.3] }], classes: THREE },
  { name: 'a non-integer label', predictions: [good, { id: 'bad', label: 1.5, probabilities: [0.2, 0.5, 0.3] }], classes: THREE },
  { name: 'a probability row of the wrong length', predictions: [good, { id: 'bad', label: 0, probabilities: [0.5, 0.5] }], classes: THREE },
  { name: 'a NaN probability', predictions: [good, { id: 'bad', label: 0, probabilities: [Number.NaN, 0.5, 0.5] }], classes: THREE },
  { name: 'an infinite probability', predictions: [good, { id: 'bad', label: 0, probabilities: [0, Infinity, 0] }], classes: THREE },
];

for (const input of invalidInputs) {
  test(`rejects ${input.name} with evaluation-invalid and a message saying what to do`, () => {
    assert.throws(
      () => gradedEvaluation(input.predictions, input.classes),
      (error: unknown) => error instanceof AppError && error.code === 'evaluation-invalid' && /\. [A-Z][^.]*\.$/.test(error.message),
    );
  });
}
