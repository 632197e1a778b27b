// augment.verticalFlip: with every other transform off, the engine's training views are exactly the evaluation view
// or numpy's flipud of it (and, with the horizontal flip on too, fliplr or the half turn rot90(·, 2)), in about half
// the draws; without the option a config parses as before, so earlier encoders keep their pretraining key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrainingConfig } from '../../src-preload/schemas/training-config.ts';
import { runPython } from '../testing/python-oracle.ts';
import { loadEngine } from './engine.ts';

const engine = loadEngine();
const SIZE = 32;
const STEPS = 48;
const GEOMETRY_OFF = { rotationDegrees: 0, cropScaleMin: 1, cropRatioMax: 1, translate: 0, shearDegrees: 0, brightness: 0, contrast: 0 };

/** No symmetry: a bright block near the top-left and a gradient running both ways. */
function asymmetricImage(): Uint8Array {
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) pixels[y * SIZE + x] = x < 8 && y < 12 ? 250 : 4 * x + 2 * y;
  return pixels;
}

function session(augment: Record<string, number | boolean>) {
  const s = new engine.TrainingSession({ model: { encoder: 'simple_cnn', quantumFusion: false }, augment, imageSize: SIZE, seed: 9, threads: 1, deterministic: true });
  s.setImages('set', asymmetricImage(), null, SIZE);
  return s;
}

type Oriented = { identity: number[]; flipud: number[]; fliplr: number[]; rot180: number[] };

/** numpy's flips of the un-augmented view: the reference each training view must equal exactly. */
function numpyOrientations(plain: Float32Array): Oriented {
  return runPython<Oriented>(`
import json, sys
import numpy as np
x = np.array(json.load(sys.stdin), dtype=np.float32).reshape(${SIZE}, ${SIZE})
print(json.dumps({k: v.ravel().tolist() for k, v in
  {'identity': x, 'flipud': np.flipud(x), 'fliplr': np.fliplr(x), 'rot180': np.rot90(x, 2)}.items()}))
`, Array.from(plain));
}

const one = Int32Array.from([0]);
const equal = (a: Float32Array, b: number[]) => a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-6);

/** Names the orientation each of STEPS training views has (both SimCLR views), failing on any other picture. */
function orientations(augment: Record<string, number | boolean>, allowed: (keyof Oriented)[]): Map<string, number> {
  const s = session({ ...GEOMETRY_OFF, ...augment });
  const reference = numpyOrientations(s.previewViews('set', one, 0, 0, false));
  const counts = new Map<string, number>();
  for (let step = 0; step < STEPS; step++) {
    for (const view of [0, 1]) {
      const pixels = s.previewViews('set', one, step, view, true);
      const name = allowed.find((k) => equal(pixels, reference[k]));
      assert.ok(name, `step ${step} view ${view} is none of ${allowed.join(', ')} of the un-augmented view`);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return counts;
}

test('verticalFlip alone: every view is the image or exactly numpy.flipud of it, about half each', () => {
  const counts = orientations({ horizontalFlip: false, verticalFlip: true }, ['identity', 'flipud']);
  const flipped = counts.get('flipud') ?? 0;
  assert.ok(flipped > 0.25 * 2 * STEPS && flipped < 0.75 * 2 * STEPS, `about half of ${2 * STEPS} views should be upside down, got ${flipped}`);
});

test('both flips: identity, flipud, fliplr and the half turn all occur, and nothing else', () => {
  const counts = orientations({ horizontalFlip: true, verticalFlip: true }, ['identity', 'flipud', 'fliplr', 'rot180']);
  for (const name of ['identity', 'flipud', 'fliplr', 'rot180']) {
    assert.ok((counts.get(name) ?? 0) >= 8, `${name} should appear in roughly a quarter of ${2 * STEPS} views, got ${counts.get(name) ?? 0}`);
  }
});

test('verticalFlip false draws no vertical flip: views are the image or its mirror only', () => {
  const counts = orientations({ horizontalFlip: true, verticalFlip: false }, ['identity', 'fliplr']);
  assert.ok((counts.get('fliplr') ?? 0) > 0, 'the horizontal flip still happens');
});

test('the option is off unless asked for, and absent from a parsed config that does not name it', () => {
  const config = parseTrainingConfig({});
  assert.equal('verticalFlip' in config.augment, false, 'an absent option must not change the pretraining key of earlier runs');
  assert.equal(parseTrainingConfig({ augment: { verticalFlip: true } }).augment.verticalFlip, true);
});
