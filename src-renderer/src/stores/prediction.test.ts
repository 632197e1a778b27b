// Predict on a frame against a fake main: a patch's readout and then its saliency map, a scanned frame's candidates
// with the map of the best one, a newer request or Stop dropping an older answer, and failures in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';
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
const saliency = (width: number, height: number) => ({ meta: { width, height, format: 'rgba8' as const, probability: 0.83, scale: probabilityScale }, data: new Uint8Array(width * height * 4) });

function setup(locate: () => InvokeOutput<'inference.locate'> | Promise<InvokeOutput<'inference.locate'>> | ReturnType<typeof fail>) {
  const fake = createFakeApi()
    .handle('inference.model', ({ modelPath }) => modelSummary(modelPath))
    .handle('inference.models.remember', ({ modelPath }) => ({ models: [modelPath] }))
    .handle('inference.locate', locate)
    .pixels('inference.saliency', () => saliency(4, 4));
  const model = new ModelChoice(fake.api);
  model.path = '/m/a.angio';
  return { fake, store: new PredictionStore(fake.api, model) };
}

test('a patch gets its readout, then its saliency map', async () => {
  const { fake, store } = setup(() => patchReading);
  await store.predict(-5, 0, 5);
  assert.deepEqual(fake.inputsOf('inference.locate'), [{ modelPath: '/m/a.angio', itemId: 5, frame: 0 }]);
  assert.equal(store.readout?.value.probability, 0.83);
  assert.equal(store.located, null);
  assert.deepEqual([store.saliency?.instanceId, store.saliency?.width, store.busy, store.error], [-5, 4, null, null]);
  assert.deepEqual(fake.violations, []);
});

test('a scanned frame shows its candidates and the map explains the best one', async () => {
  const { fake, store } = setup(() => scanReading);
  await store.predict(12, 3);
  assert.equal(store.located?.value.candidates.length, 1);
  assert.equal(store.readout, null);
  assert.deepEqual(fake.inputsOf('inference.saliency'), [{ modelPath: '/m/a.angio', instanceId: 12, frame: 3, format: 'rgba8', box: { x: 100, y: 120, width: 64, height: 64 } }]);
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
