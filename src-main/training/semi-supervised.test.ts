// Semi-supervised fine-tuning (FixMatch on the unlabelled pool) in the real engine: the step reads the unlabelled
// set and reports how many of its images got a pseudo-label; at weight 0 it is the plain fine-tune bit for bit
// (weights and BatchNorm statistics); at weight 1 it learns from the unlabelled images, and a checkpoint resumes it
// exactly. Sessions are made one after the other: each seeds the process-wide generator dropout draws from.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTrainingConfig } from './config.ts';
import { loadEngine, type NamedArray, type SessionSpec, type StageSpec, type StepResult, type UnlabeledConsistency } from './engine.ts';
import { seededRandom } from './sampler.ts';
import { planStages } from './stages.ts';

const engine = loadEngine();
const SIZE = 32;

function images(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: count * SIZE * SIZE }, () => Math.floor(random() * 256));
}

const spec: SessionSpec = { model: { encoder: 'simple_cnn', quantumFusion: true, qubits: 4, layers: 2 }, imageSize: SIZE, seed: 5, threads: 2, deterministic: true };
const labelled = images(24, 1);
const labels = Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
const batches = [0, 1, 2, 3].map((s) => Int32Array.from({ length: 8 }, (_, i) => (s * 5 + i * 3) % 24));
const finetune: StageSpec = { kind: 'finetune', imageSet: 'train', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 4, warmupSteps: 1, trainableBlocks: 2, classWeights: [1, 1.5] };

function session(pool: Uint8Array = images(40, 2)) {
  const s = new engine.TrainingSession(spec);
  s.setImages('train', labelled, labels, SIZE);
  s.setImages('pool', pool, null, SIZE);
  return s;
}

async function train(unlabeled: UnlabeledConsistency | undefined, steps = batches, pool?: Uint8Array): Promise<{ results: StepResult[]; weights: NamedArray[] }> {
  const s = session(pool);
  s.configureStage({ ...finetune, ...(unlabeled ? { unlabeled } : {}) });
  const results: StepResult[] = [];
  for (const batch of steps) results.push(await s.step(batch));
  return { results, weights: s.parameters(true) };
}

function assertSameWeights(a: NamedArray[], b: NamedArray[], why: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.deepEqual(b[i]?.values, a[i]?.values, `${a[i]?.name}: ${why}`);
}

function differs(a: NamedArray[], b: NamedArray[]): boolean {
  return a.some((array, i) => array.values.some((v, j) => v !== b[i]?.values[j]));
}

test('at weight 0 a step pseudo-labels unlabelled images, reports the share, and equals the plain fine-tune bit for bit', async () => {
  const plain = await train(undefined);
  const zero = await train({ imageSet: 'pool', weight: 0, threshold: 0.6, ratio: 3 });
  assertSameWeights(plain.weights, zero.weights, 'weight 0 changed the step (weights or BatchNorm statistics)');
  assert.deepEqual(zero.results.map((r) => r.loss), plain.results.map((r) => r.loss), 'same supervised loss at every step');
  for (const r of plain.results) assert.equal(r.pseudoLabelShare, undefined, 'a plain step reports no pseudo-labels');
  for (const r of zero.results) {
    assert.ok(r.pseudoLabelShare !== undefined && r.pseudoLabelShare >= 0 && r.pseudoLabelShare <= 1, `share ${r.pseudoLabelShare}`);
    // 3 × 8 images drawn per step: the share is a count over 24.
    assert.ok(Math.abs(r.pseudoLabelShare * 24 - Math.round(r.pseudoLabelShare * 24)) < 1e-9, `share ${r.pseudoLabelShare} is not k/24`);
    assert.equal(r.unlabeledLoss, 0);
  }
});

test('the threshold decides which drawn images get a pseudo-label: all at 0.5 (two classes), none at 1', async () => {
  const all = await train({ imageSet: 'pool', weight: 0, threshold: 0.5, ratio: 2 }, batches.slice(0, 2));
  const none = await train({ imageSet: 'pool', weight: 0, threshold: 1, ratio: 2 }, batches.slice(0, 2));
  assert.deepEqual(all.results.map((r) => r.pseudoLabelShare), [1, 1], 'the top class of two always has probability ≥ 0.5');
  assert.deepEqual(none.results.map((r) => r.pseudoLabelShare), [0, 0], 'an untrained model is never certain');
});

