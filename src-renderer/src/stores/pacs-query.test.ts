// PACS query and retrieve against a fake main: matches streamed while the C-FIND runs (those that overtake the job id
// kept), the job's result as the final list, retrieving only the picked studies, and a refusal in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StudyMatch } from '../../../src-preload/channels/network.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';

const { PacsQueryStore } = await import('./pacs-query.svelte.ts');

const study = (uid: string): StudyMatch => ({
  studyInstanceUid: uid, patientId: 'P1', patientName: 'Doe^Jane', studyDate: '20260301', studyDescription: 'Coronary angiography', accessionNumber: null,
  modalities: ['XA'], seriesCount: 1, instanceCount: 3,
});

test('matches stream in (even ahead of the job id), the result replaces them, and only picked studies are retrieved', async () => {
  const fake = createFakeApi()
    .handle('network.query.start', () => {
      fake.emit('network.queryMatch', { jobId: 'q-1', study: study('1.1') });
      return { jobId: 'q-1', transferId: 't-1' };
    })
    .handle('network.retrieve.start', () => ({ jobId: 'r-1', transferId: 't-2' }));
  const store = new PacsQueryStore(fake.api);
  store.form.patientName = ' Doe ';
  store.form.dateFrom = '2026-03-01';
  store.form.dateTo = '2026-03-31';
  await store.search();
  assert.deepEqual(fake.inputsOf('network.query.start'), [{ patientName: 'Doe', studyDate: '20260301-20260331' }]);
  fake.emit('network.queryMatch', { jobId: 'q-1', study: study('1.2') });
  fake.emit('network.queryMatch', { jobId: 'q-1', study: study('1.2') });
  fake.emit('network.queryMatch', { jobId: 'other', study: study('9.9') });
  assert.deepEqual(store.matches.map((m) => m.studyInstanceUid), ['1.1', '1.2']);
  fake.emit('job.finished', { jobId: 'q-1', kind: 'network.query', status: 'succeeded', result: { studies: [study('1.1'), study('1.2'), study('1.3')] } });
  assert.deepEqual(store.matches.map((m) => m.studyInstanceUid), ['1.1', '1.2', '1.3']);

  await store.retrievePicked('get');
  assert.equal(fake.inputsOf('network.retrieve.start').length, 0, 'nothing picked, nothing retrieved');
  store.pick('1.3');
  store.pick('1.1');
  store.pick('1.3');
  await store.retrievePicked('move');
  assert.deepEqual(fake.inputsOf('network.retrieve.start'), [{ studyInstanceUids: ['1.1'], method: 'move' }]);
  let retrieved = 0;
  store.onRetrieved = () => retrieved++;
  fake.emit('job.finished', { jobId: 'r-1', kind: 'network.retrieve', status: 'succeeded', result: { completed: 3, failed: 0, warnings: 0 } });
  assert.equal(retrieved, 1);
  assert.deepEqual(fake.violations, []);
});

test('a query main refuses is said in words; a new search starts from an empty list', async () => {
  const fake = createFakeApi().handle('network.query.start', () => fail('network-no-pacs', 'No PACS is configured. Enter its AE title, address and port in the network settings.'));
  const store = new PacsQueryStore(fake.api);
  store.pickAll(true);
  await store.search();
  assert.equal(store.query.status, 'failed');
  assert.match(store.query.error!, /^No PACS is configured/);
  assert.deepEqual(store.matches, []);
  store.form.modality = 'XA';
  store.clear();
  assert.equal(store.form.modality, '');
});
