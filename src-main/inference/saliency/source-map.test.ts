// A saliency map goes back onto the reader's image the way the model's preprocessing put the image in: at native
// scale an image smaller than the canvas is read back pixel for pixel from the centre of the map (the same pixels
// preprocessing placed there); under the resize rule, and for images larger than the canvas, the whole map is resampled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preprocessingSpec, preprocessPatch } from '../../preprocessing/index.ts';
import { resampleMap, sourceMap } from './resample-map.ts';

test('at native scale the map is read back from where preprocessing placed each image pixel', () => {
  const width = 40;
  const height = 30;
  const spec = preprocessingSpec(96, { fit: 'pad' });
  // Distinct image values: the prepared canvas then says where each image pixel went.
  const pixels = new Uint8Array(width * height).map((_, i) => i % 251);
  const canvas = preprocessPatch({ width, height, channels: 1, bitDepth: 8, pixels }, spec);
  const map = Float32Array.from(canvas, (v) => v);
  assert.deepEqual(Array.from(sourceMap(map, 96, width, height, spec)), Array.from(pixels));
});

test('under the resize rule, and for images larger than the canvas, the whole map is resampled as before', () => {
  const map = new Float32Array(64 * 64).map((_, i) => Math.sin(i));
  assert.deepEqual(sourceMap(map, 64, 50, 40, preprocessingSpec(64)), resampleMap(map, 64, 64, 50, 40));
  assert.deepEqual(sourceMap(map, 64, 120, 100, preprocessingSpec(64, { fit: 'pad' })), resampleMap(map, 64, 64, 120, 100));
});
