// The native engine's own behaviour: architectures of the promised size, the schedule, exact checkpoint/resume
// inside one process, and typed errors for bad input (empty set, one class, damaged checkpoint).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTrainingConfig } from './config.ts';
import { loadEngine, type SessionSpec } from './engine.ts';
import { seededRandom } from './sampler.ts';

const engine = loadEngine();

function images(count: number, size: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: count * size * size }, () => Math.floor(random() * 256));
}

function spec(encoder: string, quantumFusion = false, size = 32): SessionSpec {
  return { model: { encoder, quantumFusion }, imageSize: size, seed: 3, threads: 2, deterministic: true };
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return true;
  });
}

test('MobileNetV2 (width 1.0, 1-channel stem) has about 2.2M encoder parameters and 1280 features', () => {
  const session = new engine.TrainingSession(spec('mobilenet_v2'));
  const count = session.parameterCount('encoder');
  assert.ok(count > 2.18e6 && count < 2.24e6, `MobileNetV2 encoder has ${count} parameters`);
  assert.equal(session.featureDim(), 1280);
  assert.equal(session.blockCount(), 19, 'stem + 17 inverted residuals + last 1×1 conv');
});

test('every encoder embeds a set, and the hybrid head predicts probabilities', async () => {
  const expected: Record<string, number> = { mobilenet_v2: 1280, resnet18: 512, efficientnet_b0: 1280, simple_cnn: 128 };
  for (const [encoder, dim] of Object.entries(expected)) {
    const session = new engine.TrainingSession(spec(encoder, true));
    session.setImages('val', images(5, 32, 1), Int32Array.from([0, 1, 0, 1, 1]), 32);
    const features = await session.embed('val');
    assert.equal(features.length, 5 * dim, `${encoder} feature size`);
    assert.ok(features.every(Number.isFinite), `${encoder} features are finite`);
    const probabilities = await session.predict('val');
    assert.equal(probabilities.length, 5);
    assert.ok(probabilities.every((p) => p > 0 && p < 1), `${encoder} hybrid head gives probabilities`);
  }
  const resnet = new engine.TrainingSession(spec('resnet18'));
  assert.ok(Math.abs(resnet.parameterCount('encoder') - 11.17e6) < 0.05e6, 'ResNet18 with a 1-channel stem has ~11.17M parameters');
});

test('the learning rate warms up linearly then follows a cosine to zero', () => {
  const session = new engine.TrainingSession(spec('simple_cnn'));
  session.setImages('train', images(4, 32, 2), null, 32);
  session.configureStage({ kind: 'pretrain', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 110, warmupSteps: 10 });
  assert.ok(Math.abs(session.learningRateAt(0) - 1e-4) < 1e-12);
  assert.ok(Math.abs(session.learningRateAt(9) - 1e-3) < 1e-12);
  assert.ok(Math.abs(session.learningRateAt(60) - 0.5e-3) < 1e-12, 'half-way through the cosine the rate is half');
  assert.ok(session.learningRateAt(110) < 1e-12);
});

test('a checkpoint restores training exactly: resumed steps give bit-identical weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-ckpt-'));
  const pixels = images(40, 32, 5);
  const labels = Int32Array.from({ length: 40 }, (_, i) => i % 2);
  const stage = { kind: 'supervised' as const, imageSet: 'train', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 20, warmupSteps: 2, classWeights: [1, 1.5] };
  const batches = [0, 1, 2, 3, 4].map((s) => Int32Array.from({ length: 8 }, (_, i) => (s * 8 + i * 3) % 40));
  const make = () => {
    const session = new engine.TrainingSession(spec('simple_cnn', true));
    session.setImages('train', pixels, labels, 32);
    return session;
  };
  const straight = make();
  straight.configureStage(stage);
  for (const batch of batches.slice(0, 3)) await straight.step(batch);
  await straight.saveCheckpoint(join(dir, 'c.pt'), '{"note":"after 3"}');
  for (const batch of batches.slice(3)) await straight.step(batch);

  const resumed = make();
  assert.equal(await resumed.loadCheckpoint(join(dir, 'c.pt')), '{"note":"after 3"}');
  let last = { globalStep: 0, loss: 0 };
  for (const batch of batches.slice(3)) last = await resumed.step(batch);
  assert.equal(last.globalStep, 5);
  const a = straight.parameters(true);
  const b = resumed.parameters(true);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.deepEqual(b[i]?.values, a[i]?.values, `${a[i]?.name} differs after resume`);
  }
  rmSync(dir, { recursive: true });
});

