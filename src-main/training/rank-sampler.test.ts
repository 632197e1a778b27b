// The distributed sampler: each rank's slices, joined in rank order, are the batches one process draws, so every
// image is seen exactly once per epoch (full batches) on any world size, and the order changes with the epoch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchAt, epochPermutation, rankBatchAt, stepsPerEpoch } from './sampler.ts';

test('rank slices rebuild the one-process batches and cover each image once per epoch', () => {
  const count = 203;
  const batchSize = 16;
  for (const worldSize of [1, 2, 4, 8]) {
    for (const epoch of [0, 1]) {
      const order = epochPermutation(count, 7, 0, epoch);
      const seen = new Map<number, number>();
      for (let step = 0; step < stepsPerEpoch(count, batchSize, 0); step++) {
        const joined: number[] = [];
        for (let rank = 0; rank < worldSize; rank++) {
          const slice = rankBatchAt(order, batchSize, step, rank, worldSize);
          assert.equal(slice.length, batchSize / worldSize);
          joined.push(...slice);
        }
        assert.deepEqual(joined, [...batchAt(order, batchSize, step)]);
        for (const index of joined) seen.set(index, (seen.get(index) ?? 0) + 1);
      }
      assert.equal(seen.size, Math.floor(count / batchSize) * batchSize, 'every image of the full batches appears');
      assert.ok([...seen.values()].every((times) => times === 1), 'no image twice in an epoch');
    }
  }
  assert.notDeepEqual([...epochPermutation(count, 7, 0, 0)], [...epochPermutation(count, 7, 0, 1)], 'the epoch is in the seed');
});
