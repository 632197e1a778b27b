// A Predict (readPatch) against the same readings taken apart: the readout of readImages, the MC-dropout spread of a
// pass-by-pass loop with the same seeded masks, and the saliency of the occluded copies scored 64 at a time. Batched
// float32 inference may round differently from smaller batches, so the tolerance is what the model itself shows
// between batch sizes, measured here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { prepareBatch, readImages } from './image-readouts.ts';
import { MC_PASSES, readPatch } from './patch-reading.ts';
import { ClassifierRuntime } from './runtime/classifier-runtime.ts';
import { occlusionMap, occlusionSaliency, occlusionWindows } from './saliency/occlusion.ts';
import { fixtureModel } from './testing/fixture-model.ts';
import { labelledPatches } from './testing/padsd.ts';
import { seededUniform } from './uncertainty/mc-dropout.ts';

let runtime: ClassifierRuntime;
before(async () => {
  runtime = await ClassifierRuntime.load((await fixtureModel(7)).file);
});
after(() => runtime.release());

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** How far the model's scores move between one batched call and the same images one at a time (float32 rounding). */
async function batchRounding(images: Float32Array, count: number): Promise<number> {
  const S2 = runtime.imageSize ** 2;
  const batched = (await runtime.predict(images, count)).probability;
  const single = new Float32Array(count);
  for (let i = 0; i < count; i++) single[i] = (await runtime.predict(images.slice(i * S2, (i + 1) * S2), 1)).probability[0]!;
  return maxAbsDiff(batched, single);
}

test('a Predict in one call equals readImages plus dropout passes run one at a time with the same masks', async () => {
  const image = labelledPatches('test', 3)[2]!.image;
  const reading = await readPatch(runtime, image, 'patch', { passes: MC_PASSES, seed: 5 });
  const [readout] = await readImages(runtime, [image], ['patch']);
  assert.deepEqual(reading.readout, readout);

  // One pass at a time: the head on the image's features with pass t's mask, masks drawn in readPatch's order.
  const { input } = prepareBatch(runtime, [image]);
  const { h, u } = await runtime.encode(input, 1);
  const q = u ? await runtime.expectations(u) : null;
  const hidden = runtime.manifest.architecture.classifierHidden;
  const p = runtime.manifest.architecture.dropout;
  const random = seededUniform(5);
  const scores: number[] = [];
  for (let t = 0; t < MC_PASSES; t++) {
    const keep = Float32Array.from({ length: hidden }, () => (random() >= p ? 1 / (1 - p) : 0));
    scores.push((await runtime.head(h, q, 1, keep))[0]!);
  }
  const mean = scores.reduce((a, b) => a + b, 0) / MC_PASSES;
  const std = Math.sqrt(Math.max(0, scores.reduce((a, s) => a + s * s, 0) / MC_PASSES - mean * mean));
  assert.ok(std > 0, 'dropout p = 0.3 must spread the scores');
  // readPatch's passes share one head call of 20 rows; the loop above made 20 calls of one row.
  const tolerance = Math.max(1e-6, 4 * (await batchRounding(input, 1)));
  assert.ok(Math.abs(reading.uncertainty.mean - mean) <= tolerance, `MC mean ${reading.uncertainty.mean} vs ${mean}`);
  assert.ok(Math.abs(reading.uncertainty.std - std) <= tolerance, `MC std ${reading.uncertainty.std} vs ${std}`);
  assert.equal(reading.uncertainty.passes, MC_PASSES);
  assert.equal(reading.saliency, null);
  assert.equal(reading.occlusion, null);
});

test('the saliency of a Predict equals occlusionSaliency, and windows scored in chunks within the batch rounding', async () => {
  const image = labelledPatches('test', 2)[1]!.image;
  const reading = await readPatch(runtime, image, 'patch', { saliency: true });
  const viewer = await occlusionSaliency(runtime, image);
  assert.deepEqual(reading.saliency?.modelValues, viewer.modelValues);
  // The chunked way: the image alone, then the occluded copies 64 at a time.
  const occlusion = occlusionWindows(runtime, image);
  const { occluded, windows } = occlusion;
  const S2 = runtime.imageSize ** 2;
  const chunkScores = new Float32Array(windows.length);
  for (let start = 0; start < windows.length; start += 64) {
    const count = Math.min(64, windows.length - start);
    chunkScores.set((await runtime.predict(occluded.slice(start * S2, (start + count) * S2), count)).probability, start);
  }
  const separate = occlusionMap(runtime, image, occlusion, (await runtime.predict(occlusion.input, 1)).probability[0]!, chunkScores);
  const rounding = await batchRounding(occluded.slice(0, 8 * runtime.imageSize ** 2), 8);
  // A map value is a mean of score drops (each a difference of two scores), so it moves by at most twice the rounding.
  const tolerance = Math.max(1e-6, 4 * rounding);
  assert.ok(windows.length > 100, `${windows.length} windows`);
  assert.ok(reading.saliency !== null);
  assert.equal(reading.saliency.width, separate.width);
  assert.equal(reading.saliency.height, separate.height);
  const diff = maxAbsDiff(reading.saliency.modelValues, separate.modelValues);
  assert.ok(diff <= tolerance, `saliency differs by ${diff} (tolerance ${tolerance})`);
  assert.ok(Math.abs(reading.saliency.probability - reading.readout.probability) === 0, 'the map’s base score is the readout’s');
  assert.ok(Math.abs(reading.readout.probability - separate.probability) <= tolerance);
  assert.ok(maxAbsDiff(reading.saliency.modelValues, new Float32Array(reading.saliency.modelValues.length)) > 0, 'the map is not flat');
});
