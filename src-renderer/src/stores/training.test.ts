// Training from the screen against a fake main: a preset starts a run (the configuration checked against the
// contract on the way), progress folds into the loss and AUC curves, the end refreshes the run list, a split too
// small for the batch is refused before a run is recorded, failures are said in words, and a model option's
// control rewrites the configuration JSON as typing would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventPayload } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';

const { TrainingStore, PRESETS } = await import('./training.svelte.ts');

const progress = (patch: Partial<EventPayload<'training.progress'>>): EventPayload<'training.progress'> => ({
  runId: 'run-1', jobId: 'job-1', kind: 'step', stage: 'supervised', stageIndex: 0, stages: 1, epoch: 1, epochs: 3, step: 1, stepsInEpoch: 40,
  loss: 0.7, learningRate: 0.001, imagesPerSecond: 120, etaSeconds: 30, ...patch,
});

function trainingMain() {
  return createFakeApi()
    .handle('training.listRuns', () => ({ runs: [] }))
    .handle('dataset.runSplits', () => ({ runs: [] }))
    .handle('training.start', () => ({ runId: 'run-1', jobId: 'job-1' }));
}

test('a preset starts a run; steps and epochs fold into the curves; the end refreshes the list', async () => {
  const fake = trainingMain();
  const store = new TrainingStore(fake.api);
  store.usePreset('quick');
  await store.start();
  const sent = fake.inputsOf('training.start')[0] as { config: { method: string; batchSize: number } };
  assert.deepEqual([sent.config.method, sent.config.batchSize], ['supervised', 16]);
  assert.deepEqual([store.status, store.runId, store.jobId, store.error], ['running', 'run-1', 'job-1', null]);

  fake.emit('training.progress', progress({ loss: 0.7 }));
  fake.emit('training.progress', progress({ runId: 'run-0', loss: 9 }));
  fake.emit('training.progress', progress({ kind: 'epoch', loss: 0.5, metrics: { valAuc: 0.81 } }));
  assert.deepEqual(store.loss, [{ x: 0, y: 0.7 }, { x: 1, y: 0.5 }]);
  assert.deepEqual(store.valAuc, [{ x: 1, y: 0.81 }]);

  const listsBefore = fake.inputsOf('training.listRuns').length;
  fake.emit('job.finished', { jobId: 'job-1', kind: 'training', status: 'succeeded', result: { runId: 'run-1', metrics: null } });
  await settle();
  assert.equal(store.status, 'succeeded');
  assert.equal(fake.inputsOf('training.listRuns').length, listsBefore + 1);
  assert.deepEqual(fake.violations, []);
});

test('an invalid configuration or a refused start is said in words and the panel stays idle', async () => {
  const fake = trainingMain().handle('training.start', () => fail('processes-need-launcher', 'Training with 2 processes starts one process per rank, which this host cannot do.'));
  const store = new TrainingStore(fake.api);
  store.configText = '{ "batchSize": ';
  await store.start();
  assert.match(store.error!, /^The configuration is invalid: /);
  assert.equal(fake.inputsOf('training.start').length, 0);

  store.usePreset('quick');
  await store.start();
  assert.equal(store.error, 'Training with 2 processes starts one process per rank, which this host cannot do. (processes-need-launcher)');
  assert.deepEqual([store.status, store.runId], ['idle', null]);
});

test('a split with fewer labelled training images than the batch is refused before a run is recorded', async () => {
  const fake = trainingMain().handle('dataset.trainingSource', ({ splitId }) => ({
    splitId, labeledRoot: '/data/splits/3', unlabeledDir: null, classNames: ['no stenosis', 'stenosis'], classCounts: null,
    counts: { train: { positive: 3, negative: 4 }, val: { positive: 1, negative: 1 }, test: { positive: 1, negative: 1 }, unlabeled: 0, skipped: 0 },
  }));
  const store = new TrainingStore(fake.api);
  store.usePreset('quick');
  store.splitId = 3;
  await store.start();
  assert.match(store.error!, /^7 labelled training images and batch 16: lower the batch to 7 or less/);
  assert.equal(fake.inputsOf('training.start').length, 0);
  assert.deepEqual(fake.inputsOf('dataset.trainingSource'), [{ splitId: 3, classes: 'binary' }]);
});

test('a failed run keeps its reason; resume continues the same curves', async () => {
  const fake = trainingMain().handle('training.resume', ({ runId }) => ({ runId, jobId: 'job-2' }));
  const store = new TrainingStore(fake.api);
  await store.start();
  fake.emit('training.progress', progress({ loss: 0.6 }));
  fake.emit('job.finished', { jobId: 'job-1', kind: 'training', status: 'failed', error: { code: 'training-worker-exited', message: 'The training worker stopped unexpectedly (exit 134): resume the run from its last checkpoint.' } });
  await settle();
  assert.deepEqual([store.status, store.error], ['failed', 'The training worker stopped unexpectedly (exit 134): resume the run from its last checkpoint.']);
  await store.resume();
  assert.deepEqual([store.status, store.jobId, store.loss.length], ['running', 'job-2', 1]);
});

test('a model option rewrites only its key in the JSON and makes the preset custom; invalid JSON is left alone', async () => {
  const fake = trainingMain();
  const store = new TrainingStore(fake.api);
  store.usePreset('full');
  store.setOption('per-image-normalisation', 'on');
  assert.equal(store.preset, 'custom');
  assert.deepEqual(JSON.parse(store.configText), { ...PRESETS.full, input: { normalisation: 'per-image' } });
  assert.equal(store.options.find((s) => s.option.id === 'per-image-normalisation')!.value, 'on');
  await store.start();
  const sent = fake.inputsOf('training.start')[0] as { config: { input?: unknown } };
  assert.deepEqual(sent.config.input, { normalisation: 'per-image' });

  store.usePreset('full');
  store.configText = '{ "method": ';
  store.setOption('byol', 'on');
  assert.deepEqual([store.configText, store.preset], ['{ "method": ', 'full']);
  assert.ok(store.options.every((s) => !s.enabled));
});
