// Temperature, reliability bins and ECE against independent oracles run at test time on the same logits, written
// to a temporary file: torch's LBFGS minimising the NLL over T (as Guo et al.'s code does) and sklearn's
// calibration_curve for the bins.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython } from '../../testing/python-oracle.ts';
import { syntheticPredictions } from '../synthetic-test-set.ts';
import { calibrationReport, fitTemperature, logitOf, reliability, sigmoid } from './index.ts';

/** An over-confident model (logits stretched by `stretch`) and an under-confident one, on seeded binormal sets. */
function scoredSet(seed: number, stretch: number, positives: number, negatives: number) {
  const set = syntheticPredictions({ positives, negatives, separation: 1.6, seed });
  return { labels: set.map((p) => p.label), scores: set.map((p) => sigmoid(stretch * logitOf(p.score))) };
}

const ORACLE = `
import json, sys
import numpy as np, torch
from sklearn.calibration import calibration_curve
cases = json.load(open(json.load(sys.stdin)['path']))
out = []
for case in cases:
    z = torch.tensor(case['logits'], dtype=torch.float64); y = torch.tensor(case['labels'], dtype=torch.float64)
    t = torch.ones(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([t], lr=0.1, max_iter=500, tolerance_grad=1e-12, tolerance_change=1e-15, line_search_fn='strong_wolfe')
    loss_fn = torch.nn.BCEWithLogitsLoss()
    def closure():
        opt.zero_grad(); loss = loss_fn(z / t, y); loss.backward(); return loss
    for _ in range(5): opt.step(closure)
    p = np.array(case['probabilities']); labels = np.array(case['labels'])
    true, pred = calibration_curve(labels, p, n_bins=10, strategy='uniform')
    edges = np.linspace(0.0, 1.0, 11)
    ids = np.searchsorted(edges[1:-1], p)
    counts = np.bincount(ids, minlength=10); counts = counts[counts > 0]
    ece = float(np.sum(counts / len(p) * np.abs(true - pred)))
    out.append({'temperature': float(t.item()), 'nll': float(loss_fn(z / t, y).item()), 'true': true.tolist(), 'pred': pred.tolist(), 'counts': counts.tolist(), 'ece': ece})
print(json.dumps(out))
`;

test('T, NLL, reliability bins and ECE agree with torch LBFGS and sklearn calibration_curve', () => {
  const sets = [scoredSet(11, 3, 80, 120), scoredSet(12, 0.4, 60, 60), scoredSet(13, 1, 30, 170)];
  const cases = sets.map((s) => ({ logits: s.scores.map(logitOf), labels: s.labels, probabilities: s.scores }));
  const dir = mkdtempSync(join(tmpdir(), 'angio-calibration-'));
  try {
    const path = join(dir, 'logits.json');
    writeFileSync(path, JSON.stringify(cases));
    const oracle = runPython<{ temperature: number; nll: number; true: number[]; pred: number[]; counts: number[]; ece: number }[]>(ORACLE, { path });
    cases.forEach((c, i) => {
      const fit = fitTemperature(c.logits, c.labels);
      const want = oracle[i]!;
      assert.ok(Math.abs(fit.temperature - want.temperature) < 1e-5, `case ${i}: T ${fit.temperature} vs torch ${want.temperature}`);
      assert.ok(Math.abs(fit.nllAfter - want.nll) < 1e-9, `case ${i}: NLL ${fit.nllAfter} vs torch ${want.nll}`);
      const bins = reliability({ labels: c.labels, scores: c.probabilities }).bins.filter((b) => b.images > 0);
      assert.deepEqual(bins.map((b) => b.images), want.counts);
      bins.forEach((b, k) => {
        assert.ok(Math.abs(b.observedFraction! - want.true[k]!) < 1e-12);
        assert.ok(Math.abs(b.meanProbability! - want.pred[k]!) < 1e-12);
      });
      assert.ok(Math.abs(reliability({ labels: c.labels, scores: c.probabilities }).expectedCalibrationError - want.ece) < 1e-12);
    });
    // The stretched model is over-confident (T > 1), the squashed one under-confident (T < 1).
    assert.ok(oracle[0]!.temperature > 1.5 && oracle[1]!.temperature < 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scaling an over-confident model lowers test ECE and NLL and keeps the triage floor on validation', () => {
  const report = calibrationReport(scoredSet(21, 3, 150, 150), scoredSet(22, 3, 150, 150));
  assert.ok(report.fit.temperature > 1.5);
  assert.ok(report.test.after.expectedCalibrationError < report.test.before.expectedCalibrationError);
  assert.ok(report.test.nllAfter < report.test.nllBefore);
  const triage = report.operatingPoints.find((r) => r.rule === 'triage')!;
  const youden = report.operatingPoints.find((r) => r.rule === 'youden')!;
  assert.ok(triage.validation.sensitivity >= 0.9);
  assert.ok(triage.threshold <= youden.threshold);
});

test('a model without signal gets a bounded temperature that keeps every score distinct and in order', () => {
  const labels = Array.from({ length: 200 }, (_, i) => i % 2);
  // Logits independent of the labels: the unbounded NLL minimum is T → ∞, where every probability would be 0.5.
  const logits = Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 0.05);
  const fit = fitTemperature(logits, labels);
  assert.ok(fit.temperature <= 100, `T ${fit.temperature} is bounded`);
  const calibrated = logits.map((z) => sigmoid(z / fit.temperature));
  const order = (values: number[]) => values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  assert.deepEqual(order(calibrated), order(logits), 'the ranking is kept');
  assert.equal(new Set(calibrated).size, new Set(logits).size, 'no two images tie that did not tie before');
});