test('bad input fails with typed errors: empty set, one class, damaged or foreign checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-bad-'));
  const session = new engine.TrainingSession(spec('simple_cnn'));
  assert.throws(() => session.setImages('train', new Uint8Array(0), null, 32), { code: 'empty-dataset' });
  assert.throws(() => new engine.TrainingSession(spec('vgg16')), { code: 'invalid-config' });
  session.setImages('train', images(6, 32, 1), Int32Array.from([1, 1, 1, 1, 1, 1]), 32);
  assert.throws(() => session.configureStage({ kind: 'finetune', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 1, warmupSteps: 0 }), { code: 'single-class' });
  assert.throws(() => session.configureStage({ kind: 'head', imageSet: 'nowhere', learningRate: 1e-3, weightDecay: 0, totalSteps: 1, warmupSteps: 0 }), { code: 'unknown-image-set' });

  session.setImages('mixed', images(6, 32, 1), Int32Array.from([1, 0, 1, 0, 1, 0]), 32);
  session.configureStage({ kind: 'supervised', imageSet: 'mixed', learningRate: 1e-3, weightDecay: 0, totalSteps: 4, warmupSteps: 0 });
  await rejectsWithCode(session.step(Int32Array.from([0, 99])), 'invalid-batch');
  await session.step(Int32Array.from([0, 1, 2, 3]));
  const path = join(dir, 'c.pt');
  await session.saveCheckpoint(path, '{}');
  const bytes = readFileSync(path);
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)] = (flipped[Math.floor(bytes.length / 2)] as number) ^ 0x40;
  writeFileSync(join(dir, 'flipped.pt'), flipped);
  writeFileSync(join(dir, 'truncated.pt'), bytes.subarray(0, bytes.length - 100));
  writeFileSync(join(dir, 'text.pt'), 'not a checkpoint');
  for (const name of ['flipped.pt', 'truncated.pt', 'text.pt', 'missing.pt']) {
    await rejectsWithCode(session.loadCheckpoint(join(dir, name)), 'checkpoint-corrupt');
  }
  const other = new engine.TrainingSession(spec('resnet18'));
  other.setImages('mixed', images(6, 32, 1), Int32Array.from([1, 0, 1, 0, 1, 0]), 32);
  await rejectsWithCode(other.loadCheckpoint(path), 'checkpoint-corrupt');
  rmSync(dir, { recursive: true });
});

test('the device is chosen at start: cpu by default, an unknown device is invalid-config, cuda without a CUDA build or GPU is device-unavailable', async () => {
  const labels = Int32Array.from([1, 0, 1, 0, 1, 0]);
  const predictions: Float32Array[] = [];
  // One after the other: dropout draws from the process-wide generator that each session seeds when it is made.
  for (const device of [undefined, 'cpu']) {
    const session = new engine.TrainingSession({ ...spec('simple_cnn'), ...(device ? { device } : {}) });
    session.setImages('train', images(6, 32, 2), labels, 32);
    session.configureStage({ kind: 'supervised', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 2, warmupSteps: 0 });
    await session.step(Int32Array.from([0, 1, 2, 3]));
    predictions.push(await session.predict('train'));
  }
  assert.deepEqual(predictions[1], predictions[0], 'device cpu is the default');
  for (const device of ['tpu', 'cuda:x', '']) {
    assert.throws(() => new engine.TrainingSession({ ...spec('simple_cnn'), device }), { code: 'invalid-config' });
  }
  // This machine's libtorch is Debian's CPU build: cuda must be refused with a sentence that names the way on.
  // (On a GPU machine with a CUDA libtorch, scripts/gpu-check.sh checks the cuda path instead.)
  let cuda: unknown = null;
  try {
    cuda = new engine.TrainingSession({ ...spec('simple_cnn'), device: 'cuda' });
  } catch (error) {
    cuda = error;
  }
  if (cuda instanceof Error) {
    assert.equal((cuda as Error & { code?: string }).code, 'device-unavailable');
    assert.match(cuda.message, /no CUDA device: train on cpu, or build the addon against a CUDA libtorch/);
  } else {
    assert.ok(process.env.ANGIO_EXPECT_CUDA === '1', 'a CUDA session opened on a machine not declared to have CUDA (ANGIO_EXPECT_CUDA=1)');
  }
  assert.throws(() => new engine.TrainingSession({ ...spec('simple_cnn'), device: 'cuda:3' }), { code: 'device-unavailable' });
  assert.throws(() => parseTrainingConfig({ device: 'gpu' }), /device must be cpu, cuda or cuda:N/);
  assert.equal(parseTrainingConfig({}).device, 'cpu');
});
