// Full-frame scanning against a fake main: a frame's heatmap kept per frame and setting (only the latest wish
// scanned after the one in flight), a run scanned as a job whose early events are replayed and whose result
// outlines each frame, and refusals said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobResult } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';
import { modelSummary, probabilityScale } from '../testing/store-answers.ts';

const { ModelChoice } = await import('./model-choice.svelte.ts');
const { ScanStore } = await import('./scan.svelte.ts');

const region = { x: 64, y: 96, size: 64, probability: 0.9 };
const heatmap = (width: number) => ({ meta: { width, height: width, format: 'rgba8' as const, windowCount: 9, maxProbability: 0.9, regions: [region], scale: probabilityScale }, data: new Uint8Array(width * width * 4) });
const cine: JobResult<'inference.scanCine'> = {
  frames: [0, 1, 2].map((frame) => ({ frame, maxProbability: frame === 1 ? 0.93 : 0.2, regions: frame === 1 ? [region] : [] })),
  lesions: [{ firstFrame: 1, lastFrame: 1, best: { ...region, frame: 1 } }],
  peakFrame: 1,
};

function setup() {
  const fake = createFakeApi()
    .handle('inference.model', ({ modelPath }) => modelSummary(modelPath))
    .handle('inference.models.remember', ({ modelPath }) => ({ models: [modelPath] }))
    .pixels('inference.heatmap', () => heatmap(8));
  const model = new ModelChoice(fake.api);
  model.path = '/m/a.angio';
  return { fake, store: new ScanStore(fake.api, model) };
}

test('a frame is scanned once per setting; while one scans only the latest wish follows', async () => {
  const { fake, store } = setup();
  const first = store.scanFrame(7, 0);
  void store.scanFrame(7, 1);
  void store.scanFrame(7, 2);
  await first;
  await settle();
  assert.deepEqual(fake.inputsOf('inference.heatmap').map((p) => (p as { frame: number }).frame), [0, 2]);
  assert.deepEqual(store.heatmapFor(7, 2)?.regions, [region]);
  await store.scanFrame(7, 0);
  assert.equal(fake.inputsOf('inference.heatmap').length, 2, 'a kept heatmap is not asked for again');
  store.stride = 16;
  assert.equal(store.heatmapFor(7, 0), null, 'another step is another heatmap');
  store.stride = 100;
  assert.equal(store.settingsProblem, 'The step must be a whole number of pixels from 1 to the window size (64).');
  await store.scanFrame(7, 0);
  assert.equal(store.error, store.settingsProblem);
  assert.deepEqual(fake.violations, []);
});

test('a run scan replays events that overtook its id, and its result outlines each frame', async () => {
  const { fake, store } = setup();
  fake.handle('inference.scanCine', () => {
    fake.emit('job.progress', { jobId: 'scan-1', kind: 'inference.scanCine', stage: 'scanning frames', done: 1, total: 3 });
    return { jobId: 'scan-1' };
  });
  await store.scanRun(7);
  assert.deepEqual(fake.inputsOf('inference.scanCine'), [{ modelPath: '/m/a.angio', instanceId: 7, patchSize: 64, stride: 32 }]);
  assert.deepEqual([store.run?.status, store.run?.done, store.run?.total, store.runActive], ['running', 1, 3, true]);
  fake.emit('job.finished', { jobId: 'scan-1', kind: 'inference.scanCine', status: 'succeeded', result: cine });
  assert.equal(store.run?.status, 'succeeded');
  assert.equal(store.notice, 'All 3 frames scanned. The highest window score, 0.93, is on frame 2.');
  assert.deepEqual(store.runFrame(7, 1)?.regions, [region]);
  assert.equal(store.runFrame(8, 1), null, 'another image has no run scan');
});

test('a refused, failed or cancelled run scan is said in words', async () => {
  const { fake, store } = setup();
  fake.handle('inference.scanCine', () => fail('not-a-cine', 'Image 7 has one frame; scan the frame instead.'));
  await store.scanRun(7);
  assert.equal(store.run?.status, 'failed');
  assert.equal(store.error, 'The run could not be scanned. Image 7 has one frame; scan the frame instead.');

  fake.handle('inference.scanCine', () => ({ jobId: 'scan-2' })).handle('jobs.cancel', () => ({ cancelled: true }));
  await store.scanRun(7);
  fake.emit('job.progress', { jobId: 'scan-2', kind: 'inference.scanCine', stage: 'scanning frames', done: 2, total: 40 });
  await store.cancelRun();
  assert.deepEqual(fake.inputsOf('jobs.cancel'), [{ jobId: 'scan-2' }]);
  fake.emit('job.finished', { jobId: 'scan-2', kind: 'inference.scanCine', status: 'cancelled' });
  assert.equal(store.notice, 'The run scan was stopped after 2 of 40 frames. Scan the run again to finish it.');

  fake.handle('inference.scanCine', () => ({ jobId: 'scan-3' }));
  await store.scanRun(7);
  fake.emit('job.finished', { jobId: 'scan-3', kind: 'inference.scanCine', status: 'failed', error: { code: 'internal', message: 'Out of memory.' } });
  assert.equal(store.error, 'The run scan failed. Out of memory. Check the model and the settings, then scan again.');

  fake.pixels('inference.heatmap', () => fail('frame-unreadable', 'The frame could not be decoded.'));
  await store.scanFrame(7, 5);
  assert.equal(store.error, 'Frame 6 could not be scanned. The frame could not be decoded.');
  assert.equal(store.scanning, null);
});
