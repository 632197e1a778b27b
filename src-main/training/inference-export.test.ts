// A finished run writes model.angio beside model.pt: the file the Viewer and Reports open. It must score like the
// engine (ONNX Runtime + simulator vs libtorch, same validation patches), and carry the run's record, from which
// the model card takes its validation metrics and provenance without rescoring anything.
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
import { analyseQuantumRun, quantumAnalysisMarkdown } from '../experiments/quantum-analysis.ts';
import { modelCardFor } from '../reports/model-card.ts';
import { parseTrainingConfig } from './config.ts';
import { loadLabeledSplit } from './dataset.ts';
import { loadEngine, sessionSpecFor } from './engine.ts';
import { INFERENCE_MODEL_FILE } from './inference-export.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { rocAuc } from './roc.ts';
import { executeRun } from './run-job.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { padsdSource } from './training-data.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-inference-export-'));
after(() => rmSync(root, { recursive: true, force: true }));
const source = padsdSource(sharedDataDir());
const noSignal = new AbortController().signal;

test('a MobileNetV2 SSL-Quantum run writes model.angio that scores like the engine and carries the run record', { timeout: 300_000 }, async () => {
  const input = { ...SMALL_RUN_CONFIG, encoder: 'mobilenet_v2' as const, imageSize: 64, quantum: { qubits: 4, layers: 2 } };
  const runDir = join(root, 'mobilenet');
  const result = await executeRun({ runDir, config: input, source, resume: false }, noSignal, () => {});
  assert.equal(result.status, 'completed');
  assert.equal(result.files.inferenceModel, join(runDir, INFERENCE_MODEL_FILE));
  const model = decodeModelFile(readFileSync(result.files.inferenceModel as string));
  const record = model.manifest.record;
  assert.ok(record, 'the run record is in the manifest');
  assert.deepEqual(record.images, { train: 1000, validation: 300, pretraining: 1200 });
  assert.equal(record.method, 'ssl-quantum');
  // Binary runs ship temperature scaling fitted on validation: the threshold is the run's, carried onto that scale.
  const temperature = model.manifest.calibration?.temperature;
  assert.ok(temperature !== undefined && temperature > 0, 'a temperature fitted on validation');
  assert.equal(model.manifest.threshold.toFixed(6), calibratedProbability(result.metrics!.threshold.threshold, temperature).toFixed(6), 'the threshold chosen on validation');

  // The engine's validation scores with the exported (best) weights, against the inference path on the same patches.
  const config = parseTrainingConfig(input);
  const val = loadLabeledSplit(source.labeledRoot, 'val', preprocessingSpec(64));
  const session = new (loadEngine().TrainingSession)(sessionSpecFor(config, preprocessingSpec(64)));
  await session.importModel(result.files.model as string);
  session.setImages('val', val.pixels, val.labels, 64);
  const engineScores = await session.predict('val');
  const runtime = await ClassifierRuntime.load(model);
  try {
    const images = Array.from({ length: val.count }, (_, i) => ({ width: 64, height: 64, pixels: val.pixels.subarray(i * 4096, (i + 1) * 4096) }));
    const readouts = await readImages(runtime, images);
    let worst = 0;
    readouts.forEach((r, i) => (worst = Math.max(worst, Math.abs(r.probability - calibratedProbability(engineScores[i]!, temperature)))));
    assert.ok(worst <= 1e-4, `inference differs from the engine by ${worst}`);

    const card = await modelCardFor(runtime, null);
    const auc = card.validation.find((m) => m.metric === 'ROC AUC');
    assert.ok(auc && Math.abs(auc.value - result.metrics!.valAuc) < 1e-9, `card AUC ${auc?.value} vs the run's ${result.metrics!.valAuc}`);
    assert.ok(auc.low <= auc.value && auc.value <= auc.high && auc.high - auc.low > 0.01, 'a real interval');
    assert.deepEqual(card.validation.map((m) => m.metric), ['ROC AUC', 'Accuracy', 'Sensitivity', 'Specificity']);
    assert.match(card.validationNote, /300 images \(150 with stenosis\)/);
    assert.match(card.validationNote, /on 1000 labelled images, SimCLR pretraining on 1200 images/);
    assert.equal(card.trainingImages, 1000);
  } finally {
    await runtime.release();
  }

  // The experiment's quantum analysis of the same run, through the same inference path, on the test split.
  const test = loadLabeledSplit(source.labeledRoot, 'test', preprocessingSpec(64));
  const train = loadLabeledSplit(source.labeledRoot, 'train', preprocessingSpec(64));
  const planned = { model: 'ssl-quantum' as const, label: 'SSL-Quantum', seed: config.seed, config };
  const analysis = await analyseQuantumRun(loadEngine(), planned, result.files.model as string, result.metrics!.threshold.threshold, { train, test });
  // Per image, not by AUC: a barely trained model's scores nearly tie, and 1e-6 reorders them.
  session.setImages('test', test.pixels, test.labels, 64);
  const engineTestScores = await session.predict('test');
  const testWorst = Math.max(...analysis.scores.map((s, i) => Math.abs(s - engineTestScores[i]!)));
  assert.ok(testWorst <= 1e-4, `the analysis scores differ from the engine by ${testWorst}`);
  assert.equal(analysis.aucWithQuantum, rocAuc(Float32Array.from(analysis.scores), test.labels as Int32Array));
  assert.ok(analysis.aucQuantumAblated >= 0 && analysis.aucQuantumAblated <= 1);
  assert.equal(analysis.contributions.length, 300);
  assert.ok(analysis.contributions.some((c: number) => c !== 0), 'the quantum path moves some scores');
  const alpha = session.parameters(false).find((p) => p.name === 'classifier.fusion.alpha')!.values[0]!;
  assert.equal(analysis.alpha, alpha);
  assert.equal(analysis.zPositive.length, 4);
  assert.ok([...analysis.zPositive, ...analysis.zNegative].every((z) => z >= -1 && z <= 1));
  assert.match(quantumAnalysisMarkdown('SSL-Quantum', [analysis]), /\| q3 \|[\s\S]*\| stenosis \|/);
});

test('a ResNet18 supervised run writes model.angio too: every encoder the engine trains has an ONNX writer', { timeout: 300_000 }, async () => {
  const runDir = join(root, 'resnet');
  const input = { ...SMALL_RUN_CONFIG, method: 'supervised' as const, encoder: 'resnet18' as const };
  const result = await executeRun({ runDir, config: input, source, resume: false }, noSignal, () => {});
  assert.equal(result.status, 'completed');
  assert.equal(result.inferenceModelSkipped, undefined, `export skipped: ${result.inferenceModelSkipped}`);
  assert.equal(result.files.inferenceModel, join(runDir, INFERENCE_MODEL_FILE));
  const model = decodeModelFile(readFileSync(result.files.inferenceModel as string));
  assert.equal(model.manifest.architecture.encoder, 'resnet18');
  assert.equal(model.manifest.architecture.circuit, null, 'a supervised run has no quantum layer');
  assert.equal(model.manifest.record?.method, 'supervised');
  const runtime = await ClassifierRuntime.load(model);
  try {
    assert.equal(runtime.featureDim, 512);
    assert.equal(model.manifest.training.featureMean.length, 512, 'feature statistics over ResNet18 features');
  } finally {
    await runtime.release();
  }
});
