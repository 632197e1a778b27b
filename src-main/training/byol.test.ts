// BYOL pretraining in the native engine (engine/byol.h) and the grey-level augmentations that fit angiograms
// (engine/augment_intensity.h): two BYOL steps agree with a PyTorch reference (loss, online weights, predictor and
// the EMA target), the loss is finite and falls on a tiny set, a checkpoint carries the target so a resumed stage
// ends bit-identical to an uninterrupted one, and SimCLR and the views are unchanged while the new options are off.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPython } from '../testing/python-oracle.ts';
import { TORCH_REFERENCE_DIR as referenceDir } from '../testing/torch-reference/index.ts';
import { loadEngine, type NamedArray, type SessionSpec, type StageSpec } from './engine.ts';
import { seededRandom } from './sampler.ts';

const engine = loadEngine();
const scriptsDir = join(dirname(fileURLToPath(import.meta.url)), 'reference');
const SIZE = 32;

/** Patches with structure an augmentation can keep: a dark vessel-like bar across a smooth background, plus noise. */
function patches(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(count * SIZE * SIZE);
  for (let n = 0; n < count; n++) {
    const slope = random() * 2 - 1, offset = 8 + random() * 16, width = 2 + random() * 4, background = 120 + random() * 100;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const inside = Math.abs(y - (offset + slope * (x - SIZE / 2))) < width;
        out[n * SIZE * SIZE + y * SIZE + x] = Math.max(0, Math.min(255, Math.round((inside ? 40 : background) + x + 20 * (random() - 0.5))));
      }
    }
  }
  return out;
}

function spec(augment: Record<string, number | boolean> = {}): SessionSpec {
  return { model: { encoder: 'simple_cnn', quantumFusion: false }, augment, imageSize: SIZE, seed: 5, threads: 2, deterministic: true };
}

function byolStage(totalSteps: number, extra: Partial<StageSpec> = {}): StageSpec {
  return { kind: 'pretrain', imageSet: 'pool', learningRate: 1e-3, weightDecay: 1e-4, totalSteps, warmupSteps: 0, objective: 'byol', ...extra };
}

function byName(arrays: NamedArray[]): Map<string, NamedArray> {
  return new Map(arrays.map((a) => [a.name, a]));
}

function batchAt(step: number, batch: number, count: number): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => (step * batch + i * 7) % count);
}

function dump(folder: string, prefix: string, arrays: NamedArray[]): void {
  writeFileSync(join(folder, `${prefix}.json`), JSON.stringify(arrays.map((a) => [a.name, a.shape])));
  const flat = new Float32Array(arrays.reduce((sum, a) => sum + a.values.length, 0));
  let offset = 0;
  for (const a of arrays) {
    flat.set(a.values, offset);
    offset += a.values.length;
  }
  writeFileSync(join(folder, `${prefix}.bin`), flat);
}

