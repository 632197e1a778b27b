// The media import dialog against a fake main: scanning a disc ticks everything and opens patients and studies, the
// import asks for the ticked records of the path that was scanned, and failures are said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MediaContents } from '../../../src-preload/channels/network.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';

const { MediaImportStore } = await import('./media-import.svelte.ts');

const instance = (key: string) => ({ key, fileId: `IMG/${key}`, path: `/media/cd/IMG/${key}`, recordType: 'IMAGE', sopClassUid: null, sopInstanceUid: null, transferSyntaxUid: null, instanceNumber: null });
const contents: MediaContents = {
  root: '/media/cd', dicomdirPath: '/media/cd/DICOMDIR', fileSetId: 'CATH', instanceCount: 3, missingCount: 0, warnings: [],
  patients: [{
    key: 'p1', patientId: 'P1', patientName: null,
    studies: [{
      key: 's1', studyInstanceUid: '1.2', studyDate: null, description: null, accessionNumber: null,
      series: [
        { key: 'se1', seriesInstanceUid: '1.2.1', modality: 'XA', seriesNumber: 1, description: null, instances: [instance('i1'), instance('i2')] },
        { key: 'se2', seriesInstanceUid: '1.2.2', modality: 'XA', seriesNumber: 2, description: null, instances: [instance('i3')] },
      ],
    }],
  }],
};

test('a scanned disc is all ticked; the import asks for the ticked series of the scanned path and reports the end', async () => {
  const fake = createFakeApi()
    .handle('media.scan', () => contents)
    .handle('media.import', () => ({ jobId: 'm-1', transferId: 't-1' }));
  const store = new MediaImportStore(fake.api);
  let imported = 0;
  store.onImported = () => imported++;
  store.path = ' /media/cd ';
  await store.scan();
  assert.deepEqual(fake.inputsOf('media.scan'), [{ path: '/media/cd' }]);
  assert.deepEqual([...store.selected].sort(), ['i1', 'i2', 'i3']);
  assert.deepEqual([store.isOpen('p1'), store.isOpen('s1'), store.isOpen('se1')], [true, true, false]);

  store.toggle(contents.patients[0]!.studies[0]!.series[1]!.instances);
  store.path = '/somewhere/else';
  await store.startImport();
  assert.deepEqual(fake.inputsOf('media.import'), [{ path: '/media/cd', selection: { keys: ['se1'] } }]);
  fake.emit('job.finished', { jobId: 'm-1', kind: 'media.import', status: 'succeeded', result: { transferId: 't-1', imported: 2, duplicates: 0, problems: [] } });
  assert.deepEqual(store.job.result, { transferId: 't-1', imported: 2, duplicates: 0, problems: [] });
  assert.equal(imported, 1);
  assert.deepEqual(fake.violations, []);
});

test('nothing ticked imports nothing; an unreadable disc or folder is said in words', async () => {
  const fake = createFakeApi()
    .handle('media.scan', () => contents)
    .handle('viewer.folders.list', () => fail('folder-unreadable', 'The folder /media/cd cannot be read.'));
  const store = new MediaImportStore(fake.api);
  store.path = '/media/cd';
  await store.scan();
  store.selectAll(false);
  await store.startImport();
  assert.equal(fake.inputsOf('media.import').length, 0);

  await store.browse('/media/cd');
  assert.equal(store.browserError, 'The folder /media/cd cannot be read. Type the path of the disc or its DICOMDIR instead.');
  fake.handle('media.scan', () => fail('media-no-dicomdir', 'There is no DICOMDIR in /media/cd.'));
  await store.scan();
  assert.deepEqual([store.scanError, store.contents, store.scanning], ['There is no DICOMDIR in /media/cd.', null, false]);
});
