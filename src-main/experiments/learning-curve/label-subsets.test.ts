// Label subsets for a learning curve: each class keeps its share, smaller subsets lie inside larger ones, a seed
// replays its draw and another seed draws other images; sizes that cannot be both are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nestedStratifiedSubsets } from './label-subsets.ts';

// 300 positives among 1,000 (30 %), positives first so that a draw by index alone would show.
const labels = Array.from({ length: 1000 }, (_, i) => (i < 300 ? 1 : 0));
const positivesIn = (indices: number[]) => indices.filter((i) => labels[i] === 1).length;

test('subsets keep the class shares, are nested, and replay from their seed', () => {
  const sizes = [50, 100, 200, 500, 1000];
  const subsets = nestedStratifiedSubsets(labels, sizes, 4);
  assert.deepEqual(sizes.map((n) => subsets.get(n)!.length), sizes);
  assert.deepEqual(sizes.map((n) => positivesIn(subsets.get(n)!)), [15, 30, 60, 150, 300]);
  for (let i = 1; i < sizes.length; i += 1) {
    const larger = new Set(subsets.get(sizes[i]!)!);
    assert.ok(subsets.get(sizes[i - 1]!)!.every((index) => larger.has(index)), `${sizes[i - 1]} ⊂ ${sizes[i]}`);
  }
  assert.deepEqual(nestedStratifiedSubsets(labels, sizes, 4), subsets, 'the same seed draws the same subsets');
  assert.notDeepEqual(nestedStratifiedSubsets(labels, sizes, 5).get(50), subsets.get(50), 'another seed draws other images');
  assert.ok(new Set(subsets.get(50)).size === 50, 'no image twice');
});

test('a tiny subset still holds both classes, and impossible sizes are refused', () => {
  const two = nestedStratifiedSubsets(labels, [2], 0).get(2)!;
  assert.equal(positivesIn(two), 1);
  assert.throws(() => nestedStratifiedSubsets(labels, [1001], 0), /cannot be drawn/);
  assert.throws(() => nestedStratifiedSubsets(labels, [1], 0), /cannot be drawn/);
});
