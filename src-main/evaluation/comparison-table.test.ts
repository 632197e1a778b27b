// The multi-seed comparison table: per-seed metrics and their mean ± sd checked against sklearn and numpy,
// intervals around the mean, the median-AUC run chosen for figures, and the Markdown beside the paper's figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '../testing/python-oracle.ts';
import { comparisonMarkdown } from './comparison-markdown.ts';
import { buildComparisonTable, type ModelSeedRun } from './comparison-table.ts';
import { evaluate } from './evaluate.ts';
import { toScoredLabels } from './predictions.ts';
import { rescored, syntheticPredictions } from './synthetic-test-set.ts';

const testSet = syntheticPredictions({ positives: 60, negatives: 60, separation: 2, seed: 41, imagesPerPatient: 2 });
const strengths = { 'SSL-Quantum': 2.1, ResNet18: 1.4, SimpleCNN: 0.3 };
const runs: ModelSeedRun[] = Object.entries(strengths).flatMap(([model, separation], m) =>
  [0, 1, 2].map((seed) => ({ model, seed, threshold: 0.5, predictions: rescored(testSet, separation, 100 * m + seed, 3) })),
);
const table = buildComparisonTable(runs, { bootstrap: { replicates: 400 }, prevalence: 0.3 });

const SKLEARN_SEED_SUMMARY = `
import json, sys, numpy as np
from sklearn.metrics import accuracy_score, roc_auc_score, precision_recall_fscore_support, recall_score
out = {}
for run in json.load(sys.stdin):
    y = np.array(run['labels']); s = np.array(run['scores']); pred = (s >= run['threshold']).astype(int)
    pw, rw, fw, _ = precision_recall_fscore_support(y, pred, average='weighted', zero_division=0)
    row = {'accuracy': accuracy_score(y, pred), 'rocAuc': roc_auc_score(y, s), 'f1Weighted': fw, 'precisionWeighted': pw,
           'sensitivity': recall_score(y, pred), 'specificity': recall_score(y, pred, pos_label=0)}
    out.setdefault(run['model'], []).append(row)
print(json.dumps({m: {k: [float(np.mean([r[k] for r in rows])), float(np.std([r[k] for r in rows], ddof=1))]
                      for k in rows[0]} for m, rows in out.items()}))
`;

test('mean ± sd over seeds matches sklearn per-seed metrics averaged by numpy', () => {
  const oracle = runPython<Record<string, Record<string, [number, number]>>>(
    SKLEARN_SEED_SUMMARY,
    runs.map((r) => ({ model: r.model, threshold: r.threshold, ...toScoredLabels(r.predictions) })),
  );
  for (const summary of table.models) {
    for (const [metric, [mean, sd]] of Object.entries(oracle[summary.model]!)) {
      const ours = summary.metrics[metric as keyof typeof summary.metrics];
      assert.ok(Math.abs(ours.mean - mean) < 1e-12, `${summary.model} ${metric} mean ${ours.mean} vs ${mean}`);
      assert.ok(Math.abs(ours.sd - sd) < 1e-12, `${summary.model} ${metric} sd ${ours.sd} vs ${sd}`);
    }
  }
});

test('each seed-mean sits inside its patient-level bootstrap interval', () => {
  for (const summary of table.models) {
    for (const [metric, s] of Object.entries(summary.metrics)) {
      assert.ok(s.interval.low <= s.mean && s.mean <= s.interval.high, `${summary.model} ${metric}: ${s.mean} outside ${s.interval.low}..${s.interval.high}`);
      assert.equal(s.interval.resampledUnit, 'patient');
    }
  }
  assert.deepEqual(table.models.map((m) => m.model), ['SSL-Quantum', 'ResNet18', 'SimpleCNN']);
});

test('the representative run is the seed with the median AUC, fully evaluated', () => {
  for (const summary of table.models) {
    const aucs = runs
      .filter((r) => r.model === summary.model)
      .map((r) => ({ seed: r.seed, auc: evaluate(r.predictions, { threshold: r.threshold, bootstrap: false }).rocAuc }))
      .sort((a, b) => a.auc - b.auc);
    assert.equal(summary.representative.seed, aucs[1]!.seed);
    const e = summary.representative.evaluation;
    assert.equal(e.rocAuc, aucs[1]!.auc);
    assert.equal(e.predictiveValues.atPrevalence?.prevalence, 0.3);
    assert.ok(e.intervals && e.rocPoints.length > 2);
  }
});

test('Markdown lists every model with mean ± sd (interval) and then the published figures', () => {
  const markdown = comparisonMarkdown(table);
  const ssl = table.models[0]!.metrics.rocAuc;
  assert.match(markdown, /^\| Model \| Seeds \| Accuracy \| ROC AUC \| Sensitivity \| Specificity \| Precision \(support-weighted\)/);
  assert.ok(markdown.includes(`| SSL-Quantum | 3 | `));
  assert.ok(markdown.includes(`${ssl.mean.toFixed(3)} ± ${ssl.sd.toFixed(3)} (${ssl.interval.low.toFixed(3)}–${ssl.interval.high.toFixed(3)})`));
  assert.match(markdown, /400 resamples of patients/);
  assert.match(markdown, /\| SSL-Quantum \| 0\.8083 \| 0\.9381 \| 0\.9333 \| 0\.6833 \| 0\.8289 \| 0\.8083 \| 0\.8053 \| — \| — \|/);
  assert.match(markdown, /\| SimpleCNN \| 0\.5583 \| 0\.5781 \| — \| — \| — \| — \| 0\.5444 \| — \| — \|/);
  assert.match(markdown, /support-weighted averages over both classes/);
});

test('runs scored on different images cannot share a table', () => {
  const stray = { ...runs[1]!, predictions: runs[1]!.predictions.slice(1) };
  assert.throws(() => buildComparisonTable([runs[0]!, stray]), /covers 119 images but the reference covers 120/);
  assert.throws(() => buildComparisonTable([runs[0]!, runs[0]!]), /two runs with seed 0/);
});
