// Occlusion saliency: aligned to the source pixels and reproducible. Whether the maps depend on what a model
// learned (Adebayo et al.'s sanity checks, on a trained model) is saliency-sanity.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { occlusionSaliency } from './occlusion.ts';

let model: ClassifierRuntime;
before(async () => {
  model = await ClassifierRuntime.load((await fixtureModel(7)).file);
});
after(async () => {
  await model.release();
});

test('the saliency map covers the source pixels, with a colour scale and an RGBA overlay of the same size', async () => {
  const image = labelledPatches('test', 1)[0]!.image;
  const result = await occlusionSaliency(model, image);
  assert.equal(result.values.length, image.width * image.height);
  assert.equal(result.overlay.length, image.width * image.height * 4);
  assert.equal(result.modelValues.length, 64 * 64);
  assert.ok(result.values.some((v) => v !== 0), 'hiding parts of the image should move the score somewhere');
  assert.ok(result.scale.limit > 0 && result.scale.stops.length === 3);
  const again = await occlusionSaliency(model, image);
  assert.deepEqual(again.values, result.values, 'saliency must be deterministic');
});
