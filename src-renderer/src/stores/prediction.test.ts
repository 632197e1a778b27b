// Predict on a frame against a fake main: a patch's readout, then its coarse saliency map, then the fine map in its
// place; a scanned frame's candidates with the maps of the best one; a newer request or Stop dropping an older answer
// (the fine map's too, keeping the coarse one), and failures in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle, type PixelAnswer } from '../testing/fake-api.ts';
import { modelSummary, probabilityScale } from '../testing/store-answers.ts';

const { ModelChoice } = await import('./model-choice.svelte.ts');
const { PredictionStore } = await import('./prediction.svelte.ts');

const ood = { outOfDistribution: false, imageZ: 0.2, imageStatistic: 'mean', featureDistanceRatio: 0.8, reasons: [] };
const patchReading: InvokeOutput<'inference.locate'> = {
  kind: 'patch',
  readout: { probability: 0.83, decision: 'stenosis', threshold: 0.5, quantum: null, ood, uncertainty: { passes: 8, std: 0.04, bald: 0.01 }, summary: 'stenosis likely', modelVersion: 'm-1', width: 64, height: 64 },
};
const scanReading: InvokeOutput<'inference.locate'> = {
  kind: 'scan', probability: 0.9, decision: 'stenosis', threshold: 0.5, modelVersion: 'm-1', width: 512, height: 512,
  window: { pixels: 64, millimetres: null, note: '' }, windowCount: 49,
  candidates: [{ frame: 3, x: 100, y: 120, width: 64, height: 64, probability: 0.9, uncertainty: 0.05, ood, reading: 'lesion', quantumContribution: null, classes: null, firstFrame: null, lastFrame: null }],
};
type SaliencyAnswer = PixelAnswer<'inference.saliency'>;
const saliency = (width: number, height: number, detail: 'coarse' | 'fine' = 'fine'): SaliencyAnswer => ({
  meta: { width, height, format: 'rgba8' as const, probability: 0.83, scale: probabilityScale, detail, window: detail === 'coarse' ? 16 : 8, stride: detail === 'coarse' ? 16 : 4 },
  data: new Uint8Array(width * height * 4),
});

function setup(locate: () => InvokeOutput<'inference.locate'> | Promise<InvokeOutput<'inference.locate'>> | ReturnType<typeof fail>) {
  const fake = createFakeApi()
    .handle('inference.model', ({ modelPath }) => modelSummary(modelPath))
    .handle('inference.models.remember', ({ modelPath }) => ({ models: [modelPath] }))
    .handle('inference.locate', locate)
    .pixels('inference.saliency', ({ detail }) => saliency(4, 4, detail));
  const model = new ModelChoice(fake.api);
  model.path = '/m/a.angio';
  return { fake, store: new PredictionStore(fake.api, model) };
}

/** Holds the fine map back until the test lets it go, so the coarse one can be looked at on its own. */
function holdFine(fake: ReturnType<typeof setup>['fake'], answer: () => SaliencyAnswer | ReturnType<typeof fail> = () => saliency(4, 4, 'fine')) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  fake.pixels('inference.saliency', async ({ detail }) => (detail === 'coarse' ? saliency(4, 4, 'coarse') : (await released, answer())));
  return release;
}

test('a patch gets its readout, then its coarse saliency map, then the fine map in its place', async () => {
  const { fake, store } = setup(() => patchReading);
  const release = holdFine(fake);
  const predicting = store.predict(-5, 0, 5);
  await settle();
  assert.deepEqual(fake.inputsOf('inference.locate'), [{ modelPath: '/m/a.angio', itemId: 5, frame: 0 }]);
  assert.equal(store.readout?.value.probability, 0.83);
  assert.equal(store.located, null);
  assert.deepEqual(store.saliency?.detail, { level: 'coarse', window: 16, stride: 16 }, 'the coarse map is drawn first');
  assert.equal(store.busy, null, 'the Predict is done once the coarse map is drawn');
  assert.deepEqual(store.refining, { instanceId: -5, frame: 0 });
  release();
  await predicting;
  assert.deepEqual(store.saliency?.detail, { level: 'fine', window: 8, stride: 4 }, 'the fine map replaces it');
  assert.deepEqual([store.saliency?.instanceId, store.saliency?.width, store.busy, store.refining, store.error], [-5, 4, null, null, null]);
  assert.deepEqual(
    fake.inputsOf('inference.saliency'),
    ['coarse', 'fine'].map((detail) => ({ modelPath: '/m/a.angio', itemId: 5, frame: 0, format: 'rgba8', detail })),
  );
  assert.deepEqual(fake.violations, []);
});

