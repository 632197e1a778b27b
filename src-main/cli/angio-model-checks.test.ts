// `angio calibrate` and `angio evaluate-shifts` as a user runs them, on a small labelled root (8 patches per class
// and split, linked from P-ADSD) and the seeded reference model: the --json shapes the usage states, a calibrated
// model file that shows σ(logit(p)/T) for the network's own p and calls exactly the same images positive, and one
// row per catalogued shift.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { allShifts, calibratedProbability, rocAuc } from '../evaluation/index.ts';
import { ClassifierRuntime, decodeModelFile } from '../inference/index.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { readLabelledSplit, scorePatches } from '../model-evaluation/index.ts';
import { linkLabelledSubset } from './testing/labelled-subset.ts';
import { jsonOf, runAngio, failureOf } from './testing/run-angio.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-model-checks-'));
const labelled = join(root, 'labeled');
let modelPath: string;
after(() => rmSync(root, { recursive: true, force: true }));

before(async () => {
  linkLabelledSubset(labelled);
  const model = await fixtureModel(7);
  modelPath = join(root, 'model.angio');
  writeFileSync(modelPath, model.bytes);
});

test('calibrate --json: the stated shape, and the written model shows calibrated probabilities with the same decisions', { timeout: 120_000 }, async () => {
  const out = join(root, 'calibrated.angio');
  const doc = jsonOf<Record<string, any>>(runAngio(['calibrate', '--model', modelPath, '--data', labelled, '--out', out, '--json']));
  assert.deepEqual(Object.keys(doc).sort(), ['figure', 'model', 'operatingPoints', 'temperature', 'test', 'validation', 'written']);
  assert.deepEqual(Object.keys(doc.validation).sort(), ['eceAfter', 'eceBefore', 'images', 'nllAfter', 'nllBefore']);
  assert.deepEqual(Object.keys(doc.test).sort(), ['binsAfter', 'binsBefore', 'eceAfter', 'eceBefore', 'eceIntervals', 'images', 'nllAfter', 'nllBefore']);
  assert.deepEqual(doc.operatingPoints.map((p: { rule: string }) => p.rule), ['youden', 'triage']);
  assert.ok(doc.operatingPoints[1].validation.sensitivity >= 0.9);
  assert.equal(doc.written, out);
  assert.ok(doc.validation.nllAfter <= doc.validation.nllBefore + 1e-12, 'T minimises the validation NLL, so it cannot raise it');

  const original = decodeModelFile(readFileSync(modelPath));
  const calibrated = decodeModelFile(readFileSync(out));
  assert.equal(calibrated.manifest.calibration?.temperature, doc.temperature);
  assert.notEqual(calibrated.manifest.modelVersion, original.manifest.modelVersion);
  const test = await readLabelledSplit(labelled, 'test');
  const [raw, shown] = [await ClassifierRuntime.load(original), await ClassifierRuntime.load(calibrated)];
  try {
    const before = await scorePatches(raw, test);
    const afterScores = await scorePatches(shown, test);
    const networkOwn = await scorePatches(shown, test, { calibrated: false });
    before.forEach((p, i) => {
      assert.ok(Math.abs(networkOwn[i]!.score - p.score) < 1e-7, 'the network itself is unchanged');
      assert.ok(Math.abs(afterScores[i]!.score - calibratedProbability(p.score, doc.temperature)) < 1e-6, `image ${i}: σ(logit(p)/T)`);
      assert.equal(afterScores[i]!.score >= calibrated.manifest.threshold, p.score >= original.manifest.threshold, `image ${i}: the same decision`);
    });
    const scored = (ps: typeof before) => ({ labels: ps.map((p) => p.label), scores: ps.map((p) => p.score) });
    assert.ok(Math.abs(rocAuc(scored(before)) - rocAuc(scored(afterScores))) < 1e-12, 'AUC unchanged');
  } finally {
    await raw.release();
    await shown.release();
  }
});

test('evaluate-shifts --json: one row per catalogued shift, each AUC inside its interval', { timeout: 300_000 }, () => {
  const doc = jsonOf<Record<string, any>>(runAngio(['evaluate-shifts', '--model', modelPath, '--data', labelled, '--replicates', '100', '--json']));
  assert.deepEqual(Object.keys(doc).sort(), ['figure', 'images', 'model', 'positives', 'replicates', 'shifts', 'split', 'unshifted']);
  assert.deepEqual([doc.images, doc.positives, doc.split], [16, 8, 'test']);
  assert.deepEqual(doc.shifts.map((r: { family: string; parameter: number }) => `${r.family} ${r.parameter}`), allShifts().map((s) => `${s.family} ${s.parameter}`));
  for (const row of doc.shifts) {
    assert.deepEqual(Object.keys(row).sort(), ['auc', 'difference', 'differenceHigh', 'differenceLow', 'family', 'high', 'label', 'low', 'parameter']);
    assert.ok(row.low <= row.auc + 1e-12 && row.auc <= row.high + 1e-12, `${row.label}: ${row.auc} in ${row.low}–${row.high}`);
    assert.ok(Math.abs(row.difference - (row.auc - doc.unshifted.auc)) < 1e-12);
  }
});

test('a missing --data is a usage error naming the option', () => {
  const failure = failureOf(runAngio(['evaluate-shifts', '--model', modelPath]));
  assert.equal(failure.code, 'data-missing');
});