test('two BYOL steps (online, predictor, EMA target) match PyTorch to 1e-5, and the target starts as the online network', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'angio-byol-parity-'));
  const batch = 8;
  const stage = { learningRate: 1e-3, weightDecay: 1e-2, emaMomentum: 0.9, totalSteps: 4 };
  const session = new engine.TrainingSession(spec());
  session.setImages('pool', patches(batch, 1), null, SIZE);
  session.configureStage(byolStage(stage.totalSteps, stage));
  const before = session.parameters(true);
  const named = byName(before);
  const targets = before.filter((a) => a.name.startsWith('byol.target.'));
  assert.ok(targets.length > 20 && before.some((a) => a.name.startsWith('byol.predictor.')), 'parameters() lists the target and the predictor');
  for (const t of targets) {
    assert.deepEqual(t.values, named.get(t.name.slice('byol.target.'.length))?.values, `${t.name} starts equal to the online weight`);
  }
  dump(folder, 'before', before);
  const random = seededRandom(11);
  const losses: number[] = [];
  for (let k = 0; k < 2; k++) {
    const floats = Float32Array.from({ length: 2 * batch * SIZE * SIZE }, () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()));
    writeFileSync(join(folder, `views${k}.bin`), floats);
    losses.push((await session.stepOnViews(floats, batch, null)).loss);
  }
  dump(folder, 'after', session.parameters(true));
  const reference = runPython<{ losses: number[]; maxDiff: Record<string, number>; targetMoved: number }>(
    readFileSync(join(scriptsDir, 'parity_byol_step.py'), 'utf8'),
    { referenceDir, folder, encoder: 'simple_cnn', size: SIZE, steps: 2, projectionDim: 128, projectionHidden: 512, ...stage },
  );
  rmSync(folder, { recursive: true });
  const worst = Object.entries(reference.maxDiff).sort((a, b) => b[1] - a[1]);
  console.log('BYOL parity: losses', losses, 'vs', reference.losses, 'worst tensor', worst[0], 'target moved', reference.targetMoved);
  for (let k = 0; k < 2; k++) assert.ok(Math.abs((losses[k] as number) - (reference.losses[k] as number)) <= 1e-5, `loss ${k}: ${losses[k]} vs PyTorch ${reference.losses[k]}`);
  assert.ok(reference.targetMoved > 1e-4, 'the target must have moved, or the comparison proves nothing');
  assert.ok(worst.filter(([name]) => name.startsWith('byol.target.')).length >= targets.length, 'every target tensor was compared');
  assert.ok((worst[0]?.[1] ?? 1) <= 1e-5, `after two steps, ${worst[0]?.[0]} differs from PyTorch by ${worst[0]?.[1]}`);
});

test('the BYOL loss is finite, within [0, 8], and falls over 60 steps on a tiny set', async () => {
  const session = new engine.TrainingSession(spec());
  const count = 64;
  session.setImages('pool', patches(count, 2), null, SIZE);
  session.configureStage(byolStage(60, { warmupSteps: 5 }));
  const losses: number[] = [];
  for (let step = 0; step < 60; step++) losses.push((await session.step(batchAt(step, 16, count))).loss);
  assert.ok(losses.every((l) => Number.isFinite(l) && l >= 0 && l <= 8), `losses out of range: ${losses}`);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const first = mean(losses.slice(0, 10)), last = mean(losses.slice(-10));
  console.log(`BYOL loss: first 10 steps ${first.toFixed(4)}, last 10 ${last.toFixed(4)}`);
  assert.ok(last < 0.8 * first, `the loss should fall: first 10 steps ${first}, last 10 ${last}`);
});

test('a BYOL checkpoint keeps the target and predictor: resumed steps end bit-identical to an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-byol-ckpt-'));
  const count = 32;
  const pixels = patches(count, 3);
  const make = () => {
    const session = new engine.TrainingSession(spec({ gamma: 0.3, blurSigma: 1, noise: 0.02 }));
    session.setImages('pool', pixels, null, SIZE);
    return session;
  };
  const stage = byolStage(6, { emaMomentum: 0.95 });
  const straight = make();
  straight.configureStage(stage);
  for (let step = 0; step < 3; step++) await straight.step(batchAt(step, 8, count));
  await straight.saveCheckpoint(join(dir, 'c.pt'), '{"after":3}');
  const atCheckpoint = byName(straight.parameters(true));
  const straightLosses: number[] = [];
  for (let step = 3; step < 6; step++) straightLosses.push((await straight.step(batchAt(step, 8, count))).loss);

  const resumed = make();
  assert.equal(await resumed.loadCheckpoint(join(dir, 'c.pt')), '{"after":3}');
  for (const a of resumed.parameters(true)) assert.deepEqual(a.values, atCheckpoint.get(a.name)?.values, `${a.name} restored`);
  const resumedLosses: number[] = [];
  for (let step = 3; step < 6; step++) resumedLosses.push((await resumed.step(batchAt(step, 8, count))).loss);
  assert.deepEqual(resumedLosses, straightLosses);
  const a = straight.parameters(true), b = resumed.parameters(true);
  assert.deepEqual(b.map((x) => x.name), a.map((x) => x.name));
  assert.ok(a.some((x) => x.name.startsWith('byol.target.')) && a.some((x) => x.name.startsWith('byol.predictor.')));
  for (let i = 0; i < a.length; i++) assert.deepEqual(b[i]?.values, a[i]?.values, `${a[i]?.name} differs after resume`);

  // The next stage fine-tunes the online network alone: the target and predictor are gone.
  straight.setImages('train', pixels, Int32Array.from({ length: count }, (_, i) => i % 2), SIZE);
  straight.configureStage({ kind: 'head', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 1, warmupSteps: 0 });
  assert.ok(!straight.parameters(true).some((x) => x.name.startsWith('byol.')), 'a classifier stage holds no BYOL state');
  rmSync(dir, { recursive: true });
});

