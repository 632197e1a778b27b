// The library tree against a fake main: patients, studies and series loaded together, the patch shelf counted by
// label, instances on first expand, filters over the tree, identities only through the audited reveal with a name,
// and a failed read said in words with a way on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';

const { LibraryStore } = await import('./library.svelte.ts');

type Item = InvokeOutput<'library.datasetItems'>['items'][number];
const patch = (id: number, label: string): Item => ({ id, kind: 'png', instanceId: null, frameIndex: null, width: 64, height: 64, patientId: null, studyId: null, label, sourceSplit: 'train', sourceName: `p${id}.png`, flags: '' });
const instance = (id: number) => ({
  id, seriesId: 30, sopInstanceUid: `1.3.${id}`, kind: 'image' as const, unsupportedReason: null, transferSyntax: '1.2.840.10008.1.2.1', rows: 512, columns: 512, frames: 40,
  photometric: 'MONOCHROME2', burnedIn: 'NO' as const, needsReview: false, keyFrame: null, keyFrameReason: null, hasThumbnail: true,
});

function library() {
  const items = [patch(1, 'positive'), patch(2, 'negative'), patch(3, 'negative')];
  return createFakeApi()
    .handle('library.patients', () => ({ patients: [
      { id: 1, pseudonym: 'ANON-0001', flags: '', studies: 1, series: 2, instances: 3, datasetItems: 0 },
      { id: 2, pseudonym: 'ANON-0002', flags: '', studies: 1, series: 1, instances: 1, datasetItems: 0 },
    ] }))
    .handle('library.studies', ({ patientId }) => ({ studies: [{ id: 10 + patientId, patientId, studyUid: `1.2.${patientId}`, studyDate: '20260301', modalities: 'XA', series: 1, instances: 1, documents: 0 }] }))
    .handle('library.series', ({ studyId }) => ({ series: studyId === 11
      ? [{ id: 30, studyId, seriesUid: '1.2.1.1', modality: 'XA', seriesNumber: 1, instances: 2, frames: 80 }, { id: 31, studyId, seriesUid: '1.2.1.2', modality: 'SR', seriesNumber: 2, instances: 1, frames: 0 }]
      : [{ id: 32, studyId, seriesUid: '1.2.2.1', modality: 'XA', seriesNumber: 1, instances: 1, frames: 1 }] }))
    .handle('library.datasetItems', ({ label, limit }) => {
      const matching = items.filter((item) => !label || item.label === label);
      return { total: matching.length, items: matching.slice(0, limit) };
    })
    .handle('library.instances', () => ({ instances: [instance(100), instance(101)] }));
}

test('the tree loads whole, the patch shelf is counted by label, and filters narrow it', async () => {
  const fake = library();
  const store = new LibraryStore(fake.api);
  await store.refresh();
  assert.deepEqual([store.loaded, store.loading, store.error], [true, false, null]);
  assert.deepEqual(store.tree.map((p) => p.studies.map((s) => s.series.map((se) => se.id))), [[[30, 31]], [[32]]]);
  assert.deepEqual({ ...store.patches, first: store.patches.first.length }, { total: 3, positive: 1, negative: 2, first: 3 });
  assert.deepEqual(store.modalities, ['SR', 'XA']);
  store.filter = { text: '', modality: '', cineOnly: true };
  assert.deepEqual([...store.visible.series], [30]);
  store.filter = { text: 'anon-0002', modality: '', cineOnly: false };
  assert.deepEqual([...store.visible.patients], [2]);
  assert.deepEqual(fake.violations, []);
});

test('instances load on the first expand of a series and again after a refresh', async () => {
  const fake = library();
  const store = new LibraryStore(fake.api);
  await store.refresh();
  store.toggle('series:30');
  await settle();
  assert.deepEqual(store.instances[30]?.map((i) => i.id), [100, 101]);
  store.toggle('series:30');
  store.toggle('series:30');
  await settle();
  assert.equal(fake.inputsOf('library.instances').length, 1, 'a series already listed is not asked again');
  await store.refresh();
  assert.equal(fake.inputsOf('library.instances').length, 2, 'open series are listed again: an import may have added to them');
  store.expandAll();
  assert.deepEqual([store.isOpen('patient:1'), store.isOpen('study:12')], [true, true]);
});

test('a reveal needs a name, goes through the audited call, and can be hidden again', async () => {
  const fake = library().handle('deid.reidentify', ({ pseudonym }) => (pseudonym === 'ANON-0001' ? { originals: [{ kind: 'PatientName', original: 'Doe^Jane' }] } : fail('vault-locked', 'The identity vault is locked.')));
  const store = new LibraryStore(fake.api);
  await store.refresh();
  await store.reveal('ANON-0001');
  assert.match(store.revealError['ANON-0001']!, /^Enter your name first/);
  assert.equal(fake.inputsOf('deid.reidentify').length, 0);
  store.reader = ' Dr. Ana ';
  await store.reveal('ANON-0001');
  assert.deepEqual(fake.inputsOf('deid.reidentify'), [{ pseudonym: 'ANON-0001', reader: 'Dr. Ana' }]);
  assert.deepEqual(store.tree[0]?.revealed, ['Doe^Jane']);
  assert.equal(store.revealError['ANON-0001'], undefined);
  await store.reveal('ANON-0002');
  assert.equal(store.revealError['ANON-0002'], 'The identity vault is locked.');
  store.hide('ANON-0001');
  assert.deepEqual(store.tree[0]?.revealed, []);
});

test('a library that cannot be read says so with a way on, and keeps what it showed', async () => {
  const fake = library();
  const store = new LibraryStore(fake.api);
  await store.refresh();
  fake.handle('library.series', () => fail('storage-busy', 'The catalog is locked by another program.'));
  await store.refresh();
  assert.equal(store.error, 'The library could not be read: The catalog is locked by another program. Try Refresh; if it keeps failing, run the self-check in the System panel.');
  assert.equal(store.patients.length, 2);
  assert.equal(store.loading, false);
});
