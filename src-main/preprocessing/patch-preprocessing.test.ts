// The versioned patch transform: what the resize rule promises (pad-to-square with replicated borders, area
// averaging when shrinking, bilinear when enlarging, 16-bit min–max window) on images with known answers, and on
// real non-square P-ADSD patches.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { decodePng } from '../png/png.ts';
import { padToSquare, preprocessPatch, preprocessingSpec, resizeSquare, toEightBit, PREPROCESSING_VERSION } from './patch-preprocessing.ts';

test('shrinking by an integer factor averages each block exactly', () => {
  const side = 4;
  const pixels = Uint8Array.from([0, 4, 10, 10, 8, 4, 10, 10, 100, 100, 0, 255, 100, 100, 255, 0]);
  assert.deepEqual(Array.from(resizeSquare(pixels, side, 2)), [4, 10, 100, 128]);
});

test('enlarging is bilinear with half-pixel centres and keeps a constant image constant', () => {
  assert.deepEqual(Array.from(resizeSquare(Uint8Array.from([0, 100, 0, 100]), 2, 4)).slice(0, 4), [0, 25, 75, 100]);
  assert.ok(resizeSquare(new Uint8Array(33 * 33).fill(77), 33, 64).every((v) => v === 77));
  assert.ok(resizeSquare(new Uint8Array(150 * 150).fill(77), 150, 64).every((v) => v === 77));
});

test('non-square images are padded to square by replicating their borders, centred', () => {
  const { pixels, side } = padToSquare(Uint8Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
  assert.equal(side, 3);
  assert.deepEqual(Array.from(pixels), [1, 2, 3, 4, 5, 6, 4, 5, 6]);
});

test('16-bit images are windowed min–max to 8 bit; 8-bit grey passes unchanged', () => {
  const wide = toEightBit({ width: 3, height: 1, channels: 1, bitDepth: 16, pixels: Uint16Array.from([1000, 1500, 2000]) });
  assert.deepEqual(Array.from(wide), [0, 128, 255]);
  const grey = toEightBit({ width: 2, height: 1, channels: 1, bitDepth: 8, pixels: Uint8Array.from([3, 250]) });
  assert.deepEqual(Array.from(grey), [3, 250]);
});

test('real P-ADSD patches of every shape come out 64 × 64 under the patch-v1 spec', () => {
  const spec = preprocessingSpec(64);
  assert.equal(spec.version, PREPROCESSING_VERSION);
  const dir = join(sharedDataDir(), 'p-adsd', 'labeled', 'test', 'positive');
  const shapes = new Set<string>();
  let nonSquare = 0;
  for (const name of readdirSync(dir).slice(0, 150)) {
    const image = decodePng(readFileSync(join(dir, name)), name);
    shapes.add(`${image.width}x${image.height}`);
    if (image.width !== image.height) nonSquare++;
    const out = preprocessPatch(image, spec);
    assert.equal(out.length, 64 * 64);
    assert.ok(out.some((v) => v !== out[0]), `${name} did not become a flat image`);
  }
  assert.ok(shapes.size > 1, 'the sample covers several patch sizes');
  console.log(`preprocessed ${shapes.size} distinct sizes, ${nonSquare} non-square`);
});
