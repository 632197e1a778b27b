// The store registry against a fake main built from the contract: each store made once over the API it is given,
// open requests from the system imported and shown in the Library, and a finished import refreshing the library.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, settle } from '../testing/fake-api.ts';

const { createStores, watchOpenRequests } = await import('./registry.ts');

test('createStores makes each store once, over the API it was given', () => {
  const fake = createFakeApi();
  const stores = createStores(fake.api);
  assert.equal(stores.api, fake.api);
  const made = Object.entries(stores).filter(([name]) => name !== 'api');
  assert.equal(new Set(made.map(([, store]) => store)).size, made.length, 'no store is shared between two names');
  assert.equal(stores.inference.model === stores.fullFrameEvaluation.model, false, 'each screen keeps its own model choice');
  const other = createStores(createFakeApi().api);
  assert.notEqual(other.library, stores.library, 'a second registry (a second window, a test) shares nothing with the first');
  assert.notEqual(other.navigation, stores.navigation, 'which screen shows belongs to one registry, not to the module');
});

test('the side panel, Reports and navigation keep their state for the session, whichever screen shows', async () => {
  const fake = createFakeApi()
    .handle('diagnostics.start', () => ({ jobId: 'check-1' }))
    .handle('reports.modes', () => ({ research: { available: true as const, description: 'De-identified.' }, pacs: { available: false, description: 'Identified.', reason: 'No PACS configured.' } }))
    .handle('reports.studies', () => ({ studies: [] }));
  const stores = createStores(fake.api);
  // A screen reads its store from the registry each time it mounts: what it held before is still there.
  stores.reports.folder = '/exports';
  await stores.reports.refresh();
  stores.navigation.openInViewer(5);
  stores.navigation.go('reports');
  assert.equal(stores.reports.folder, '/exports');
  assert.equal(stores.reports.modes?.pacs.reason, 'No PACS configured.');
  assert.equal(stores.navigation.viewerInstanceId, 5, 'leaving the Viewer keeps what it opens next time');

  // The System panel's store hears its job's events from the moment the registry is made.
  await stores.system.runSelfCheck();
  fake.emit('diagnostics.check', { jobId: 'check-1', name: 'addon', ok: true, detail: 'loaded' });
  fake.emit('job.finished', { jobId: 'check-1', kind: 'diagnostics', status: 'succeeded', result: { passed: 1, failed: 0 } });
  assert.deepEqual(stores.system.checks, [{ name: 'addon', ok: true, detail: 'loaded' }]);
  assert.equal(stores.system.checkStatus, 'succeeded');
  assert.deepEqual(fake.violations, []);
});

test('files the system asks to open are imported and the Library is shown', async () => {
  const fake = createFakeApi();
  const stores = createStores(fake.api);
  let waiting = ['/cases/run-1.dcm'];
  fake
    .handle('system.openRequests', () => {
      const paths = waiting;
      waiting = [];
      return { paths };
    })
    .handle('ingest.importFiles', () => ({ jobId: 'job-1' }));
  stores.navigation.go('viewer');

  const stop = watchOpenRequests(stores);
  await settle();
  assert.equal(stores.navigation.active, 'library');
  assert.deepEqual(fake.inputsOf('ingest.importFiles'), [{ paths: ['/cases/run-1.dcm'], datasetFrames: 'key', reader: null }]);

  // Files opened while the app runs come as an event; the renderer then asks for them.
  const before = fake.inputsOf('system.openRequests').length;
  fake.emit('system.openFiles', { paths: ['/cases/run-2.dcm'] });
  await settle();
  assert.equal(fake.inputsOf('system.openRequests').length, before + 1);

  stop();
  fake.emit('system.openFiles', { paths: [] });
  await settle();
  assert.equal(fake.inputsOf('system.openRequests').length, before + 1, 'a stopped watch asks no more');
  assert.deepEqual(fake.violations, []);
});

test('a finished import refreshes the library', async () => {
  const fake = createFakeApi();
  const stores = createStores(fake.api);
  fake
    .handle('ingest.importFiles', () => ({ jobId: 'job-7' }))
    .handle('ingest.importLog', () => ({ entries: [] }))
    .handle('library.patients', () => ({ patients: [] }))
    .handle('library.datasetItems', () => ({ items: [], total: 0 }));
  await stores.importer.importFiles(['/cases/run-1.dcm']);
  assert.equal(fake.inputsOf('library.patients').length, 0);

  fake.emit('job.finished', { jobId: 'job-7', kind: 'import', status: 'failed', error: { code: 'internal', message: 'worker crashed' } });
  await settle();
  assert.equal(fake.inputsOf('library.patients').length, 1, 'the library asked main for its patients again');
  assert.deepEqual(fake.violations, []);
});
