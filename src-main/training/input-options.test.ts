// A run trained with the input options (native scale in a padded canvas, per-image normalisation) records them in
// run.json and in model.angio, and the app's inference path, starting from the raw PNG files, applies them: its
// probabilities equal the engine's own on the images training prepared. The same file read with the default
// preprocessing scores differently, so the match is the options at work, not a coincidence.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { calibratedProbability } from '../evaluation/index.ts';
import { readImages } from '../inference/image-readouts.ts';
import { decodeModelFile } from '../inference/model-file/model-file.ts';
import { ClassifierRuntime } from '../inference/runtime/classifier-runtime.ts';
import { readGreyPng } from '../inference/testing/padsd.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { parseTrainingConfig } from './config.ts';
import { loadLabeledSplit } from './dataset.ts';
import { loadEngine, sessionSpecFor } from './engine.ts';
import { executeRun } from './run-job.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { padsdSource } from './training-data.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-input-options-'));
after(() => rmSync(root, { recursive: true, force: true }));
const source = padsdSource(sharedDataDir());

test('native scale and per-image normalisation travel with the model and inference applies them', { timeout: 300_000 }, async () => {
  const input = { ...SMALL_RUN_CONFIG, imageSize: 64, input: { fit: 'pad' as const, normalisation: 'per-image' as const } };
  const runDir = join(root, 'run');
  const result = await executeRun({ runDir, config: input, source, resume: false }, new AbortController().signal, () => {});
  assert.equal(result.status, 'completed');
  const spec = preprocessingSpec(64, input.input);
  assert.deepEqual(spec, { version: 'patch-v2', size: 64, mean: 0.5, std: 0.25, fit: 'pad', normalisation: 'per-image' });
  assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).preprocessing, spec, 'run.json records the options');
  const model = decodeModelFile(readFileSync(result.files.inferenceModel as string));
  assert.deepEqual(model.manifest.preprocessing, spec, 'model.angio records the options');
  const temperature = model.manifest.calibration?.temperature ?? 1;

  // The engine's scores on the test split as training prepared it.
  const config = parseTrainingConfig(input);
  const test = loadLabeledSplit(source.labeledRoot, 'test', spec);
  const session = new (loadEngine().TrainingSession)(sessionSpecFor(config, spec));
  await session.importModel(result.files.model as string);
  session.setImages('test', test.pixels, test.labels, 64);
  const engine = await session.predict('test');
  session.close();

  // The app's path: the raw files, prepared by the model file's own spec.
  const raw = test.files.map(readGreyPng);
  assert.ok(raw.some((image) => Math.max(image.width, image.height) < 64) && raw.some((image) => Math.max(image.width, image.height) > 64), 'patches both smaller and larger than the canvas');
  const runtime = await ClassifierRuntime.load(model);
  const asDefault = await ClassifierRuntime.load({ ...model, manifest: { ...model.manifest, preprocessing: preprocessingSpec(64) } });
  try {
    const app = await readImages(runtime, raw);
    const worst = Math.max(...app.map((r, i) => Math.abs(r.probability - calibratedProbability(engine[i]!, temperature))));
    assert.ok(worst <= 1e-4, `the app's prediction differs from the engine's by ${worst}`);
    const plain = await readImages(asDefault, raw);
    const moved = Math.max(...plain.map((r, i) => Math.abs(r.probability - app[i]!.probability)));
    assert.ok(moved > 1e-3, `the default preprocessing scores the same files within ${moved}: the options changed nothing`);
  } finally {
    await runtime.release();
    await asDefault.release();
  }
});
