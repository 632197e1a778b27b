// The check a Training screen makes before starting a run on a locked split: too few images for one batch is said
// in a sentence that names what to change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitReadinessProblem } from './training-readiness.ts';

const parts = (train: [number, number], val: [number, number]) => ({ train: { positive: train[0], negative: train[1] }, val: { positive: val[0], negative: val[1] } });

test('12 labelled training images and batch 16: lower the batch or label more', () => {
  const problem = splitReadinessProblem(parts([5, 7], [2, 2]), { method: 'supervised', batchSize: 16 });
  assert.equal(problem, '12 labelled training images and batch 16: lower the batch to 12 or less in the configuration, or label more images for the training part.');
});

test('a training part of one full batch can train', () => {
  assert.equal(splitReadinessProblem(parts([8, 8], [1, 1]), { method: 'supervised', batchSize: 16 }), null);
});

test('an invalid configuration is left to the configuration check', () => {
  assert.equal(splitReadinessProblem(parts([0, 0], [0, 0]), { batchSize: 'big' }), null);
});
