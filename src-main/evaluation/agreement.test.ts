// Inter-reader agreement against independent oracles: Cohen's kappa against sklearn, Fleiss' kappa against a numpy
// computation of its definition, and the list of items readers labelled differently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../random/index.ts';
import { runPython } from '../testing/python-oracle.ts';
import { cohensKappa, disagreements, fleissKappa } from './index.ts';

test("Cohen's and Fleiss' kappa match sklearn and an independent numpy computation", () => {
  const random = seededRandom(3);
  const labels = ['positive', 'negative', 'unsure'];
  const first = Array.from({ length: 200 }, () => labels[random.below(3)]!);
  const second = first.map((label) => (random.next() < 0.7 ? label : labels[random.below(3)]!));
  const third = first.map((label) => (random.next() < 0.6 ? label : labels[random.below(3)]!));
  const oracle = runPython<{ cohen: number; fleiss: number }>(
    `
import json, sys, numpy as np
from sklearn.metrics import cohen_kappa_score
d = json.load(sys.stdin)
a, b, c = d['a'], d['b'], d['c']
cats = sorted(set(a) | set(b) | set(c))
counts = np.array([[row.count(k) for k in cats] for row in zip(a, b, c)], dtype=float)
n, r = counts.shape[0], 3
p_i = (np.sum(counts * counts, axis=1) - r) / (r * (r - 1))
p_j = counts.sum(axis=0) / (n * r)
fleiss = (p_i.mean() - np.sum(p_j ** 2)) / (1 - np.sum(p_j ** 2))
print(json.dumps({'cohen': cohen_kappa_score(a, b), 'fleiss': float(fleiss)}))
`,
    { a: first, b: second, c: third },
  );
  assert.ok(Math.abs(cohensKappa(first, second) - oracle.cohen) < 1e-12, `${cohensKappa(first, second)} vs ${oracle.cohen}`);
  const rows = first.map((label, i) => [label, second[i]!, third[i]!]);
  assert.ok(Math.abs(fleissKappa(rows) - oracle.fleiss) < 1e-12, `${fleissKappa(rows)} vs ${oracle.fleiss}`);
  assert.equal(cohensKappa(first, first), 1);
});

test('disagreements list the items readers labelled differently', () => {
  const found = disagreements([
    { itemId: 'x', reader: 'ana', label: 'positive' },
    { itemId: 'x', reader: 'ben', label: 'negative' },
    { itemId: 'y', reader: 'ana', label: 'negative' },
    { itemId: 'y', reader: 'ben', label: 'negative' },
  ]);
  assert.deepEqual(found, [{ itemId: 'x', labels: { ana: 'positive', ben: 'negative' } }]);
});
