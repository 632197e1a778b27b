// Occlusion saliency: aligned to the source pixels, reproducible, and passing the model-randomisation sanity
// check (Adebayo et al. 2018): a re-initialised model's maps must not rank pixels the way the model's maps do.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { midranks } from '../../evaluation/midranks.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { occlusionSaliency } from './occlusion.ts';

function spearman(a: Float32Array, b: Float32Array): number {
  const ra = midranks(Array.from(a));
  const rb = midranks(Array.from(b));
  const mean = (a.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

let model: ClassifierRuntime;
let randomised: ClassifierRuntime;
before(async () => {
  model = await ClassifierRuntime.load((await fixtureModel(7)).file);
  randomised = await ClassifierRuntime.load((await fixtureModel(1234)).file);
});
after(async () => {
  await model.release();
  await randomised.release();
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

test('model-randomisation sanity check: saliency of a re-initialised model ranks pixels differently', async () => {
  const images = labelledPatches('test', 3).map((p) => p.image);
  const correlations: number[] = [];
  for (const image of images) {
    const trained = await occlusionSaliency(model, image);
    const random = await occlusionSaliency(randomised, image);
    correlations.push(spearman(trained.modelValues, random.modelValues));
  }
  const mean = correlations.reduce((a, b) => a + b, 0) / correlations.length;
  assert.ok(mean < 0.5, `mean rank correlation ${mean.toFixed(3)} (${correlations.map((c) => c.toFixed(2))}) should be below 0.5`);
});
