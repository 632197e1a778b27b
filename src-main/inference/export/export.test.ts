// The exported graphs against PyTorch: Debian's onnx checker (full check) accepts every file, and ONNX Runtime
// plus the native simulator reproduce the reference model's h, u, q and probabilities to 1e-4.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../ipc/app-error.ts';
import { nativeQuantumForward } from '../runtime/quantum-forward.ts';
import { FIXTURE_CIRCUIT, fixtureArchitecture } from '../testing/fixture-model.ts';
import { onnxCheckerErrors, readTensor, readTorchWeights, torchReference } from '../testing/torch-oracle.ts';
import { buildEncoderGraph, buildHeadGraph } from './classifier-graphs.ts';
import { weightMap } from './weights.ts';

const TOLERANCE = 1e-4;
const BATCH = 6;

function maxDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length, 'tensor lengths differ');
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

async function run(bytes: Uint8Array, feeds: Record<string, [Float32Array, number[]]>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 2 });
  const tensors = Object.fromEntries(Object.entries(feeds).map(([name, [data, dims]]) => [name, new ort.Tensor('float32', data, dims)]));
  const out = await session.run(tensors);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([name, tensor]) => [name, tensor.data as Float32Array]));
}

test('encoder, head and MC-dropout head with quantum fusion match PyTorch to 1e-4 and pass the full ONNX check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-export-'));
  torchReference({ dir, seed: 11, circuit: FIXTURE_CIRCUIT, imageSize: 64, batch: BATCH, masks: true });
  const weights = readTorchWeights(dir);
  const architecture = fixtureArchitecture();
  const files = {
    encoder: buildEncoderGraph(weights, architecture),
    head: buildHeadGraph(weights, architecture),
    headMc: buildHeadGraph(weights, architecture, { dropoutMask: true }),
  };
  const paths = Object.entries(files).map(([name, bytes]) => {
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, bytes);
    return path;
  });
  for (const [path, error] of Object.entries(onnxCheckerErrors(paths))) assert.equal(error, null, `onnx checker rejected ${path}: ${error}`);

  const Q = FIXTURE_CIRCUIT.qubits;
  const encoded = await run(files.encoder, { image: [readTensor(dir, 'x'), [BATCH, 1, 64, 64]] });
  const h = readTensor(dir, 'h');
  assert.ok(maxDifference(encoded.h!, h) <= TOLERANCE, `h differs by ${maxDifference(encoded.h!, h)}`);
  assert.ok(maxDifference(encoded.u!, readTensor(dir, 'u')) <= TOLERANCE, `u differs by ${maxDifference(encoded.u!, readTensor(dir, 'u'))}`);
  // The reference must not be degenerate: different images give different features.
  assert.ok(Math.abs(h[0]! - h[1280]!) + Math.abs(h[5]! - h[1285]!) > 1e-3, 'reference features do not depend on the input');

  // Quantum layer between the graphs: the native simulator on our u against the torch statevector on torch's u.
  const q = Float32Array.from(await nativeQuantumForward()(FIXTURE_CIRCUIT, Float64Array.from(encoded.u!), Float64Array.from(weights.get('classifier.fusion.quantum.weights')!.values)));
  assert.ok(maxDifference(q, readTensor(dir, 'q')) <= TOLERANCE, `q differs by ${maxDifference(q, readTensor(dir, 'q'))}`);

  const head = await run(files.head, { h: [encoded.h!, [BATCH, 1280]], q: [q, [BATCH, Q]] });
  const probabilities = readTensor(dir, 'probabilities');
  assert.ok(maxDifference(head.probabilities!, probabilities) <= TOLERANCE, `probabilities differ by ${maxDifference(head.probabilities!, probabilities)}`);
  assert.ok(maxDifference(head.logits!, readTensor(dir, 'logits')) <= TOLERANCE);

  const mc = await run(files.headMc, { h: [h, [BATCH, 1280]], q: [readTensor(dir, 'q'), [BATCH, Q]], dropout_keep: [readTensor(dir, 'keep'), [BATCH, 256]] });
  assert.ok(maxDifference(mc.probabilities!, readTensor(dir, 'probabilities_mc')) <= TOLERANCE, 'MC-dropout head differs from PyTorch with the same mask');
  assert.ok(maxDifference(mc.probabilities!, probabilities) > 1e-3, 'a dropout mask should change the scores');
});

test('a classical head (no quantum fusion) exports as h → probabilities and matches PyTorch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-export-'));
  torchReference({ dir, seed: 5, circuit: null, imageSize: 64, batch: 3 });
  const weights = readTorchWeights(dir);
  const architecture = fixtureArchitecture(null);
  const encoder = buildEncoderGraph(weights, architecture);
  const head = buildHeadGraph(weights, architecture);
  const encoded = await run(encoder, { image: [readTensor(dir, 'x'), [3, 1, 64, 64]] });
  assert.deepEqual(Object.keys(encoded), ['h']);
  const out = await run(head, { h: [encoded.h!, [3, 1280]] });
  assert.ok(maxDifference(out.probabilities!, readTensor(dir, 'probabilities')) <= TOLERANCE);
});

test('weights from another architecture are refused with model-mismatch naming the tensor', () => {
  const architecture = fixtureArchitecture();
  const missing = weightMap([{ name: 'encoder.blocks.0.0.weight', shape: [32, 1, 3, 3], values: new Float32Array(288) }]);
  assert.throws(() => buildEncoderGraph(missing, architecture), (error: unknown) => error instanceof AppError && error.code === 'model-mismatch' && /encoder\.blocks\.0\.1\.weight/.test(error.message));
  const wrongShape = weightMap([{ name: 'encoder.blocks.0.0.weight', shape: [32, 3, 3, 3], values: new Float32Array(864) }]);
  assert.throws(() => buildEncoderGraph(wrongShape, architecture), (error: unknown) => error instanceof AppError && error.code === 'model-mismatch' && /\[32,3,3,3\]/.test(error.message));
});