test('Stop while the fine map is on its way keeps the coarse map; a newer Predict drops the older fine map', async () => {
  const { fake, store } = setup(() => patchReading);
  const release = holdFine(fake);
  const first = store.predict(12, 3);
  await settle();
  store.stop();
  assert.equal(store.notice, 'Kept the coarse saliency map of frame 4. Press Predict for the fine one.');
  assert.equal(store.refining, null);
  release();
  await first;
  assert.equal(store.saliency?.detail?.level, 'coarse', 'the late fine map lands nowhere');

  const releaseAgain = holdFine(fake);
  const older = store.predict(12, 3);
  await settle();
  fake.pixels('inference.saliency', ({ detail }) => saliency(4, 4, detail));
  const newer = store.predict(12, 4);
  await newer;
  assert.deepEqual([store.saliency?.frame, store.saliency?.detail?.level], [4, 'fine']);
  releaseAgain();
  await older;
  assert.deepEqual([store.saliency?.frame, store.saliency?.detail?.level], [4, 'fine'], 'the older fine map does not replace the newer one');
});

test('a fine map that cannot be made leaves the coarse map and the readout, and says so', async () => {
  const { fake, store } = setup(() => patchReading);
  holdFine(fake, () => fail('model-failed', 'The model call failed.'))();
  await store.predict(12, 0);
  assert.equal(store.saliency?.detail?.level, 'coarse');
  assert.equal(store.error, 'The fine saliency map of frame 1 could not be made. The model call failed. The coarse map and the readout are still valid.');
  assert.equal(store.refining, null);
});

test('a scanned frame shows its candidates and the map explains the best one', async () => {
  const { fake, store } = setup(() => scanReading);
  await store.predict(12, 3);
  assert.equal(store.located?.value.candidates.length, 1);
  assert.equal(store.readout, null);
  const box = { x: 100, y: 120, width: 64, height: 64 };
  assert.deepEqual(
    fake.inputsOf('inference.saliency'),
    ['coarse', 'fine'].map((detail) => ({ modelPath: '/m/a.angio', instanceId: 12, frame: 3, format: 'rgba8', detail, box })),
  );
  assert.equal(store.saliency?.detail?.level, 'fine');
});

test('Stop lets go of the request in flight; its late answer lands nowhere', async () => {
  let answer!: (value: InvokeOutput<'inference.locate'>) => void;
  const { store } = setup(() => new Promise((resolve) => (answer = resolve)));
  const predicting = store.predict(12, 3);
  await settle();
  assert.equal(store.busy?.step, 1);
  store.stop();
  assert.equal(store.notice, 'Stopped waiting for frame 4. Press Predict to try again.');
  answer(patchReading);
  await predicting;
  assert.equal(store.readout, null);
  assert.equal(store.busy, null);
});

test('a frame the model cannot read, or a model that does not load, is said in words', async () => {
  const { store } = setup(() => fail('frame-unreadable', 'The frame could not be decoded.'));
  await store.predict(12, 0);
  assert.equal(store.error, 'Frame 1 could not be read by the model. The frame could not be decoded.');
  assert.equal(store.busy, null);

  const fake = createFakeApi().handle('inference.model', () => fail('model-missing', 'No such file.'));
  const bare = new PredictionStore(fake.api, Object.assign(new ModelChoice(fake.api), { path: '/m/gone.angio' }));
  await bare.predict(12, 0);
  assert.equal(bare.error, 'The model could not be loaded. No such file.');
  assert.equal(fake.inputsOf('inference.locate').length, 0);
});
