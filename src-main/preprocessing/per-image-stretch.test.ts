// Per-image normalisation against numpy: the 1st and 99th percentiles (numpy's 'lower' and 'higher' methods) of each
// prepared P-ADSD patch map to 0 and 255, every pixel by the same linear stretch; a linear change of contrast and
// offset before preprocessing barely moves the result; a flat patch is left as it is.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { decodePng } from '../png/png.ts';
import { runPython } from '../testing/python-oracle.ts';
import { preprocessingSpec, preprocessPatch, stretchPercentiles } from './index.ts';

const NUMPY_STRETCH = `
import json, sys
import numpy as np
out = []
for patch in json.load(sys.stdin):
    x = np.asarray(patch, dtype=np.float64)
    low = np.percentile(x, 1, method='lower')
    high = np.percentile(x, 99, method='higher')
    if high <= low:
        out.append([int(v) for v in x])
        continue
    y = np.clip((x - low) * (255.0 / (high - low)), 0, 255)
    out.append([int(v) for v in np.floor(y + 0.5)])
print(json.dumps(out))
`;

function realPatches(count: number): { name: string; pixels: Uint8Array }[] {
  const dir = join(sharedDataDir(), 'p-adsd', 'labeled', 'test', 'negative');
  return readdirSync(dir).sort().slice(0, count).map((name) => {
    const image = decodePng(readFileSync(join(dir, name)), name);
    // The stretch is the last step: its input is the patch-v1 patch.
    return { name, pixels: preprocessPatch(image, preprocessingSpec(64)) };
  });
}

test('the stretch matches numpy percentiles and arithmetic on real prepared patches', () => {
  const patches = realPatches(40);
  const expected = runPython<number[][]>(NUMPY_STRETCH, patches.map((p) => Array.from(p.pixels)));
  patches.forEach((patch, i) => assert.deepEqual(Array.from(stretchPercentiles(patch.pixels)), expected[i], patch.name));
  const stretched = patches.map((p) => stretchPercentiles(p.pixels));
  assert.ok(stretched.some((s, i) => s.some((v, j) => v !== patches[i]!.pixels[j])), 'the stretch changes real patches');
});

test('per-image normalisation undoes a linear contrast and offset change up to rounding', () => {
  for (const { name, pixels } of realPatches(20)) {
    const dimmed = pixels.map((v) => Math.round(60 + v * 0.5));
    const spec = preprocessingSpec(64, { normalisation: 'per-image' });
    const a = preprocessPatch({ width: 64, height: 64, channels: 1, bitDepth: 8, pixels }, spec);
    const b = preprocessPatch({ width: 64, height: 64, channels: 1, bitDepth: 8, pixels: dimmed }, spec);
    // Halving the contrast rounds away one grey level in two; the stretch magnifies that by 255 / (its range).
    const sorted = Array.from(dimmed).sort((x, y) => x - y);
    const range = sorted[Math.ceil(0.99 * 4095)]! - sorted[Math.floor(0.01 * 4095)]!;
    const tolerance = 2 + (1.5 * 255) / range;
    const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    assert.ok(worst <= tolerance, `${name}: ${worst} grey levels apart after the stretch (tolerance ${tolerance.toFixed(1)})`);
    const fixed = preprocessPatch({ width: 64, height: 64, channels: 1, bitDepth: 8, pixels: dimmed }, preprocessingSpec(64));
    assert.ok(fixed.some((v, i) => Math.abs(v - a[i]!) > 20), `${name}: without the option the dimmed patch stays dim`);
  }
});

test('a flat patch is left as it is', () => {
  assert.deepEqual(Array.from(stretchPercentiles(new Uint8Array(16).fill(90))), new Array(16).fill(90));
});
