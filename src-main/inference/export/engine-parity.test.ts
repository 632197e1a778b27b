// Parity with the libtorch engine: for every encoder the engine trains, a briefly trained engine model, exported
// from its own parameters, scores the same P-ADSD patches through ONNX Runtime + the native simulator as the
// engine's Predict does, to 1e-4, and Debian's onnx checker (full check) accepts every exported graph.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadEngine, type SessionSpec } from '../../training/engine.ts';
import { preprocessingSpec } from '../../preprocessing/index.ts';
import { readImages, prepareBatch } from '../image-readouts.ts';
import { decodeModelFile, type ModelFile } from '../model-file/model-file.ts';
import { preprocessImage, type GreyImage } from '../preprocess.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { onnxCheckerErrors } from '../testing/torch-oracle.ts';
import type { EncoderName } from './architecture.ts';
import { engineArchitecture, engineWeights } from './engine-model.ts';
import { exportClassifier } from './export-classifier.ts';

const TOLERANCE = 1e-4;

interface ParityCase {
  encoder: EncoderName;
  quantumFusion: boolean;
  imageSize: number;
  /** Supervised steps of 8 images: enough for eval-mode BatchNorm to tell images apart (see below). */
  steps: number;
}

// An untrained MobileNetV2's depthwise activations are tiny; BatchNorm's running variance (momentum 0.1, from 1)
// needs on the order of 100 steps to come down to them, before that every image gets the same eval-mode score.
// EfficientNet-B0's depthwise convs behave alike (its scores spread from about 60 steps on); ResNet18 and SimpleCNN
// separate images after a few steps. 16-pixel patches still leave every encoder a map of at least 1 × 1 to pool.
const CASES: ParityCase[] = [
  { encoder: 'mobilenet_v2', quantumFusion: true, imageSize: 64, steps: Number(process.env.PARITY_STEPS ?? 120) },
  { encoder: 'resnet18', quantumFusion: false, imageSize: 16, steps: 10 },
  { encoder: 'resnet18', quantumFusion: true, imageSize: 16, steps: 10 },
  { encoder: 'simple_cnn', quantumFusion: false, imageSize: 16, steps: 20 },
  { encoder: 'simple_cnn', quantumFusion: true, imageSize: 16, steps: 20 },
  { encoder: 'efficientnet_b0', quantumFusion: true, imageSize: 16, steps: 75 },
];

function uint8Set(images: GreyImage[], size: number): Uint8Array {
  const out = new Uint8Array(images.length * size * size);
  images.forEach((image, i) => out.set(preprocessImage(image, preprocessingSpec(size)).patch, i * size * size));
  return out;
}

/** Real patches alone barely move an untrained encoder's features; inverted patches and noise at several contrasts spread the scores. */
function evaluationImages(size: number): GreyImage[] {
  const patches = labelledPatches('val', 2).map((p) => ({ width: size, height: size, pixels: preprocessImage(p.image, preprocessingSpec(size)).patch }));
  const inverted = patches.map((p) => ({ ...p, pixels: p.pixels.map((v) => 255 - v) }));
  let state = 12345;
  const noise = [20, 60, 120].map((contrast) => ({
    width: size,
    height: size,
    pixels: new Uint8Array(size * size).map(() => {
      state = (state * 1103515245 + 12345) >>> 0;
      return 128 + Math.round(((state >>> 16) / 65536 - 0.5) * 2 * contrast);
    }),
  }));
  return [...patches, ...inverted, ...noise];
}

function checkGraphs(file: ModelFile): void {
  const dir = mkdtempSync(join(tmpdir(), 'angio-parity-'));
  try {
    const paths = Object.entries(file.graphs).map(([part, bytes]) => {
      const path = join(dir, `${part}.onnx`);
      writeFileSync(path, bytes);
      return path;
    });
    for (const [path, error] of Object.entries(onnxCheckerErrors(paths))) assert.equal(error, null, `onnx checker rejected ${path}: ${error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function worstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'lengths differ');
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

for (const { encoder, quantumFusion, imageSize: S, steps } of CASES) {
  test(`engine ${encoder} ${quantumFusion ? 'SSL-quantum' : 'classical'} classifier and its ONNX export agree to 1e-4 on the same patches`, async (t) => {
    const engine = loadEngine();
    const spec: SessionSpec = {
      model: { encoder, quantumFusion, qubits: 4, layers: 2, rotation: 'Rot', entangler: 'CnotRing', reupload: false, alphaInit: 0.5 },
      augment: { mean: 0.5, std: 0.25 },
      imageSize: S,
      seed: 5,
      threads: 2,
      deterministic: true,
    };
    const session = new engine.TrainingSession(spec);
    const train = labelledPatches('train', 16);
    session.setImages('train', uint8Set(train.map((p) => p.image), S), Int32Array.from(train.map((p) => p.label)), S);
    session.configureStage({ kind: 'supervised', imageSet: 'train', learningRate: 3e-3, weightDecay: 1e-4, totalSteps: steps, warmupSteps: 0 });
    for (let step = 0; step < steps; step++) await session.step(Int32Array.from({ length: 8 }, (_, i) => (i * 4 + step) % 32));
    const evaluation = evaluationImages(S);
    session.setImages('eval', uint8Set(evaluation, S), null, S);
    const expected = await session.predict('eval');
    const expectedFeatures = await session.embed('eval');

    const weights = engineWeights(session.parameters(true));
    const architecture = engineArchitecture(spec, weights);
    assert.equal(architecture.encoder, encoder);
    const bytes = await exportClassifier({ name: `engine parity ${encoder}`, weights, architecture, preprocessing: preprocessingSpec(S), threshold: 0.5, trainingImages: train.map((p) => p.image) });
    const file = decodeModelFile(bytes);
    checkGraphs(file);
    const runtime = await ClassifierRuntime.load(file);
    try {
      const readouts = await readImages(runtime, evaluation);
      const { h } = await runtime.encode(prepareBatch(runtime, evaluation).input, evaluation.length);
      const featureDifference = worstDifference(h, expectedFeatures);
      const scoreDifference = worstDifference(readouts.map((r) => r.probability), expected);
      t.diagnostic(`max |difference|: features ${featureDifference.toExponential(2)}, probabilities ${scoreDifference.toExponential(2)}`);
      assert.ok(featureDifference <= TOLERANCE, `features differ by ${featureDifference}`);
      readouts.forEach((r, i) => assert.ok(Math.abs(r.probability - expected[i]!) <= TOLERANCE, `image ${i}: ours ${r.probability}, engine ${expected[i]}`));
      assert.ok(Math.max(...expected) - Math.min(...expected) > 1e-3, `engine scores should differ between images: ${[...expected]}`);
    } finally {
      await runtime.release();
    }
  });
}
