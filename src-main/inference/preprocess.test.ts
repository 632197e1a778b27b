// The versioned preprocessing against PIL (the resample) and its refusals (wrong size, a single grey level).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../ipc/app-error.ts';
import { readFileSync } from 'node:fs';
import { decodePng } from '../png/png.ts';
import { preprocessPatch, preprocessingSpec } from '../preprocessing/index.ts';
import { checkImage, preprocessImage, resampleRegion, toGrey8, defaultPreprocessing } from './preprocess.ts';
import { labelledPatches } from './testing/padsd.ts';

test('P-ADSD patches are prepared exactly as training prepares them (patch-v1)', () => {
  for (const { path, image } of labelledPatches('val', 4)) {
    const training = preprocessPatch(decodePng(readFileSync(path), path), preprocessingSpec(64));
    assert.deepEqual(preprocessImage(image, defaultPreprocessing(64)).patch, training, path);
  }
});

test('a window cut from an 8-bit frame is prepared like the same pixels saved as a patch', () => {
  const frame = new Uint8Array(200 * 100).map((_, i) => (i * 37) % 251);
  const crop = new Uint8Array(90 * 60);
  for (let r = 0; r < 60; r++) crop.set(frame.subarray((20 + r) * 200 + 30, (20 + r) * 200 + 120), r * 90);
  const fromFrame = resampleRegion(toGrey8({ width: 200, height: 100, pixels: frame }), 200, 30, 20, 90, 60, 64);
  assert.deepEqual(fromFrame, preprocessImage({ width: 90, height: 60, pixels: crop }, defaultPreprocessing(64)).patch);
});

test('16-bit frames are windowed min–max to 8 bit once, over the whole frame', () => {
  const pixels = new Uint16Array(100 * 100).map((_, i) => 1000 + (i % 100) * 10);
  const grey = toGrey8({ width: 100, height: 100, pixels });
  assert.deepEqual([grey[0], grey[99]], [0, 255]);
  assert.equal(grey[50], Math.round((500 / 990) * 255));
});

test('an image of unexpected size or without contrast is refused with a typed error', () => {
  const is = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
  assert.throws(() => checkImage({ width: 10, height: 10, pixels: new Uint8Array(99) }), is('image-size-unexpected'));
  assert.throws(() => checkImage({ width: 0, height: 10, pixels: new Uint8Array(0) }), is('image-size-unexpected'));
  assert.throws(() => preprocessImage({ width: 8, height: 8, pixels: new Uint16Array(64) }, defaultPreprocessing()), is('empty-frame'));
});

test('normalisation is (x/255 − 0.5)/0.25 on the resampled patch', () => {
  const pixels = new Uint8Array(64 * 64).map((_, i) => (i % 2 ? 255 : 0));
  const { input, patch } = preprocessImage({ width: 64, height: 64, pixels }, defaultPreprocessing());
  assert.deepEqual([patch[0], patch[1]], [0, 255]);
  assert.deepEqual([input[0], input[1]], [-2, 2]);
});
