// Display shutters: rectangular, circular and polygonal, 1-based rows/columns, combined as an intersection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyShutter, shutterMask } from './shutters.ts';

const rows = (mask: Uint8Array, width: number) => Array.from({ length: mask.length / width }, (_, y) => Array.from(mask.subarray(y * width, (y + 1) * width)).join(''));

test('no shutter: no mask, pixels untouched', () => {
  assert.equal(shutterMask(4, 4, null), null);
  const pixels = Uint32Array.from([1, 2]);
  applyShutter(pixels, null);
  assert.deepEqual(Array.from(pixels), [1, 2]);
});

test('a rectangular shutter keeps columns left..right and rows upper..lower (1-based, inclusive)', () => {
  const mask = shutterMask(5, 4, { shapes: ['RECTANGULAR'], rectangular: { left: 2, right: 4, upper: 2, lower: 3 } })!;
  assert.deepEqual(rows(mask, 5), ['00000', '01110', '01110', '00000']);
  const pixels = new Uint32Array(20).fill(0xffffffff);
  applyShutter(pixels, mask);
  assert.equal(pixels[0], 0xff000000);
  assert.equal(pixels[6], 0xffffffff);
});

test('a circular shutter keeps the disc; with a rectangle, only what both keep', () => {
  const circle = { centerRow: 3, centerColumn: 3, radius: 1 };
  assert.deepEqual(rows(shutterMask(5, 5, { shapes: ['CIRCULAR'], circular: circle })!, 5), ['00000', '00100', '01110', '00100', '00000']);
  const both = shutterMask(5, 5, { shapes: ['CIRCULAR', 'RECTANGULAR'], circular: circle, rectangular: { left: 3, right: 5, upper: 1, lower: 5 } })!;
  assert.deepEqual(rows(both, 5), ['00000', '00100', '00110', '00100', '00000']);
});

test('a polygonal shutter keeps the inside of its vertices (row, column pairs)', () => {
  const triangle = [1, 1, 1, 5, 5, 1];
  const mask = shutterMask(5, 5, { shapes: ['POLYGONAL'], polygonal: triangle })!;
  assert.equal(mask[1 * 5 + 1], 1); // row 2, column 2
  assert.equal(mask[4 * 5 + 4], 0); // row 5, column 5
});