test('at weight 1 the unlabelled images change the weights, and which images they are matters', async () => {
  const plain = await train(undefined, batches.slice(0, 2));
  const consistency: UnlabeledConsistency = { imageSet: 'pool', weight: 1, threshold: 0.5, ratio: 2 };
  const withPool = await train(consistency, batches.slice(0, 2));
  const otherPool = await train(consistency, batches.slice(0, 2), images(40, 9));
  assert.ok(withPool.results.every((r) => r.unlabeledLoss !== undefined && r.unlabeledLoss > 0), 'every image pseudo-labelled at 0.5, so the term is positive');
  for (const r of withPool.results) assert.ok(r.loss > (r.unlabeledLoss as number), 'the reported loss holds the supervised part too');
  assert.ok(differs(plain.weights, withPool.weights), 'consistency at weight 1 changes the weights');
  assert.ok(differs(withPool.weights, otherPool.weights), 'other unlabelled images give other weights');
});

test('a checkpoint keeps the consistency settings: resumed steps give bit-identical weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-fixmatch-'));
  try {
    const consistency: UnlabeledConsistency = { imageSet: 'pool', weight: 1, threshold: 0.55, ratio: 2 };
    const straight = await train(consistency);
    const first = session();
    first.configureStage({ ...finetune, unlabeled: consistency });
    for (const batch of batches.slice(0, 2)) await first.step(batch);
    await first.saveCheckpoint(join(dir, 'c.pt'), '{}');
    first.close();
    const resumed = session();
    await resumed.loadCheckpoint(join(dir, 'c.pt'));
    const results: StepResult[] = [];
    for (const batch of batches.slice(2)) results.push(await resumed.step(batch));
    assert.deepEqual(results.map((r) => r.pseudoLabelShare), straight.results.slice(2).map((r) => r.pseudoLabelShare), 'the same draws after resume');
    assertSameWeights(straight.weights, resumed.parameters(true), 'differs after resume');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad settings are refused when the stage is configured', () => {
  const s = session();
  const base = { imageSet: 'pool', weight: 1, threshold: 0.95, ratio: 2 };
  assert.throws(() => s.configureStage({ ...finetune, unlabeled: { ...base, imageSet: 'nowhere' } }), { code: 'unknown-image-set' });
  for (const bad of [{ weight: -1 }, { threshold: 0 }, { threshold: 1.5 }, { ratio: 0 }, { ratio: 65 }]) {
    assert.throws(() => s.configureStage({ ...finetune, unlabeled: { ...base, ...bad } }), { code: 'invalid-config' }, JSON.stringify(bad));
  }
  assert.throws(() => s.configureStage({ kind: 'pretrain', imageSet: 'pool', learningRate: 1e-3, weightDecay: 0, totalSteps: 2, warmupSteps: 0, unlabeled: base }), { code: 'invalid-config' });
});

test('the training config turns it on for the fine-tuning stage only, on the pretraining pool; absent, nothing changes', () => {
  const sizes = { pretrain: 900, train: 100, trainClassCounts: [50, 50] };
  const on = planStages(parseTrainingConfig({ finetune: { unlabeledConsistency: { threshold: 0.9 } } }), sizes);
  assert.deepEqual(on.find((stage) => stage.spec.kind === 'finetune')?.spec.unlabeled, { imageSet: 'pretrain', weight: 1, threshold: 0.9, ratio: 7 });
  assert.ok(on.filter((stage) => stage.spec.kind !== 'finetune').every((stage) => stage.spec.unlabeled === undefined));
  const off = planStages(parseTrainingConfig({}), sizes);
  assert.ok(off.every((stage) => !('unlabeled' in stage.spec)), 'default: no consistency anywhere');
  assert.equal(parseTrainingConfig({}).finetune.unlabeledConsistency, undefined);
  assert.throws(() => parseTrainingConfig({ finetune: { unlabeledConsistency: { ratio: 2.5 } } }));
});
