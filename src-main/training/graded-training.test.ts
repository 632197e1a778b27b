// A graded class list through the engine: a folder with classes.json trains a K-class head (here the product's
// quantum head), the run records per-class metrics beside the any-stenosis ones, and model.angio carries the class
// names and scores every class like the engine. P-ADSD has no grades, so its positives are split into two
// stand-in grades by name order: the test checks the plumbing and the arithmetic, not what grades can be learnt.
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { gradedEvaluation } from '../evaluation/graded-metrics.ts';
import { decodeModelFile } from '../inference/model-file/model-file.ts';
import { ClassifierRuntime } from '../inference/runtime/classifier-runtime.ts';
import { parseTrainingConfig } from './config.ts';
import { loadLabeledSplit } from './dataset.ts';
import { loadEngine, sessionSpecFor } from './engine.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { rocAuc } from './roc.ts';
import { executeRun } from './run-job.ts';
import { CLASSES_FILE, readTrainingClassList } from './training-classes.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-graded-'));
after(() => rmSync(root, { recursive: true, force: true }));
const padsd = join(sharedDataDir(), 'p-adsd', 'labeled');
const CLASSES = [
  { name: 'no stenosis', folder: 'negative' },
  { name: 'stenosis grade A', folder: 'class-1' },
  { name: 'stenosis grade B', folder: 'class-2' },
];
const SIZES = { train: 80, val: 30, test: 30 } as const;

/** negative: the first n; positives: the first n, alternately grade A and B. */
function gradedFolder(): string {
  const labeled = join(root, 'labeled');
  for (const [part, n] of Object.entries(SIZES)) {
    const pick = (cls: string) => readdirSync(join(padsd, part, cls)).filter((f) => f.endsWith('.png')).sort().slice(0, n);
    for (const folder of ['negative', 'class-1', 'class-2']) mkdirSync(join(labeled, part, folder), { recursive: true });
    for (const f of pick('negative')) linkSync(join(padsd, part, 'negative', f), join(labeled, part, 'negative', f));
    pick('positive').forEach((f, i) => linkSync(join(padsd, part, 'positive', f), join(labeled, part, i % 2 === 0 ? 'class-1' : 'class-2', f)));
  }
  writeFileSync(join(labeled, CLASSES_FILE), JSON.stringify({ format: 'angio-classes-1', classes: CLASSES }));
  return labeled;
}

test('a graded class list trains a three-class quantum head whose metrics and model file carry every class', { timeout: 300_000 }, async () => {
  const labeledRoot = gradedFolder();
  const input = {
    method: 'ssl-quantum' as const, encoder: 'simple_cnn' as const, imageSize: 32, batchSize: 16, seed: 5,
    quantum: { qubits: 4, layers: 2 }, pretrain: { epochs: 0 }, finetune: { headEpochs: 1, epochs: 3, patience: 5 },
  };
  const runDir = join(root, 'run');
  const result = await executeRun({ runDir, config: input, source: { labeledRoot, unlabeledDir: null }, resume: false }, new AbortController().signal, () => {});
  assert.equal(result.status, 'completed');
  const graded = result.metrics!.graded!;
  assert.deepEqual(graded.classNames, CLASSES.map((c) => c.name));
  assert.deepEqual(graded.test.perClass.map((c) => c.support), [30, 15, 15], 'each class its folder');
  assert.equal(graded.test.confusion.flat().reduce((a, b) => a + b, 0), 60);

  // The engine's class probabilities from the final weights give the recorded metrics; "any stenosis" is 1 − P(no stenosis).
  const config = parseTrainingConfig(input);
  const preprocessing = preprocessingSpec(32);
  const test = loadLabeledSplit(labeledRoot, 'test', preprocessing);
  assert.deepEqual(Array.from(new Set(test.classes)).sort(), [0, 1, 2]);
  assert.deepEqual(Array.from(test.labels!), Array.from(test.classes!, (c) => (c > 0 ? 1 : 0)), 'labels are any stenosis');
  const session = new (loadEngine().TrainingSession)(sessionSpecFor(config, preprocessing, 3));
  assert.equal(session.classCount(), 3);
  await session.importModel(result.files.model as string);
  session.setImages('test', test.pixels, test.classes, 32);
  const probabilities = await session.predictClasses('test');
  const anyStenosis = await session.predict('test');
  assert.equal(probabilities.length, 60 * 3);
  for (let i = 0; i < 60; i++) {
    const row = probabilities.subarray(3 * i, 3 * i + 3);
    assert.ok(Math.abs(row[0]! + row[1]! + row[2]! - 1) < 1e-5, 'a softmax row');
    assert.ok(Math.abs(anyStenosis[i]! - (1 - row[0]!)) < 1e-6, 'predict gives P(any stenosis)');
  }
  const rows = Array.from({ length: 60 }, (_, i) => ({ id: test.files[i]!, label: test.classes![i]!, probabilities: Array.from(probabilities.subarray(3 * i, 3 * i + 3)) }));
  assert.deepEqual(gradedEvaluation(rows, graded.classNames), graded.test, 'the recorded test metrics are the model file’s');
  assert.equal(result.metrics!.testAuc, rocAuc(anyStenosis, test.labels!), 'test AUC is the any-stenosis AUC');

  // model.angio: the class names, and ONNX Runtime + simulator give the engine's class probabilities.
  const model = decodeModelFile(readFileSync(result.files.inferenceModel as string));
  assert.deepEqual(model.manifest.architecture.classNames, graded.classNames);
  const runtime = await ClassifierRuntime.load(model);
  try {
    const views = session.previewViews('test', Int32Array.from({ length: 60 }, (_, i) => i), 0, 0, false);
    const predicted = await runtime.predict(views, 60);
    let worst = 0;
    predicted.classProbabilities!.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - probabilities[i]!))));
    assert.ok(worst <= 1e-4, `inference differs from the engine by ${worst}`);
    predicted.probability.forEach((p, i) => assert.ok(Math.abs(p - anyStenosis[i]!) <= 1e-4));
  } finally {
    await runtime.release();
  }
});

test('graded input errors are typed: a bad classes.json, a label outside the head, class weights of the wrong length', async () => {
  const bad = join(root, 'bad');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, CLASSES_FILE), JSON.stringify({ format: 'angio-classes-1', classes: [{ name: 'stenosis', folder: 'positive' }, { name: 'no stenosis', folder: 'negative' }] }));
  assert.throws(() => readTrainingClassList(bad), { code: 'dataset-classes-invalid', message: /no-stenosis class \(folder "negative"\) first/ });
  writeFileSync(join(bad, CLASSES_FILE), '{"format": "angio-classes-1", "classes": [');
  assert.throws(() => readTrainingClassList(bad), { code: 'dataset-classes-invalid' });

  const session = new (loadEngine().TrainingSession)(sessionSpecFor(parseTrainingConfig({ encoder: 'simple_cnn', imageSize: 32 }), preprocessingSpec(32), 3));
  const pixels = new Uint8Array(4 * 32 * 32);
  assert.throws(() => session.setImages('train', pixels, Int32Array.from([0, 1, 2, 3]), 32), { code: 'invalid-batch', message: /outside 0\.\.2/ });
  session.setImages('train', pixels, Int32Array.from([0, 1, 2, 0]), 32);
  assert.throws(
    () => session.configureStage({ kind: 'supervised', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 1, warmupSteps: 0, classWeights: [1, 1] }),
    { code: 'invalid-config', message: /exactly 3 values/ },
  );
});