test('SimCLR stays the default, bit for bit, and bad BYOL settings are refused', async () => {
  const runs: NamedArray[][] = [];
  for (const objective of [undefined, 'simclr' as const]) {
    const session = new engine.TrainingSession(spec());
    session.setImages('pool', patches(16, 4), null, SIZE);
    session.configureStage({ kind: 'pretrain', imageSet: 'pool', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 2, warmupSteps: 0, ...(objective ? { objective } : {}) });
    for (let step = 0; step < 2; step++) await session.step(batchAt(step, 8, 16));
    runs.push(session.parameters(true));
  }
  assert.ok(!runs[0]?.some((a) => a.name.startsWith('byol.')), 'SimCLR keeps no target network');
  assert.deepEqual(runs[1], runs[0]);
  const session = new engine.TrainingSession(spec());
  session.setImages('pool', patches(4, 4), null, SIZE);
  assert.throws(() => session.configureStage(byolStage(2, { objective: 'moco' as 'byol' })), { code: 'invalid-config' });
  assert.throws(() => session.configureStage(byolStage(2, { emaMomentum: 1.5 })), { code: 'invalid-config' });
  const refused: Record<string, number>[] = [{ gamma: 2 }, { blurSigma: -1 }, { noise: 0.9 }, { blurProbability: 1.5 }];
  for (const augment of refused) {
    assert.throws(() => new engine.TrainingSession(spec(augment)), { code: 'invalid-config' }, JSON.stringify(augment));
  }
});

// ---- grey-level augmentations ----

const IDENTITY = { rotationDegrees: 0, cropScaleMin: 1, cropRatioMax: 1, translate: 0, shearDegrees: 0, brightness: 0, contrast: 0, horizontalFlip: false };
const one = Int32Array.from([0]);

function previewSession(augment: Record<string, number | boolean>, image: Uint8Array) {
  const s = new engine.TrainingSession(spec(augment));
  s.setImages('set', image, null, SIZE);
  return s;
}

/** Normalised view → intensity in [0, 1] (the default (x − 0.5)/0.25). */
const intensity = (v: number) => v * 0.25 + 0.5;

test('gamma, blur and noise left off (absent or 0) render exactly the views every earlier run saw', () => {
  const image = patches(3, 6);
  const indices = Int32Array.from([0, 1, 2]);
  const plain = previewSession({}, image);
  const zeros = previewSession({ gamma: 0, blurSigma: 0, noise: 0, blurProbability: 1 }, image);
  const on = previewSession({ gamma: 0.3 }, image);
  for (let step = 0; step < 5; step++) {
    for (const view of [0, 1]) {
      const a = plain.previewViews('set', indices, step, view, true);
      assert.deepEqual(zeros.previewViews('set', indices, step, view, true), a);
      assert.notDeepEqual(on.previewViews('set', indices, step, view, true), a);
    }
  }
});

