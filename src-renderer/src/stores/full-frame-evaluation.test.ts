// The Results screen's full-frame evaluation against a fake main: the kept evaluation shown with each frame placed
// in the library, a new run with the chosen model, and a model that does not load or a failed run said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';
import { modelSummary } from '../testing/store-answers.ts';

const { FullFrameEvaluationStore } = await import('./full-frame-evaluation.svelte.ts');

const evaluation = (modelPath: string, meanSensitivity: number): InvokeOutput<'annotations.evaluate'> => ({
  id: 1, modelPath, modelVersion: 'm-1', createdAt: '2026-03-01T10:00:00Z', current: true, reused: false, frocFigure: '<svg/>',
  params: { patchSize: 64, stride: 32, hitMargin: 8, fpRates: [0.5, 1], instanceIds: null },
  score: {
    version: 'froc-1', frames: 2, boxes: 2, candidates: [], froc: [], atFpRates: [], meanSensitivity, perClass: [],
    perFrame: [{ frame: '7:3', boxes: 1, hits: 1, falsePositives: 0, bestHitScore: 0.9 }, { frame: 'gone', boxes: 1, hits: 0, falsePositives: 2, bestHitScore: null }],
    frameKeys: [{ instanceId: 7, frame: 3, key: '7:3' }],
  },
});

function setup() {
  const fake = createFakeApi()
    .handle('inference.models.recent', () => ({ models: [] }))
    .handle('training.listRuns', () => ({ runs: [] }))
    .handle('annotations.evaluationStatus', () => ({ boxes: 2, framesWithBoxes: 2, latest: evaluation('/m/old.angio', 0.5) }))
    .handle('inference.model', ({ modelPath }) => modelSummary(modelPath))
    .handle('inference.models.remember', ({ modelPath }) => ({ models: [modelPath] }))
    .handle('annotations.evaluate', ({ modelPath }) => evaluation(modelPath, 1));
  return { fake, store: new FullFrameEvaluationStore(fake.api) };
}

test('the kept evaluation is shown with each scored frame placed in the library; a new run replaces it', async () => {
  const { fake, store } = setup();
  await store.refresh();
  assert.deepEqual(store.status, { boxes: 2, framesWithBoxes: 2 });
  assert.equal(store.evaluation?.modelPath, '/m/old.angio');
  assert.deepEqual(store.frames.map((f) => [f.key, f.instanceId, f.frame, f.hits]), [['7:3', 7, 3, 1], ['gone', null, null, 0]]);

  store.model.path = '/m/new.angio';
  await store.run(true);
  assert.deepEqual(fake.inputsOf('annotations.evaluate'), [{ modelPath: '/m/new.angio', fresh: true }]);
  assert.deepEqual([store.evaluation?.score.meanSensitivity, store.running, store.error], [1, false, null]);
  assert.deepEqual(fake.violations, []);
});

test('without a loadable model nothing runs; a failed run or status read is said in words', async () => {
  const { fake, store } = setup();
  await store.run();
  assert.match(store.model.error!, /^Type the path of a model file/);
  assert.equal(fake.inputsOf('annotations.evaluate').length, 0);

  fake.handle('annotations.evaluate', () => fail('no-boxes', 'No frame has a box yet: draw boxes in the Viewer first.'));
  store.model.path = '/m/new.angio';
  await store.run();
  assert.equal(store.error, 'Full-frame evaluation failed. No frame has a box yet: draw boxes in the Viewer first. (no-boxes)');
  assert.equal(store.running, false);

  fake.handle('annotations.evaluationStatus', () => fail('storage-busy', 'The catalog is busy.'));
  await store.refresh();
  assert.equal(store.error, 'The full-frame evaluation could not be read. The catalog is busy. (storage-busy)');
});
