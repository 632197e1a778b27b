// The model picker against a fake main: the newest recent model proposed (never loaded silently), a model named by
// the run that wrote it, loading once per path, an answer for a path edited meanwhile dropped, and refusals in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';
import { modelSummary } from '../testing/store-answers.ts';

const { ModelChoice } = await import('./model-choice.svelte.ts');

const run = {
  id: 'abcdef1234567890', createdAt: '2026-03-01T09:30:00Z', updatedAt: '2026-03-01T10:00:00Z', status: 'succeeded' as const, method: 'ssl-quantum', encoder: 'resnet18',
  seed: 7, preprocessingVersion: 'p1', codeVersion: 'c1', metrics: null, files: { inferenceModel: '/runs/abc/model.angio' }, error: null,
};

test('the newest recent model is proposed, not loaded, and named by its run', async () => {
  const fake = createFakeApi()
    .handle('inference.models.recent', () => ({ models: ['/runs/abc/model.angio', '/old/other.angio'] }))
    .handle('training.listRuns', () => ({ runs: [run] }));
  const model = new ModelChoice(fake.api);
  await model.start();
  await model.start();
  assert.equal(fake.inputsOf('inference.models.recent').length, 1, 'the list is fetched once');
  assert.deepEqual([model.path, model.proposed, model.summary], ['/runs/abc/model.angio', true, null]);
  assert.deepEqual(model.origin('/runs/abc/model.angio'), { file: 'model.angio', run: 'run abcdef12 (ssl-quantum · resnet18 · seed 7)', date: '2026-03-01 09:30' });
  assert.deepEqual(model.origin('/old/other.angio'), { file: 'other.angio', run: 'folder old', date: null });
  assert.equal(fake.inputsOf('inference.model').length, 0);
});

test('choosing a model loads it once and remembers it; an unchanged path is not loaded again', async () => {
  const fake = createFakeApi()
    .handle('inference.model', ({ modelPath }) => modelSummary(modelPath))
    .handle('inference.models.remember', ({ modelPath }) => ({ models: [modelPath, '/old/other.angio'] }));
  const model = new ModelChoice(fake.api);
  const summary = await model.choose('/m/a.angio');
  assert.equal(summary?.path, '/m/a.angio');
  assert.deepEqual(model.recent, ['/m/a.angio', '/old/other.angio']);
  assert.equal(await model.load(), model.summary);
  assert.equal(fake.inputsOf('inference.model').length, 1);
  assert.equal(model.error, null);
  assert.deepEqual(fake.violations, []);
});

test('an answer for a path edited while loading is dropped; a refused or blank path is said in words', async () => {
  let answer!: (value: ReturnType<typeof modelSummary>) => void;
  const fake = createFakeApi().handle('inference.model', ({ modelPath }) =>
    modelPath === '/m/slow.angio' ? new Promise((resolve) => (answer = resolve)) : fail('model-unreadable', 'The file is not a model file.'),
  );
  const model = new ModelChoice(fake.api);
  model.path = '/m/slow.angio';
  const loading = model.load();
  await settle();
  model.path = '/m/typed-meanwhile.angio';
  answer(modelSummary('/m/slow.angio'));
  assert.equal(await loading, null);
  assert.equal(model.summary, null);

  assert.equal(await model.load(), null);
  assert.equal(model.error, 'The model could not be loaded. The file is not a model file.');
  model.path = '  ';
  assert.equal(await model.load(), null);
  assert.match(model.error!, /^Type the path of a model file/);
  assert.equal(model.loading, false);
});
