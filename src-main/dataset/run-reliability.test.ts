// The Results screen's Fig. 7: drawn for the first compared run whose model file stores a temperature, from that
// run's own test predictions, its legend carrying ECE before and after; absent when no model file is calibrated.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { calibratedProbability, logitOf, reliability, sigmoid } from '../evaluation/index.ts';
import { syntheticPredictions } from '../evaluation/synthetic-test-set.ts';
import { decodeModelFile, modelCalibration, withCalibration } from '../inference/index.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { reliabilityFigure, type RunPredictions } from './run-results.ts';

test('Fig. 7 comes from the first calibrated run, with ECE before and after in its legend', async () => {
  const fixture = await fixtureModel(7);
  const plain = join(fixture.dir, 'plain.angio');
  writeFileSync(plain, fixture.bytes);
  const scores = syntheticPredictions({ positives: 50, negatives: 50, separation: 1.5, seed: 40 }).map((p) => ({ ...p, score: sigmoid(2 * logitOf(p.score)) }));
  const calibration = modelCalibration({ labels: scores.map((p) => p.label), scores: scores.map((p) => p.score) });
  const calibrated = join(fixture.dir, 'calibrated.angio');
  writeFileSync(calibrated, withCalibration(decodeModelFile(fixture.bytes), calibration));
  assert.equal(decodeModelFile(readFileSync(calibrated)).manifest.calibration?.temperature, calibration.temperature);

  const predictions: RunPredictions = {
    runId: 'b', model: 'ssl-quantum · mobilenet_v2', seed: 1, threshold: 0.5, testSet: '/data',
    predictions: scores.map((p) => ({ id: p.id, itemId: null, file: `${p.id}.png`, label: p.label, score: p.score })),
  };
  assert.equal(await reliabilityFigure([{ files: { inferenceModel: plain } }, { files: null }], [predictions, predictions]), null);
  const svg = await reliabilityFigure([{ files: { inferenceModel: plain } }, { files: { inferenceModel: calibrated } }], [predictions, predictions]);
  assert.ok(svg?.startsWith('<svg'));
  if (!svg) return;
  const labels = { labels: scores.map((p) => p.label) };
  const before = reliability({ ...labels, scores: scores.map((p) => p.score) }).expectedCalibrationError;
  const after = reliability({ ...labels, scores: scores.map((p) => calibratedProbability(p.score, calibration.temperature)) }).expectedCalibrationError;
  assert.ok(svg.includes(`as trained (ECE ${before.toFixed(3)})`), 'ECE as trained in the legend');
  assert.ok(svg.includes(`temperature ${calibration.temperature.toFixed(3)} (ECE ${after.toFixed(3)})`), 'T and ECE after in the legend');
});
