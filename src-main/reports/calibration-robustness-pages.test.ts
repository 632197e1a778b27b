// The experiment report's calibration page from a record whose quantum run stores a temperature (T, ECE before and
// after, both thresholds with the test sensitivity and specificity counted here from the scaled scores, Fig. 7), and
// its robustness page from a run scored under shifts (the table and Fig. 8); read back with poppler's pdftotext and
// pdfimages.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { calibratedProbability, fitTemperature, logitOf, reliability, sigmoid, thresholdForSensitivity, youdenThreshold } from '../evaluation/index.ts';
import { syntheticPredictions } from '../evaluation/synthetic-test-set.ts';
import { experimentPdf } from './experiment-pdf.ts';
import type { ExperimentRecord } from './experiment.ts';
import { pdfImages, pdfText } from './testing/oracles.ts';

const dir = mkdtempSync(join(tmpdir(), 'angio-calibration-pdf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An over-confident model: binormal scores with logits stretched 2.5×. */
const overConfident = (seed: number) =>
  syntheticPredictions({ positives: 60, negatives: 60, separation: 1.5, seed }).map((p) => ({ ...p, score: sigmoid(2.5 * logitOf(p.score)) }));

test('the calibration page states T, ECE before and after and both thresholds with their test rates, beside Fig. 7', async () => {
  const val = overConfident(31);
  const test = overConfident(32);
  const { temperature } = fitTemperature(val.map((p) => logitOf(p.score)), val.map((p) => p.label));
  const scaledVal = { labels: val.map((p) => p.label), scores: val.map((p) => calibratedProbability(p.score, temperature)) };
  const triage = thresholdForSensitivity(scaledVal, 0.9);
  const youden = youdenThreshold(scaledVal);
  const run = (model: string, calibrated: boolean): ExperimentRecord['runs'][number] => ({
    model, seed: 1, threshold: 0.5, predictions: test.map(({ id, label, score }) => ({ id, label, score })),
    ...(calibrated ? { calibration: { temperature, triage: { targetSensitivity: 0.9, ...triage }, youden } } : {}),
  });
  const experiment: ExperimentRecord = {
    title: 'Calibration page', createdAt: new Date().toISOString(), runs: [run('SSL (no quantum)', false), run('SSL-Quantum', true)],
    quantum: { model: 'SSL-Quantum', classicalAblation: null, circuit: { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false }, contributions: [], analyses: [] },
    configuration: {},
    provenance: { dataset: 'synthetic', source: 'binormal scores', license: 'n/a', splits: { test: 120 }, patientLevelSplit: false, notes: [], codeVersion: 'test' },
  };
  const path = join(dir, 'report.pdf');
  writeFileSync(path, await experimentPdf(experiment, new Date()));
  const flat = pdfText(path).replace(/\s+/g, ' ');

  const scaled = test.map((p) => calibratedProbability(p.score, temperature));
  const rate = (threshold: number) => {
    const positives = test.filter((p) => p.label === 1);
    const negatives = test.filter((p) => p.label === 0);
    const called = (p: (typeof test)[number]) => scaled[test.indexOf(p)]! >= threshold;
    return `${(positives.filter(called).length / positives.length).toFixed(3)} / ${(negatives.filter((p) => !called(p)).length / negatives.length).toFixed(3)}`;
  };
  const ece = (scores: number[]) => reliability({ labels: test.map((p) => p.label), scores }).expectedCalibrationError.toFixed(3);
  assert.ok(temperature > 1.2, `an over-confident model gets T > 1 (${temperature})`);
  for (const phrase of [
    'Calibration',
    `T = ${temperature.toFixed(3)} for SSL-Quantum seed 1`,
    `${ece(test.map((p) => p.score))} as trained, ${ece(scaled)} after scaling`,
    `${youden.threshold.toFixed(3)} ${youden.sensitivity.toFixed(3)} / ${youden.specificity.toFixed(3)} ${rate(youden.threshold)}`,
    `${triage.threshold.toFixed(3)} ${triage.sensitivity.toFixed(3)} / ${triage.specificity.toFixed(3)} ${rate(triage.threshold)}`,
    'Figure 7. Reliability diagram',
  ]) assert.ok(flat.includes(phrase), `the report lacks "${phrase}"`);
  assert.ok(triage.sensitivity >= 0.9);
  assert.equal(pdfImages(path).length, 5, 'Figures 1-4 and Fig. 7');
});

test('the robustness page tables every shift with its interval and paired difference, beside Fig. 8', async () => {
  const predictions = overConfident(33).map(({ id, label, score }) => ({ id, label, score }));
  const shifts = {
    images: 120, positives: 60, replicates: 1000, unshifted: { auc: 0.81, low: 0.74, high: 0.88 },
    shifts: [
      { family: 'gamma', parameter: 2, label: 'gamma 2', auc: 0.72, low: 0.63, high: 0.8, difference: -0.09, differenceLow: -0.14, differenceHigh: -0.04 },
      { family: 'jpeg', parameter: 50, label: 'JPEG quality 50', auc: 0.815, low: 0.75, high: 0.88, difference: 0.005, differenceLow: -0.01, differenceHigh: 0.02 },
    ],
  };
  const experiment: ExperimentRecord = {
    title: 'Robustness page', createdAt: new Date().toISOString(), runs: [{ model: 'SSL-Quantum', seed: 2, threshold: 0.5, predictions, shifts }],
    quantum: { model: 'SSL-Quantum', classicalAblation: null, circuit: { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false }, contributions: [], analyses: [] },
    configuration: {},
    provenance: { dataset: 'synthetic', source: 'binormal scores', license: 'n/a', splits: { test: 120 }, patientLevelSplit: false, notes: [], codeVersion: 'test' },
  };
  const path = join(dir, 'robustness.pdf');
  writeFileSync(path, await experimentPdf(experiment, new Date()));
  const flat = pdfText(path).replace(/\s+/g, ' ');
  for (const phrase of [
    'Robustness to shifted images', 'SSL-Quantum seed 2 on the 120 test images (60 with stenosis)', 'none 0.810 (0.740 - 0.880)',
    'gamma 2 0.720 (0.630 - 0.800) -0.090 (-0.140 to -0.040)', 'JPEG quality 50 0.815 (0.750 - 0.880) +0.005 (-0.010 to 0.020)', 'Figure 8.',
  ]) assert.ok(flat.includes(phrase), `the report lacks "${phrase}"`);
  assert.equal(pdfImages(path).length, 5, 'Figures 1-4 and Fig. 8');
});
