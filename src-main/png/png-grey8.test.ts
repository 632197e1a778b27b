// The native grey-8 fast path against pngjs, the general decoder it stands in for: identical pixels on real P-ADSD
// patches, and on a thousand damaged ones it never accepts a file pngjs refuses (or reads it differently).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { sharedDataDir } from '../app/paths.ts';
import { mutatePng } from '../../tests/reliability/fuzz/png-mutations.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { decodeGrey8, isSound8BitPng } from './png-grey8.ts';
import { encodePng } from './png.ts';

/** pngjs's reading of a file as grey samples (it expands to RGBA), or its error. */
function viaPngjs(bytes: Uint8Array): { width: number; height: number; grey: Uint8Array } | Error {
  try {
    const png = PNG.sync.read(Buffer.from(bytes));
    const grey = new Uint8Array(png.width * png.height);
    for (let i = 0; i < grey.length; i++) grey[i] = png.data[4 * i] as number;
    return { width: png.width, height: png.height, grey };
  } catch (error) {
    return error as Error;
  }
}

const folder = join(sharedDataDir(), 'p-adsd', 'labeled', 'test', 'positive');
const patches = readdirSync(folder).sort().slice(0, 60).map((name) => readFileSync(join(folder, name)));

test('real P-ADSD patches take the fast path and read exactly as pngjs reads them', () => {
  for (const bytes of patches) {
    const fast = decodeGrey8(bytes);
    assert.ok(fast, 'a P-ADSD patch is 8-bit grey: the fast path must take it');
    assert.equal(isSound8BitPng(bytes), true);
    const reference = viaPngjs(bytes);
    assert.ok(!(reference instanceof Error));
    assert.deepEqual([fast.width, fast.height], [reference.width, reference.height]);
    assert.deepEqual(fast.pixels, reference.grey);
  }
});

test('every filter type is undone as the PNG spec says (pngjs writes each; its pixels are the oracle)', () => {
  const width = 37, height = 23;
  const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 97 + (i >> 3) * 13) & 0xff);
  for (const colorType of [0, 2]) {
    for (const filterType of [0, 1, 2, 3, 4]) {
      const png = new PNG({ width, height, colorType, inputColorType: 0, bitDepth: 8, filterType } as never);
      png.data = Buffer.from(pixels);
      const bytes = PNG.sync.write(png, { colorType, inputColorType: 0, filterType } as never);
      assert.equal(bytes[25], colorType);
      assert.deepEqual(decodeGrey8(bytes)?.pixels, pixels, `colour type ${colorType}, filter type ${filterType}`);
    }
  }
  assert.equal(decodeGrey8(encodePng(width, height, 1, pixels)), null, 'RGBA (what encodePng writes) is the general decoder\'s case');
});

test('on 1,000 damaged patches the fast paths accept nothing pngjs refuses, and read what they accept identically', () => {
  const random = seededRandom(2024);
  let accepted = 0;
  for (let i = 0; i < 1000; i++) {
    const mutation = mutatePng(patches[i % patches.length]!, random);
    if (isSound8BitPng(mutation.bytes)) assert.ok(!(viaPngjs(mutation.bytes) instanceof Error), `${mutation.kind} (${mutation.detail}): called sound, but pngjs refuses it`);
    const fast = decodeGrey8(mutation.bytes);
    if (!fast) continue;
    accepted++;
    const reference = viaPngjs(mutation.bytes);
    assert.ok(!(reference instanceof Error), `${mutation.kind} (${mutation.detail}): fast path accepted what pngjs refuses: ${reference instanceof Error ? reference.message : ''}`);
    assert.deepEqual(fast.pixels, reference.grey, `${mutation.kind} (${mutation.detail}) read differently`);
  }
  assert.ok(accepted > 0 && accepted < 1000, `the mutations should leave some files readable and break others (${accepted} accepted)`);
});
