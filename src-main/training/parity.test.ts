// The engine computes what PyTorch computes: NT-Xent, the quantum layer's outputs and adjoint gradients, and one
// full SimCLR training step (MobileNetV2 + projection head + AdamW) agree with a PyTorch reference to 1e-5 on the
// same inputs and weights. The scripts (reference/*.py) run the shared PyTorch reference (src-main/testing/torch-reference) at test time under Debian's python3-torch.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPython } from '../testing/python-oracle.ts';
import { TORCH_REFERENCE_DIR as referenceDir } from '../testing/torch-reference/index.ts';
import { loadEngine, type NamedArray } from './engine.ts';
import { seededRandom } from './sampler.ts';

const scriptsDir = join(dirname(fileURLToPath(import.meta.url)), 'reference');
const engine = loadEngine();

function gaussian(count: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = scale * Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'compared arrays differ in length');
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

test('NT-Xent loss and gradients and the quantum layer match PyTorch to 1e-5', () => {
  const n = 16;
  const d = 128;
  const z1 = gaussian(n * d, 1);
  const z2 = gaussian(n * d, 2);
  const ours = engine.engineProbes.ntXent(z1, z2, n, d, 0.2);
  const circuit = { qubits: 8, layers: 3, rotation: 'Rot', entangler: 'CnotRing', reupload: false };
  const batch = 4;
  const angles = gaussian(batch * 8, 3, 1.5);
  const weights = gaussian(8 * 3 * 3, 4, 2);
  const gradOut = gaussian(batch * 8, 5);
  const quantum = engine.engineProbes.quantumLayer(circuit, angles, weights, gradOut);
  const reference = runPython<{
    ntXent: { loss: number; gradZ1: number[]; gradZ2: number[] };
    quantum: { expectations: number[]; gradAngles: number[]; gradWeights: number[] };
  }>(readFileSync(join(scriptsDir, 'parity_probes.py'), 'utf8'), {
    referenceDir,
    ntXent: { n, d, temperature: 0.2, z1: Array.from(z1), z2: Array.from(z2) },
    quantum: { ...circuit, angles: Array.from(angles), weights: Array.from(weights), gradOut: Array.from(gradOut) },
  });
  const errors = {
    ntXentLoss: Math.abs(ours.loss - reference.ntXent.loss),
    ntXentGrad: Math.max(maxAbsDiff(ours.gradZ1, reference.ntXent.gradZ1), maxAbsDiff(ours.gradZ2, reference.ntXent.gradZ2)),
    quantumOut: maxAbsDiff(quantum.expectations, reference.quantum.expectations),
    quantumGradAngles: maxAbsDiff(quantum.gradAngles, reference.quantum.gradAngles),
    quantumGradWeights: maxAbsDiff(quantum.gradWeights, reference.quantum.gradWeights),
  };
  console.log('parity errors', JSON.stringify(errors));
  for (const [what, error] of Object.entries(errors)) assert.ok(error <= 1e-5, `${what} differs from PyTorch by ${error}`);
  assert.ok(Math.max(...Array.from(quantum.gradWeights, Math.abs)) > 1e-3, 'weight gradients must not be trivially zero');
});

function dump(folder: string, prefix: string, arrays: NamedArray[]): void {
  writeFileSync(join(folder, `${prefix}.json`), JSON.stringify(arrays.map((a) => [a.name, a.shape])));
  const total = arrays.reduce((sum, a) => sum + a.values.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    flat.set(a.values, offset);
    offset += a.values.length;
  }
  writeFileSync(join(folder, `${prefix}.bin`), flat);
}

test('one SimCLR step (MobileNetV2, projection head, NT-Xent, AdamW) matches PyTorch to 1e-5', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'angio-parity-'));
  const size = 32;
  const batch = 8;
  const stage = { learningRate: 1e-3, weightDecay: 1e-2, temperature: 0.2 };
  const session = new engine.TrainingSession({ model: { encoder: 'mobilenet_v2', quantumFusion: false }, imageSize: size, seed: 7, threads: 2, deterministic: true });
  session.setImages('train', new Uint8Array(batch * size * size), null, size);
  session.configureStage({ kind: 'pretrain', imageSet: 'train', totalSteps: 10, warmupSteps: 0, ...stage });
  const views = gaussian(2 * batch * size * size, 11);
  dump(folder, 'before', session.parameters(true));
  writeFileSync(join(folder, 'views.bin'), views);
  const step = await session.stepOnViews(views, batch, null);
  dump(folder, 'after', session.parameters(true));
  const reference = runPython<{ loss: number; maxDiff: Record<string, number>; maxChange: number }>(readFileSync(join(scriptsDir, 'parity_step.py'), 'utf8'), {
    referenceDir, folder, encoder: 'mobilenet_v2', size, channelsLast: true, ...stage,
  });
  rmSync(folder, { recursive: true });
  const worst = Object.entries(reference.maxDiff).sort((a, b) => b[1] - a[1]);
  console.log('step parity: loss', step.loss, 'vs', reference.loss, 'worst tensor', worst[0]);
  assert.ok(Math.abs(step.loss - reference.loss) <= 1e-5, `loss ${step.loss} vs PyTorch ${reference.loss}`);
  assert.ok(reference.maxChange > 1e-4, 'the step must have moved the weights, or the comparison proves nothing');
  assert.ok(worst.length > 300, `expected every MobileNetV2 + head tensor to be compared, got ${worst.length}`);
  assert.ok((worst[0]?.[1] ?? 1) <= 1e-5, `after the step, ${worst[0]?.[0]} differs from PyTorch by ${worst[0]?.[1]}`);
});
