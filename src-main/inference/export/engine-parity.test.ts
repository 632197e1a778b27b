// Parity with the libtorch engine: a briefly trained engine model, exported from its own parameters, scores the
// same P-ADSD patches through ONNX Runtime + the native simulator as the engine's Predict does, to 1e-4.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEngine, type SessionSpec } from '../../training/engine.ts';
import { preprocessingSpec } from '../../training/preprocessing.ts';
import { readImages, prepareBatch } from '../image-readouts.ts';
import { decodeModelFile } from '../model-file/model-file.ts';
import { preprocessImage } from '../preprocess.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { engineArchitecture, engineWeights } from './engine-model.ts';
import { exportClassifier } from './export-classifier.ts';

const TOLERANCE = 1e-4;
// An untrained MobileNetV2's depthwise activations are tiny; BatchNorm's running variance (momentum 0.1, from 1)
// needs on the order of 100 steps to come down to them, before that every image gets the same eval-mode score.
const STEPS = Number(process.env.PARITY_STEPS ?? 120);

function uint8Set(images: { image: Parameters<typeof preprocessImage>[0] }[]): Uint8Array {
  const out = new Uint8Array(images.length * 64 * 64);
  images.forEach(({ image }, i) => out.set(preprocessImage(image, preprocessingSpec(64)).patch, i * 64 * 64));
  return out;
}

function evaluationImages(): { image: { width: number; height: number; pixels: Uint8Array } }[] {
  const patches = labelledPatches('val', 2).map((p) => ({ width: 64, height: 64, pixels: preprocessImage(p.image, preprocessingSpec(64)).patch }));
  const inverted = patches.map((p) => ({ ...p, pixels: p.pixels.map((v) => 255 - v) }));
  let state = 12345;
  const noise = [20, 60, 120].map((contrast) => ({
    width: 64,
    height: 64,
    pixels: new Uint8Array(64 * 64).map(() => {
      state = (state * 1103515245 + 12345) >>> 0;
      return 128 + Math.round(((state >>> 16) / 65536 - 0.5) * 2 * contrast);
    }),
  }));
  return [...patches, ...inverted, ...noise].map((image) => ({ image }));
}

for (const quantumFusion of [true]) {
  test(`engine ${quantumFusion ? 'SSL-quantum' : 'classical'} classifier and its ONNX export agree to 1e-4 on the same patches`, async () => {
    const engine = loadEngine();
    const spec: SessionSpec = {
      model: { encoder: 'mobilenet_v2', quantumFusion, qubits: 4, layers: 2, rotation: 'Rot', entangler: 'CnotRing', reupload: false, alphaInit: 0.5 },
      augment: { mean: 0.5, std: 0.25 },
      imageSize: 64,
      seed: 5,
      threads: 2,
      deterministic: true,
    };
    const session = new engine.TrainingSession(spec);
    const train = labelledPatches('train', 16);
    session.setImages('train', uint8Set(train), Int32Array.from(train.map((p) => p.label)), 64);
    session.configureStage({ kind: 'supervised', imageSet: 'train', learningRate: 3e-3, weightDecay: 1e-4, totalSteps: STEPS, warmupSteps: 0 });
    for (let step = 0; step < STEPS; step++) await session.step(Int32Array.from({ length: 8 }, (_, i) => (i * 4 + step) % 32));
    // Real patches alone barely move an untrained encoder's features; inverted patches and noise at several
    // contrasts spread the scores, so agreement to 1e-4 means something.
    const evaluation = evaluationImages();
    session.setImages('eval', uint8Set(evaluation), null, 64);
    const expected = await session.predict('eval');
    const expectedFeatures = await session.embed('eval');

    const weights = engineWeights(session.parameters(true));
    const bytes = await exportClassifier({ name: 'engine parity', weights, architecture: engineArchitecture(spec, weights), threshold: 0.5, trainingImages: train.map((p) => p.image) });
    const runtime = await ClassifierRuntime.load(decodeModelFile(bytes));
    try {
      const images = evaluation.map((p) => p.image);
      const readouts = await readImages(runtime, images);
      const { h } = await runtime.encode(prepareBatch(runtime, images).input, images.length);
      let worstFeature = 0;
      for (let i = 0; i < h.length; i++) worstFeature = Math.max(worstFeature, Math.abs(h[i]! - expectedFeatures[i]!));
      assert.ok(worstFeature <= TOLERANCE, `features differ by ${worstFeature}`);
      readouts.forEach((r, i) => assert.ok(Math.abs(r.probability - expected[i]!) <= TOLERANCE, `image ${i}: ours ${r.probability}, engine ${expected[i]}`));
      assert.ok(Math.max(...expected) - Math.min(...expected) > 1e-3, `engine scores should differ between images: ${[...expected]}`);
    } finally {
      await runtime.release();
    }
  });
}
