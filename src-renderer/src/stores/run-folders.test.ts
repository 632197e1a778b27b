// Run folders trained outside the app against a fake main: the remembered list, opening one by its path (a blank
// path refused before asking main, a refusal in words), and "Open in Viewer" loading the run's model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';
import type { InferenceView } from './inference-view.svelte.ts';
import { modelSummary } from '../testing/store-answers.ts';

const { RunFoldersStore, openModelInViewer } = await import('./run-folders.svelte.ts');
const { ModelChoice } = await import('./model-choice.svelte.ts');
const { Navigation } = await import('./navigation.svelte.ts');

const folder = (path: string) => ({
  path, title: 'Demo report', problem: null,
  runs: [{ name: 'seed-1', runDir: `${path}/runs/seed-1`, modelPath: `${path}/runs/seed-1/model.angio`, label: 'SSL-Quantum', seed: 1, testAuc: 0.91, valAuc: 0.88, modelWrittenAt: '2026-03-01T10:00:00Z' }],
});

test('opening a typed folder lists its runs and clears the field; a blank path is refused before asking main', async () => {
  const fake = createFakeApi()
    .handle('training.runFolders', () => ({ folders: [folder('/reports/a')] }))
    .handle('training.openRunFolder', ({ path }) => ({ folders: [folder(path), folder('/reports/a')] }));
  const store = new RunFoldersStore(fake.api);
  await store.refresh();
  assert.deepEqual(store.folders.map((f) => f.path), ['/reports/a']);

  store.path = '   ';
  await store.open();
  assert.match(store.error!, /^Type the path of a report folder/);
  assert.equal(fake.inputsOf('training.openRunFolder').length, 0);

  store.path = ' /reports/b ';
  await store.open();
  assert.deepEqual(fake.inputsOf('training.openRunFolder'), [{ path: '/reports/b' }]);
  assert.deepEqual(store.folders.map((f) => f.path), ['/reports/b', '/reports/a']);
  assert.equal(store.path, '');
  assert.equal(store.error, null);
  assert.equal(store.opening, false);
});

test('a folder main refuses keeps the typed path and says why', async () => {
  const fake = createFakeApi().handle('training.openRunFolder', () => fail('run-folder-empty', 'No run in /tmp wrote model.angio.'));
  const store = new RunFoldersStore(fake.api);
  store.path = '/tmp';
  await store.open();
  assert.equal(store.error, 'No run in /tmp wrote model.angio. (run-folder-empty)');
  assert.equal(store.path, '/tmp');
  assert.equal(store.opening, false);
});

test('Open in Viewer shows the Predict tab with the run\'s model loaded and remembered', async () => {
  const modelPath = '/reports/a/runs/seed-1/model.angio';
  const fake = createFakeApi()
    .handle('inference.model', ({ modelPath: path }) => modelSummary(path))
    .handle('inference.models.remember', ({ modelPath: path }) => ({ models: [path] }));
  // The Viewer's inference side as openModelInViewer uses it: its model choice and its side tab.
  const view = { model: new ModelChoice(fake.api), tab: 'image' };
  const navigation = new Navigation();
  await openModelInViewer(view as unknown as InferenceView, navigation, modelPath);
  assert.equal(view.tab, 'predict');
  assert.equal(navigation.active, 'viewer');
  assert.equal(view.model.summary?.path, modelPath);
  assert.deepEqual(view.model.recent, [modelPath]);
  assert.deepEqual(fake.violations, []);
});
