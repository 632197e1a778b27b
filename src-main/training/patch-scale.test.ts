// A run's patch side in millimetres is the median over its training images only when every one has a scale: a
// split without a scale file (P-ADSD) or with one unsized image gives none, and the model's window stays in pixels.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PATCH_SCALE_FILE, trainingPatchScale } from './patch-scale.ts';

const made: string[] = [];

function split(sides: (number | null)[] | null): string[] {
  const root = mkdtempSync(join(tmpdir(), 'angio-patch-scale-'));
  const labeled = join(root, 'labeled');
  mkdirSync(join(labeled, 'train', 'positive'), { recursive: true });
  const names = (sides ?? [1, 2, 3]).map((_, i) => `train/positive/${i + 1}.png`);
  for (const name of names) writeFileSync(join(labeled, name), '');
  if (sides) {
    const files = Object.fromEntries(names.map((name, i) => [name, { mmPerPixel: sides[i] === null ? null : 0.2, sideMm: sides[i] }]));
    writeFileSync(join(labeled, PATCH_SCALE_FILE), JSON.stringify({ format: 'angio-patch-scale-1', files }));
  }
  made.push(root);
  return names.map((name) => join(labeled, ...name.split('/')));
}

test('the median side when every training image has one, none otherwise', () => {
  try {
    assert.deepEqual(trainingPatchScale(split([12, 10, 15, 11])), { sideMm: 11.5, scaled: 4, total: 4 });
    assert.deepEqual(trainingPatchScale(split([12, 10, 15])), { sideMm: 12, scaled: 3, total: 3 });
    assert.deepEqual(trainingPatchScale(split([12, null, 15])), { sideMm: null, scaled: 2, total: 3 });
    assert.deepEqual(trainingPatchScale(split(null)), { sideMm: null, scaled: 0, total: 3 });
    assert.deepEqual(trainingPatchScale([]), { sideMm: null, scaled: 0, total: 0 });
  } finally {
    for (const root of made) rmSync(root, { recursive: true, force: true });
  }
});
