// `angio predict` run as a child process on real files: a P-ADSD patch is read whole and agrees with the inference
// service's own readout; a frame of the XA cine run is scanned, its candidates are the frame scan's top regions,
// inside the frame that dcmdump describes; failures are one {code, message} line on stderr with a non-zero exit.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import type { PredictDocument } from './angio-predict.ts';
import { failureOf, jsonOf, runAngio } from './testing/run-angio.ts';

const patch = join(sharedDataDir(), 'p-adsd', 'labeled', 'test', 'positive', '0001.png');
const cine = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
let modelPath: string;
let inference: InferenceService;

before(async () => {
  const model = await fixtureModel(7);
  modelPath = join(model.dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  inference = new InferenceService({ appRoot: process.cwd() });
});
after(() => inference?.close());

test('a patch is read whole: no candidates, and the numbers are the inference service\'s own readout', async () => {
  const doc = jsonOf<PredictDocument>(runAngio(['predict', patch, '--model', modelPath, '--json']));
  assert.deepEqual(Object.keys(doc).sort(), ['candidates', 'kind', 'ood', 'probability', 'threshold', 'uncertainty']);
  assert.equal(doc.kind, 'patch');
  assert.deepEqual(doc.candidates, []);
  assert.ok(doc.probability >= 0 && doc.probability <= 1, `probability ${doc.probability}`);
  const own = await inference.predict({ modelPath, imagePath: patch });
  assert.ok(Math.abs(doc.probability - own.probability) < 1e-6, `CLI ${doc.probability} vs service ${own.probability}`);
  assert.ok(Math.abs(doc.uncertainty - own.uncertainty.std) < 1e-6, `CLI ${doc.uncertainty} vs service ${own.uncertainty.std}`);
  assert.equal(doc.threshold, own.threshold);
  assert.equal(doc.ood, own.ood.outOfDistribution);
});

test('a cine frame is scanned: the candidates are the scan\'s top regions inside the frame, the best one scores it', async () => {
  const dump = runOracle('dcmdump', ['+P', 'Rows', '+P', 'Columns', cine], { subject: cine, encoding: 'latin1' }).stdout;
  const rows = Number(/\(0028,0010\) US (\d+)/.exec(dump)?.[1]);
  const columns = Number(/\(0028,0011\) US (\d+)/.exec(dump)?.[1]);
  assert.ok(rows > 96 && columns > 96, `dcmdump read ${columns}×${rows}`);
  const doc = jsonOf<PredictDocument>(runAngio(['predict', cine, '--frame', '40', '--model', modelPath, '--json']));
  assert.equal(doc.kind, 'scan');
  assert.ok(doc.candidates.length > 0, 'the scan reports candidates');
  for (const c of doc.candidates) {
    assert.deepEqual(Object.keys(c).sort(), ['frame', 'height', 'ood', 'probability', 'uncertainty', 'width', 'x', 'y']);
    assert.equal(c.frame, 40);
    assert.ok(c.x >= 0 && c.y >= 0 && c.x + c.width <= columns && c.y + c.height <= rows, `box ${JSON.stringify(c)} outside ${columns}×${rows}`);
    assert.ok(c.probability >= 0 && c.probability <= 1 && c.uncertainty >= 0 && typeof c.ood === 'boolean');
  }
  const best = doc.candidates.reduce((a, b) => (b.probability > a.probability ? b : a));
  assert.equal(doc.probability, best.probability);
  assert.equal(doc.uncertainty, best.uncertainty);
  assert.equal(doc.ood, best.ood);
  const scan = await inference.heatmap({ modelPath, imagePath: cine, frame: 40 }, { patchSize: 64 });
  assert.deepEqual(doc.candidates.map((c) => [c.x, c.y, c.width]).sort(), scan.regions.map((r) => [r.x, r.y, r.size]).sort(), 'candidates are the scan\'s top regions');
  assert.ok(Math.abs(doc.probability - scan.maxProbability) < 1e-5, `best candidate ${doc.probability} vs the scan's highest window ${scan.maxProbability}`);
});

test('without --json the readout is plain lines for people, with the window stated in pixels', () => {
  const run = runAngio(['predict', cine, '--frame', '40', '--model', modelPath]);
  assert.equal(run.status, 0, run.stderr);
  assert.throws(() => JSON.parse(run.stdout));
  assert.match(run.stdout, /windows of 64×64 pixels/);
  assert.match(run.stdout, /^candidate 1: frame 40, box x \d+ y \d+ 64×64 px, P\(stenosis\) 0\.\d{3} ± 0\.\d{3} \(MC dropout\)/m);
});

test('failures: one {code, message} line on stderr and a non-zero exit', () => {
  const missingModel = runAngio(['predict', patch, '--model', join(sharedDataDir(), 'no-such-model.angio'), '--json']);
  assert.equal(failureOf(missingModel).code, 'model-file-missing');
  const unknown = runAngio(['frobnicate', '--json']);
  assert.equal(failureOf(unknown).code, 'unknown-command');
  assert.equal(unknown.status, 2, 'a wrong call exits 2');
  const past = runAngio(['predict', cine, '--frame', '96', '--model', modelPath, '--json']);
  assert.equal(failureOf(past).code, 'invalid-input');
  assert.match(failureOf(past).message, /frames 0–95; frame 96 does not exist/);
  assert.equal(failureOf(runAngio(['predict', cine, '--frame', 'two', '--model', modelPath])).code, 'invalid-frame');
  assert.equal(failureOf(runAngio(['predict', patch, '--model', modelPath, '--colour'])).code, 'invalid-arguments');
});

test('--help lists every command and each command\'s usage', () => {
  const help = runAngio(['--help']);
  assert.equal(help.status, 0);
  for (const command of ['import', 'predict', 'report']) {
    assert.match(help.stdout, new RegExp(`angio ${command} `));
    const usage = runAngio([command, '--help']);
    assert.equal(usage.status, 0);
    assert.match(usage.stdout, new RegExp(`^usage: angio ${command} `));
  }
});
