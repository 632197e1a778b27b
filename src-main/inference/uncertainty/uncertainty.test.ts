// MC-dropout spread is reproducible from its seed and non-zero with dropout; the labelling ranking prefers
// uncertain items but spreads its picks instead of taking near-duplicates of one confusing image.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { prepareBatch } from '../image-readouts.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { unlabelledPatches } from '../testing/padsd.ts';
import { rankForLabelling } from './label-next.ts';
import { mcDropout } from './mc-dropout.ts';

let runtime: ClassifierRuntime;
before(async () => {
  runtime = await ClassifierRuntime.load((await fixtureModel(7)).file);
});
after(() => runtime.release());

test('MC dropout gives a reproducible, non-zero spread around the deterministic score', async () => {
  const { input } = prepareBatch(runtime, unlabelledPatches(8).map((p) => p.image));
  const first = await mcDropout(runtime, input, 8, 30, 42);
  const again = await mcDropout(runtime, input, 8, 30, 42);
  const other = await mcDropout(runtime, input, 8, 30, 43);
  assert.deepEqual(first.std, again.std);
  assert.notDeepEqual(first.std, other.std);
  assert.ok(first.std.every((s) => s > 0), 'dropout p = 0.3 must spread the scores');
  const plain = (await runtime.predict(input, 8)).probability;
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(first.mean[i]! - plain[i]!) < 0.15, `MC mean ${first.mean[i]} far from score ${plain[i]}`);
});

test('the labelling ranking takes the most uncertain first and skips near-duplicates of an earlier pick', () => {
  const F = 3;
  // Items 0–3 are copies of one confusing image; 4 is different and slightly less uncertain; 5 is certain.
  const features = Float32Array.from([1, 0, 0, 1, 0, 0.001, 1, 0.001, 0, 1, 0.001, 0.001, 0, 1, 0, 0, 0, 1]);
  const ranking = rankForLabelling({ uncertainty: [0.6, 0.59, 0.58, 0.57, 0.5, 0.01], meanProbability: [0.5, 0.5, 0.5, 0.5, 0.4, 0.9], features, featureDim: F, count: 3 });
  assert.deepEqual(ranking.slice(0, 2).map((c) => c.index), [0, 4]);
  assert.ok(ranking.every((c) => c.diversity >= 0 && c.diversity <= 1));
  const withLabelled = rankForLabelling({ uncertainty: [0.6, 0.59, 0.58, 0.57, 0.5, 0.01], meanProbability: [0.5, 0.5, 0.5, 0.5, 0.4, 0.9], features, featureDim: F, count: 1, labelledFeatures: Float32Array.from([1, 0, 0]) });
  assert.equal(withLabelled[0]!.index, 4, 'an image like one already labelled should wait');
});
