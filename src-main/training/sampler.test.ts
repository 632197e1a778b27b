// The epoch order depends only on (seed, stage, epoch): that is what lets a resumed run redraw the same batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchAt, epochPermutation, stepsPerEpoch } from './sampler.ts';

test('an epoch permutation is a reproducible shuffle that changes with epoch, stage and seed', () => {
  const a = epochPermutation(1000, 5, 1, 3);
  assert.deepEqual(Array.from(a).sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(epochPermutation(1000, 5, 1, 3), a);
  for (const other of [epochPermutation(1000, 5, 1, 4), epochPermutation(1000, 5, 2, 3), epochPermutation(1000, 6, 1, 3)]) {
    assert.notDeepEqual(other, a);
  }
});

test('epochs use full batches only, capped when asked', () => {
  assert.equal(stepsPerEpoch(1000, 32, 0), 31);
  assert.equal(stepsPerEpoch(1000, 32, 10), 10);
  assert.deepEqual(Array.from(batchAt(Int32Array.from([5, 4, 3, 2, 1, 0]), 2, 1)), [3, 2]);
});
