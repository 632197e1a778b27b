// The native-scale option of the patch transform: a patch smaller than the canvas keeps every pixel, unscaled and
// centred, with replicated borders around it; a larger one shrinks to fit by the resize rule; the defaults still
// write patch-v1 exactly as before, and a frame window is prepared like the same pixels saved as a patch.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { preprocessImage, prepareRegion, toGrey8 } from '../inference/preprocess.ts';
import { decodePng } from '../png/png.ts';
import { isKnownPreprocessing, padToSquare, preprocessingSpec, preprocessPatch, resizeSquare } from './index.ts';

const grey = (width: number, height: number, pixels: Uint8Array) => ({ width, height, channels: 1 as const, bitDepth: 8 as const, pixels });

test('the defaults are the patch-v1 spec, field for field, so earlier models and their hashes are unchanged', () => {
  assert.deepEqual(preprocessingSpec(64), { version: 'patch-v1', size: 64, mean: 0.5, std: 0.25 });
  assert.deepEqual(preprocessingSpec(64, { fit: 'resize', normalisation: 'fixed' }), preprocessingSpec(64));
  assert.deepEqual(preprocessingSpec(96, { fit: 'pad' }), { version: 'patch-v2', size: 96, mean: 0.5, std: 0.25, fit: 'pad', normalisation: 'fixed' });
  assert.ok(isKnownPreprocessing(preprocessingSpec(96, { fit: 'pad', normalisation: 'per-image' })));
  assert.ok(!isKnownPreprocessing({ version: 'patch-v2', size: 96, mean: 0.5, std: 0.25, fit: 'stretch' as 'pad', normalisation: 'fixed' }));
  assert.ok(!isKnownPreprocessing({ version: 'patch-v3' as 'patch-v2', size: 96, mean: 0.5, std: 0.25 }));
});

test('a patch smaller than the canvas comes out centred and unscaled, its margin repeating the nearest border pixel', () => {
  const width = 40;
  const height = 30;
  const pixels = new Uint8Array(width * height).map((_, i) => (i * 7 + 3) % 251);
  const out = preprocessPatch(grey(width, height, pixels), preprocessingSpec(96, { fit: 'pad' }));
  assert.equal(out.length, 96 * 96);
  // Pad to a 40-pixel square (5 rows above), then centre the square in 96 (28 on each side).
  const left = 28;
  const top = 28 + 5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) assert.equal(out[(top + y) * 96 + left + x], pixels[y * width + x], `pixel (${x}, ${y})`);
  }
  for (let y = 0; y < 96; y++) {
    for (let x = 0; x < 96; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - left));
      const sy = Math.min(height - 1, Math.max(0, y - top));
      assert.equal(out[y * 96 + x], pixels[sy * width + sx], `canvas (${x}, ${y}) repeats its nearest patch pixel`);
    }
  }
});

test('a patch larger than the canvas shrinks to fit by the resize rule; one of the canvas size passes unchanged', () => {
  const big = new Uint8Array(150 * 150).map((_, i) => (i * 13) % 256);
  assert.deepEqual(preprocessPatch(grey(150, 150, big), preprocessingSpec(96, { fit: 'pad' })), resizeSquare(big, 150, 96));
  const same = new Uint8Array(96 * 96).map((_, i) => (i * 5) % 256);
  assert.deepEqual(preprocessPatch(grey(96, 96, same), preprocessingSpec(96, { fit: 'pad' })), same);
});

test('real P-ADSD patches keep their pixels at native scale in a 128 canvas', () => {
  const dir = join(sharedDataDir(), 'p-adsd', 'labeled', 'val', 'positive');
  let checked = 0;
  for (const name of readdirSync(dir).sort().slice(0, 60)) {
    const image = decodePng(readFileSync(join(dir, name)), name);
    if (image.channels !== 1 || image.bitDepth !== 8 || Math.max(image.width, image.height) > 128) continue;
    const out = preprocessPatch(image, preprocessingSpec(128, { fit: 'pad' }));
    const square = padToSquare(image.pixels as Uint8Array, image.width, image.height);
    const offset = Math.floor((128 - square.side) / 2);
    for (let y = 0; y < square.side; y++) {
      assert.deepEqual(out.subarray((offset + y) * 128 + offset, (offset + y) * 128 + offset + square.side), square.pixels.subarray(y * square.side, (y + 1) * square.side), `${name} row ${y}`);
    }
    checked++;
  }
  assert.ok(checked >= 20, `only ${checked} grey patches up to 128 px in the sample`);
});

test('a window cut from a frame is prepared like the same pixels saved as a patch, under every option', () => {
  const frame = new Uint8Array(200 * 100).map((_, i) => (i * 37) % 251);
  const crop = new Uint8Array(50 * 40);
  for (let r = 0; r < 40; r++) crop.set(frame.subarray((20 + r) * 200 + 30, (20 + r) * 200 + 80), r * 50);
  for (const spec of [preprocessingSpec(64), preprocessingSpec(64, { fit: 'pad' }), preprocessingSpec(96, { fit: 'pad', normalisation: 'per-image' }), preprocessingSpec(32, { normalisation: 'per-image' })]) {
    const fromFrame = prepareRegion(toGrey8({ width: 200, height: 100, pixels: frame }), 200, 30, 20, 50, 40, spec);
    assert.deepEqual(fromFrame, preprocessImage({ width: 50, height: 40, pixels: crop }, spec).patch, JSON.stringify(spec));
    assert.deepEqual(fromFrame, preprocessPatch(grey(50, 40, crop), spec), JSON.stringify(spec));
  }
});

test('preparing a prepared patch again returns it unchanged (the export computes its statistics that way)', () => {
  const dir = join(sharedDataDir(), 'p-adsd', 'labeled', 'train', 'negative');
  for (const name of readdirSync(dir).sort().slice(0, 20)) {
    const image = decodePng(readFileSync(join(dir, name)), name);
    for (const spec of [preprocessingSpec(96, { fit: 'pad' }), preprocessingSpec(64, { normalisation: 'per-image' }), preprocessingSpec(96, { fit: 'pad', normalisation: 'per-image' })]) {
      const once = preprocessPatch(image, spec);
      const copy = once.slice();
      assert.deepEqual(preprocessImage({ width: spec.size, height: spec.size, pixels: once }, spec).patch, once, `${name} ${JSON.stringify(spec)}`);
      assert.deepEqual(once, copy, 'the input was not modified');
    }
  }
});