test('gamma alone maps every pixel x to x^γ for one γ per view, log-uniform within [1/(1+g), 1+g]', () => {
  const image = patches(1, 7);
  const s = previewSession({ ...IDENTITY, gamma: 0.5 }, image);
  const gammas: number[] = [];
  for (let step = 0; step < 30; step++) {
    const view = s.previewViews('set', one, step, 0, true);
    const estimates: number[] = [];
    view.forEach((v, i) => {
      const x = (image[i] as number) / 255;
      if (x > 0.1 && x < 0.9) estimates.push(Math.log(intensity(v)) / Math.log(x));
    });
    const g = estimates.reduce((s2, e) => s2 + e, 0) / estimates.length;
    assert.ok(estimates.every((e) => Math.abs(e - g) < 2e-4), `step ${step}: one γ for all pixels`);
    assert.ok(g >= 1 / 1.5 - 1e-6 && g <= 1.5 + 1e-6, `γ ${g} outside [1/1.5, 1.5]`);
    gammas.push(g);
  }
  assert.ok(gammas.some((g) => g < 0.9) && gammas.some((g) => g > 1.1), `γ should spread over its range: ${gammas}`);
});

test('blur alone is a Gaussian filter with replicated borders (scipy.ndimage), σ within [0.1, blurSigma]', () => {
  const image = patches(1, 8);
  const s = previewSession({ ...IDENTITY, blurSigma: 2, blurProbability: 1 }, image);
  const views = [0, 1, 2, 3].map((step) => Array.from(s.previewViews('set', one, step, 0, true), intensity));
  const fitted = runPython<{ sigma: number; error: number }[]>(
    `import json, math, sys
import numpy as np
from scipy.ndimage import gaussian_filter
from scipy.optimize import minimize_scalar
d = json.load(sys.stdin)
x = np.array(d['image'], dtype=np.float64).reshape(d['size'], d['size']) / 255
out = []
for view in d['views']:
    v = np.array(view).reshape(x.shape)
    err = lambda s: float(np.abs(gaussian_filter(x, s, mode='nearest', radius=max(1, math.ceil(3 * s))) - v).max())
    best = min((minimize_scalar(err, bounds=(lo, lo + 0.1), method='bounded', options={'xatol': 1e-7}) for lo in np.arange(0.05, 2.05, 0.1)), key=lambda r: r.fun)
    out.append({'sigma': float(best.x), 'error': float(best.fun)})
print(json.dumps(out))`,
    { image: Array.from(image), size: SIZE, views },
  );
  console.log('fitted blur', fitted);
  for (const { sigma, error } of fitted) {
    assert.ok(error < 1e-4, `no Gaussian σ reproduces the view (best σ ${sigma}, max error ${error})`);
    assert.ok(sigma >= 0.1 - 1e-3 && sigma <= 2 + 1e-3, `σ ${sigma} outside [0.1, 2]`);
  }
  const half = previewSession({ ...IDENTITY, blurSigma: 2, blurProbability: 0.5 }, image);
  const plain = Array.from(half.previewViews('set', one, 0, 0, false));
  const blurred = Array.from({ length: 40 }, (_, step) => half.previewViews('set', one, step, 0, true)).filter((v) => v.some((x, i) => Math.abs(x - (plain[i] as number)) > 1e-5)).length;
  assert.ok(blurred > 8 && blurred < 32, `blurProbability 0.5 should blur about half the views, got ${blurred}/40`);
});

test('noise alone adds zero-mean Gaussian noise whose σ is at most `noise`', () => {
  const image = new Uint8Array(SIZE * SIZE).fill(128);
  const s = previewSession({ ...IDENTITY, noise: 0.05 }, image);
  const spreads: number[] = [];
  for (let step = 0; step < 20; step++) {
    const residual = Array.from(s.previewViews('set', one, step, 0, true), (v) => intensity(v) - 128 / 255);
    const mean = residual.reduce((a, r) => a + r, 0) / residual.length;
    const sd = Math.sqrt(residual.reduce((a, r) => a + (r - mean) ** 2, 0) / (residual.length - 1));
    assert.ok(Math.abs(mean) < 4 * sd / Math.sqrt(residual.length) + 1e-6, `step ${step}: noise mean ${mean} is not zero`);
    assert.ok(sd < 0.05 * 1.1, `step ${step}: noise σ ${sd} above 0.05`);
    spreads.push(sd);
  }
  assert.ok(Math.max(...spreads) > 0.025 && Math.min(...spreads) < 0.025, `σ should vary between views: ${spreads}`);
});
