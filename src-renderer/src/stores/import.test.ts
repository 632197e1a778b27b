// The folder import against a fake main: events that overtake the start answer are replayed, the finished job's
// counts and the import log's rejections are shown, the folder joins Recent only when it imported, files the system
// opened wait for the import under way, and a refused start is said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobResult } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';

const { ImportStore } = await import('./import.svelte.ts');

const counts: JobResult<'import'> = { total: 3, imported: 2, duplicate: 0, rejected: 1, unsupported: 0, document: 0, patches: 0, labelled: 0, splits: [], duplicateInFolder: 0 };

test('an import folds its events, completes its rejections from the log and joins Recent', async () => {
  const fake = createFakeApi()
    .handle('ingest.importFolder', () => {
      fake.emit('job.progress', { jobId: 'imp-1', kind: 'import', stage: 'importing', done: 1, total: 3, message: '/cases/a.dcm' });
      return { jobId: 'imp-1' };
    })
    .handle('ingest.importLog', () => ({ entries: [{ path: '/cases/b.txt', outcome: 'rejected', reason: 'not-dicom', message: 'Not a DICOM file.' }] }))
    .handle('viewer.folders.remember', ({ path }) => ({ folders: [path] }));
  const store = new ImportStore(fake.api);
  let finished = 0;
  store.onFinished = () => finished++;
  store.folder = ' /cases ';
  store.datasetFrames = 'all';
  await store.start();
  assert.deepEqual(fake.inputsOf('ingest.importFolder'), [{ root: '/cases', datasetFrames: 'all', reader: null }]);
  assert.deepEqual([store.job.status, store.job.done, store.job.total, store.job.currentPath], ['running', 1, 3, '/cases/a.dcm']);
  assert.equal(store.running, true);

  fake.emit('ingest.fileRejected', { jobId: 'imp-1', path: '/cases/b.txt', reason: 'not-dicom', message: 'Not a DICOM file.' });
  fake.emit('job.finished', { jobId: 'imp-1', kind: 'import', status: 'succeeded', result: counts });
  await settle();
  assert.equal(store.job.status, 'succeeded');
  assert.deepEqual(store.job.counts, counts);
  assert.deepEqual(store.job.rejected, [{ path: '/cases/b.txt', reason: 'not-dicom', message: 'Not a DICOM file.' }]);
  assert.deepEqual(fake.inputsOf('ingest.importLog'), [{ jobId: 'imp-1', outcomes: ['rejected', 'unsupported'] }]);
  assert.deepEqual(store.recent, ['/cases']);
  assert.equal(finished, 1);
  assert.deepEqual(fake.violations, []);
  store.dispose();
  assert.equal(fake.listenerCount(), 0, 'dispose unsubscribes from every event');
});

test('a refused start says why and the folder does not join Recent', async () => {
  const fake = createFakeApi().handle('ingest.importFolder', () => fail('folder-missing', 'The folder /nowhere does not exist.'));
  const store = new ImportStore(fake.api);
  store.folder = '/nowhere';
  await store.start();
  assert.deepEqual([store.job.status, store.job.error, store.job.errorCode], ['failed', 'The folder /nowhere does not exist.', 'folder-missing']);
  assert.equal(fake.inputsOf('viewer.folders.remember').length, 0);
});

test('files the system opens during an import wait for it, then import together', async () => {
  const fake = createFakeApi()
    .handle('ingest.importFolder', () => ({ jobId: 'imp-1' }))
    .handle('ingest.importFiles', () => ({ jobId: 'imp-2' }))
    .handle('ingest.importLog', () => ({ entries: [] }))
    .handle('viewer.folders.remember', ({ path }) => ({ folders: [path] }));
  const store = new ImportStore(fake.api);
  store.folder = '/cases';
  await store.start();
  await store.importFiles(['/tmp/x.dcm', '/tmp/y.dcm']);
  await store.importFiles(['/tmp/x.dcm']);
  assert.equal(fake.inputsOf('ingest.importFiles').length, 0);
  fake.emit('job.finished', { jobId: 'imp-1', kind: 'import', status: 'cancelled' });
  await settle();
  assert.deepEqual(fake.inputsOf('ingest.importFiles'), [{ paths: ['/tmp/x.dcm', '/tmp/y.dcm'], datasetFrames: 'key', reader: null }]);
  assert.equal(store.job.folder, '2 files opened from the system');
  assert.equal(fake.inputsOf('viewer.folders.remember').length, 0, 'a cancelled import does not join Recent');
});

test('a folder dropped from a file manager is taken from its file:// URI; anything else is refused', () => {
  const store = new ImportStore(createFakeApi().api);
  assert.equal(store.acceptDrop('# comment\r\nfile:///data/cath%20lab\r\n'), true);
  assert.equal(store.folder, '/data/cath lab');
  assert.equal(store.acceptDrop('https://example.org/x'), false);
});
