// DeLong's test against an independent numpy implementation of Sun & Xu's fast algorithm, itself checked in
// python against the O(mn) placement-value definition of DeLong, DeLong & Clarke-Pearson (1988).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '../testing/python-oracle.ts';
import { deLongTest } from './delong.ts';
import { compareAucs } from './paired-comparison.ts';
import { toScoredLabels, type Prediction } from './predictions.ts';
import { rescored, syntheticPredictions } from './synthetic-test-set.ts';

const NUMPY_DELONG = `
import json, sys
import numpy as np
from scipy.stats import norm

def midrank(x):
    order = np.argsort(x, kind='mergesort'); z = x[order]; ranks = np.zeros(len(x)); i = 0
    while i < len(x):
        j = i
        while j < len(x) and z[j] == z[i]: j += 1
        ranks[i:j] = 0.5 * (i + j - 1) + 1
        i = j
    out = np.empty(len(x)); out[order] = ranks; return out

def fast_delong(scores, labels):
    pos = [s[labels == 1] for s in scores]; neg = [s[labels == 0] for s in scores]
    m, n = len(pos[0]), len(neg[0])
    v10, v01, aucs = [], [], []
    for p, q in zip(pos, neg):
        tx, ty, tz = midrank(p), midrank(q), midrank(np.concatenate([p, q]))
        aucs.append(tz[:m].sum() / (m * n) - (m + 1) / (2 * n))
        v10.append((tz[:m] - tx) / n); v01.append(1 - (tz[m:] - ty) / m)
    return np.array(aucs), np.cov(np.array(v10)) / m + np.cov(np.array(v01)) / n

def placement_delong(scores, labels):
    # DeLong 1988: psi(X, Y) = 1 if X > Y, 1/2 if equal; structural components averaged over the other class.
    aucs, v10, v01 = [], [], []
    for s in scores:
        x, y = s[labels == 1], s[labels == 0]
        psi = (x[:, None] > y[None, :]) + 0.5 * (x[:, None] == y[None, :])
        aucs.append(psi.mean()); v10.append(psi.mean(axis=1)); v01.append(psi.mean(axis=0))
    m, n = len(v10[0]), len(v01[0])
    return np.array(aucs), np.cov(np.array(v10)) / m + np.cov(np.array(v01)) / n

out = []
for case in json.load(sys.stdin):
    labels = np.array(case['labels']); scores = [np.array(case['a']), np.array(case['b'])]
    aucs, cov = fast_delong(scores, labels)
    aucs2, cov2 = placement_delong(scores, labels)
    assert np.allclose(aucs, aucs2, atol=1e-12) and np.allclose(cov, cov2, atol=1e-14), 'fast and placement DeLong disagree'
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]; z = (aucs[0] - aucs[1]) / np.sqrt(var)
    out.append({'aucs': aucs.tolist(), 'cov': cov.tolist(), 'z': float(z), 'p': float(2 * norm.sf(abs(z)))})
print(json.dumps(out))
`;

function pair(separationA: number, separationB: number, seed: number, decimals?: number) {
  const a = syntheticPredictions({ positives: 60, negatives: 60, separation: separationA, seed, decimals });
  return { a, b: rescored(a, separationB, seed + 1000, decimals) };
}

const pairs = [pair(2.2, 1.3, 11), pair(1.5, 1.4, 12, 2), pair(1.0, 0.2, 13, 1), pair(2.5, 2.5, 14)];
const oracle = runPython<{ aucs: number[]; cov: number[][]; z: number; p: number }[]>(
  NUMPY_DELONG,
  pairs.map(({ a, b }) => ({ labels: a.map((p) => p.label), a: a.map((p) => p.score), b: b.map((p) => p.score) })),
);

test('DeLong AUCs, variances, covariance, z and p match numpy on random and tied scores', () => {
  pairs.forEach(({ a, b }, i) => {
    const ours = deLongTest(toScoredLabels(a), toScoredLabels(b));
    const np = oracle[i]!;
    const close = (x: number, y: number, tol: number, what: string) =>
      assert.ok(Math.abs(x - y) <= tol, `pair ${i} ${what}: ours ${x}, numpy ${y}`);
    close(ours.aucA, np.aucs[0]!, 1e-12, 'AUC A');
    close(ours.aucB, np.aucs[1]!, 1e-12, 'AUC B');
    close(ours.varianceA, np.cov[0]![0]!, 1e-14, 'variance A');
    close(ours.varianceB, np.cov[1]![1]!, 1e-14, 'variance B');
    close(ours.covariance, np.cov[0]![1]!, 1e-14, 'covariance');
    close(ours.z, np.z, 1e-9, 'z');
    // erfc's fit is good to 1.2e-7 relative.
    close(ours.pValue, np.p, 2e-7 * np.p + 1e-12, 'p-value');
  });
});

test('a model compared with itself differs by exactly zero with p = 1', () => {
  const { a } = pairs[0]!;
  const self = deLongTest(toScoredLabels(a), toScoredLabels(a));
  assert.equal(self.difference, 0);
  assert.equal(self.standardError, 0);
  assert.equal(self.pValue, 1);
});

test('paired comparison joins the two models by image id, not by row order', () => {
  const { a, b } = pairs[0]!;
  const shuffled: Prediction[] = [...b].reverse();
  const inOrder = compareAucs({ name: 'A', predictions: a }, { name: 'B', predictions: b }, { replicates: 300 });
  const reordered = compareAucs({ name: 'A', predictions: a }, { name: 'B', predictions: shuffled }, { replicates: 300 });
  assert.deepEqual(reordered, inOrder);
});

test('paired bootstrap interval of the AUC difference agrees with DeLong in centre and width', () => {
  const { a, b } = pairs[0]!;
  const result = compareAucs({ name: 'strong', predictions: a }, { name: 'weak', predictions: b }, { replicates: 2000 });
  const { low, high } = result.bootstrapDifference;
  const d = result.deLong;
  assert.ok(low < d.difference && d.difference < high, `bootstrap interval ${low}..${high} misses the observed difference ${d.difference}`);
  const ratio = (high - low) / (d.differenceInterval.high - d.differenceInterval.low);
  assert.ok(ratio > 0.8 && ratio < 1.25, `bootstrap/DeLong interval width ratio ${ratio.toFixed(3)} is far from 1`);
  assert.equal(result.bootstrapDifference.undefinedReplicates, 0);
});

test('comparing models scored on different images is refused with the image named', () => {
  const { a, b } = pairs[0]!;
  const missing = b.slice(1).concat({ ...b[0]!, id: 'img-elsewhere' });
  assert.throws(() => compareAucs({ name: 'A', predictions: a }, { name: 'B', predictions: missing }), /Image img-0000 is missing from B/);
});
