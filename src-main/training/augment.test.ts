// Native view augmentation: evaluation views are exactly the normalised pixels; training views are reproducible
// from (seed, step, view), differ between steps and between the two SimCLR views, stay in range, and flip only
// horizontally — never vertically.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEngine } from './engine.ts';

const engine = loadEngine();
const SIZE = 32;

/** An image with no symmetry: a bright top-left corner block and a horizontal gradient. */
function asymmetricImage(): Uint8Array {
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) pixels[y * SIZE + x] = x < 8 && y < 12 ? 250 : 4 * x + 2 * y;
  return pixels;
}

function session(augment: Record<string, number | boolean> = {}) {
  const s = new engine.TrainingSession({ model: { encoder: 'simple_cnn', quantumFusion: false }, augment, imageSize: SIZE, seed: 4, threads: 1, deterministic: true });
  s.setImages('set', asymmetricImage(), null, SIZE);
  return s;
}

const one = Int32Array.from([0]);
const same = (a: Float32Array, b: Float32Array) => a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-6);

test('evaluation views are the pixels normalised as (x/255 − 0.5) / 0.25, nothing else', () => {
  const image = asymmetricImage();
  const views = session().previewViews('set', one, 0, 0, false);
  assert.ok(views.every((v, i) => Math.abs(v - ((image[i] as number) / 255 - 0.5) / 0.25) < 1e-6));
});

test('training views are reproducible per (step, view) and change with either', () => {
  const s = session();
  const a = s.previewViews('set', one, 7, 0, true);
  assert.ok(same(a, s.previewViews('set', one, 7, 0, true)), 'same step and view → same pixels');
  assert.ok(!same(a, s.previewViews('set', one, 8, 0, true)), 'next step → new view');
  assert.ok(!same(a, s.previewViews('set', one, 7, 1, true)), 'second SimCLR view differs from the first');
  assert.ok(a.every((v) => v >= -2 - 1e-6 && v <= 2 + 1e-6), 'intensities stay within the normalised [0, 1] range');
});

test('with every other transform off, a view is the image or its left–right mirror, never upside down', () => {
  const s = session({ rotationDegrees: 0, cropScaleMin: 1, cropRatioMax: 1, translate: 0, shearDegrees: 0, brightness: 0, contrast: 0, horizontalFlip: true });
  const plain = s.previewViews('set', one, 0, 0, false);
  const mirrored = new Float32Array(plain.length);
  const upsideDown = new Float32Array(plain.length);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      mirrored[y * SIZE + x] = plain[y * SIZE + (SIZE - 1 - x)] as number;
      upsideDown[y * SIZE + x] = plain[(SIZE - 1 - y) * SIZE + x] as number;
    }
  }
  let flips = 0;
  for (let step = 0; step < 40; step++) {
    const view = s.previewViews('set', one, step, 0, true);
    assert.ok(!same(view, upsideDown), `step ${step} produced a vertical flip`);
    if (same(view, mirrored)) flips++;
    else assert.ok(same(view, plain), `step ${step} changed the image although only flips are enabled`);
  }
  assert.ok(flips > 5 && flips < 35, `about half the views should be mirrored, got ${flips}/40`);
});
