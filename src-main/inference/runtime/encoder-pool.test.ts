// Batches split over worker threads (encoder-pool.ts) score exactly as one session on the whole batch does, and as
// PyTorch does: uneven slices, a batch too small to split, and calls that overlap. Between calls the runtime's
// threads sleep, leaving the cores to the pool's workers.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportClassifier } from '../export/export-classifier.ts';
import { decodeModelFile } from '../model-file/model-file.ts';
import { FIXTURE_CIRCUIT, fixtureArchitecture } from '../testing/fixture-model.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { readTensor, readTorchWeights, torchReference } from '../testing/torch-oracle.ts';
import { ClassifierRuntime } from './classifier-runtime.ts';
import { EncoderPool } from './encoder-pool.ts';

/** Odd, so the two workers get slices of 10 and 9. */
const BATCH = 19;

function maxDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length, 'lengths differ');
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

/** The fixture classifier with PyTorch reference weights (seed) and its reference tensors for a batch, in a new folder. */
async function referenceModel(seed: number, batch: number): Promise<{ dir: string; file: ReturnType<typeof decodeModelFile> }> {
  const dir = mkdtempSync(join(tmpdir(), 'angio-encoder-pool-'));
  torchReference({ dir, seed, circuit: FIXTURE_CIRCUIT, imageSize: 64, batch });
  const bytes = await exportClassifier({
    name: 'pool',
    weights: readTorchWeights(dir),
    architecture: fixtureArchitecture(),
    threshold: 0.5,
    trainingImages: labelledPatches('train', 2).map((p) => p.image),
  });
  return { dir, file: decodeModelFile(bytes) };
}

test('split batches match one whole-batch session to 1e-6 and PyTorch to 1e-4', async () => {
  const { dir, file } = await referenceModel(13, BATCH);
  const split = await ClassifierRuntime.load(file, { threads: 2 });
  const whole = await ClassifierRuntime.load(file, { threads: 2, splitBatches: false });
  try {
    const x = readTensor(dir, 'x');
    const [a, b, again] = await Promise.all([split.predict(x, BATCH), whole.predict(x, BATCH), split.predict(x, BATCH)]);
    assert.ok(maxDifference(a.h, b.h) <= 1e-6, `h differs by ${maxDifference(a.h, b.h)}`);
    assert.ok(maxDifference(a.u!, b.u!) <= 1e-6, `u differs by ${maxDifference(a.u!, b.u!)}`);
    assert.ok(maxDifference(a.probability, b.probability) <= 1e-6, `P differs by ${maxDifference(a.probability, b.probability)}`);
    assert.deepEqual(again.probability, a.probability, 'overlapping calls disagree');
    const torch = readTensor(dir, 'probabilities').filter((_, i) => i % 2 === 1);
    assert.ok(maxDifference(a.probability, torch) <= 1e-4, `P differs from PyTorch by ${maxDifference(a.probability, torch)}`);
    // The reference must not be degenerate: the scores differ between images.
    assert.ok(Math.max(...a.probability) - Math.min(...a.probability) > 1e-3, 'every image got the same score');

    // Three images stay on the calling thread's session; the same rows come out.
    const small = await split.predict(x.subarray(0, 3 * 64 * 64), 3);
    assert.ok(maxDifference(small.probability, a.probability.subarray(0, 3)) <= 1e-6);

    // Threads that have stopped refuse work at once rather than leaving it waiting, and ask for no more.
    const pool = (await EncoderPool.start(file.graphs.encoder, 2))!;
    await pool.release();
    assert.equal(pool.suits(BATCH), false);
    await assert.rejects(pool.encode(x, BATCH, 64, split.featureDim, split.qubits), /stopped/);
  } finally {
    await Promise.all([split.release(), whole.release()]);
  }
});

test('one thread asks for no pool: the calling thread scores every batch', async () => {
  assert.equal(await EncoderPool.start(new Uint8Array(0), 1), null);
});

test('a graph the workers cannot load fails the start with the runtime\'s message, leaving no thread behind', async () => {
  await assert.rejects(EncoderPool.start(new Uint8Array([1, 2, 3]), 2), /encoder worker: /);
});

test('an idle runtime leaves the cores alone: intra-op threads sleep rather than spin after a call', async () => {
  const { file } = await referenceModel(5, 4);
  // Two intra-op threads on the calling thread's session: the one whose helper could spin.
  const runtime = await ClassifierRuntime.load(file, { threads: 2, splitBatches: false });
  try {
    const x = new Float32Array(BATCH * 64 * 64).map((_, i) => Math.sin(i));
    // CPU the process uses in the 50 ms after each call, while it waits for nothing: a spinning helper thread burns
    // most of it (about 40 ms measured), a sleeping one well under a millisecond.
    let idleMicroseconds = 0;
    for (let i = 0; i < 5; i++) {
      await runtime.predict(x, BATCH);
      const before = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { user, system } = process.cpuUsage(before);
      idleMicroseconds += (user + system) / 5;
    }
    assert.ok(idleMicroseconds < 15_000, `the idle process used ${(idleMicroseconds / 1000).toFixed(1)} ms of CPU in each 50 ms after a call`);
  } finally {
    await runtime.release();
  }
});
