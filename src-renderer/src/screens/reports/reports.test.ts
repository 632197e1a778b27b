// The Reports screen's state against a fake main: modes and studies loaded together (with the PACS reason), a
// study's findings, each export sending the trimmed form and saying what it wrote, and a refusal in main's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../../src-preload/contract.ts';
import '../../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../../testing/fake-api.ts';

const { ReportsStore } = await import('./reports.svelte.ts');

const modes: InvokeOutput<'reports.modes'> = {
  research: { available: true, description: 'De-identified: pseudonyms only.' },
  pacs: { available: false, description: 'Identified, for the hospital PACS.', reason: 'Reports need a PACS configured under Network.' },
};
const finding = (id: number): InvokeOutput<'reports.findings'>['findings'][number] => ({
  id, instanceId: 3, frameIndex: 0, probability: 0.82, decision: 'stenosis', threshold: 0.5, quantumContribution: null, modelVersion: 'm-1', hasSaliency: false,
});

function reportsMain() {
  return createFakeApi()
    .handle('reports.modes', () => modes)
    .handle('reports.studies', () => ({ studies: [{ id: 7, pseudonym: 'P-7', studyDate: '20260301', images: 2, findings: 1 }] }))
    .handle('reports.findings', ({ studyId }) => ({ findings: studyId === 7 ? [finding(1)] : [] }));
}

test('modes, studies and a chosen study\'s findings load; a refresh keeps the study chosen', async () => {
  const fake = reportsMain();
  const store = new ReportsStore(fake.api);
  await store.refresh();
  assert.equal(store.modes?.pacs.available, false);
  assert.equal(store.modes?.pacs.reason, 'Reports need a PACS configured under Network.');
  assert.deepEqual(store.studies.map((s) => s.pseudonym), ['P-7']);
  assert.equal(fake.inputsOf('reports.findings').length, 0, 'no study chosen yet: no findings asked for');

  await store.select(7);
  assert.deepEqual(store.findings.map((f) => f.id), [1]);
  await store.refresh();
  assert.deepEqual(fake.inputsOf('reports.findings'), [{ studyId: 7 }, { studyId: 7 }]);
  assert.equal(store.outcome, null);
  assert.deepEqual(fake.violations, []);
});

test('a study PDF and DICOM export send the trimmed form and say what was written', async () => {
  const fake = reportsMain()
    .handle('reports.studyPdf', ({ folder, name }) => ({ path: `${folder}/${name}.pdf`, pages: 3, findings: 1 }))
    .handle('reports.studyDicom', ({ folder }) => ({
      files: [
        { path: `${folder}/sr.dcm`, kind: 'sr' as const, sopInstanceUid: '1.2.1' },
        { path: `${folder}/sc1.dcm`, kind: 'sc' as const, sopInstanceUid: '1.2.2' },
        { path: `${folder}/qca.dcm`, kind: 'qca-sr' as const, sopInstanceUid: '1.2.3' },
      ],
    }));
  const store = new ReportsStore(fake.api);
  await store.exportPdf();
  assert.equal(fake.inputsOf('reports.studyPdf').length, 0, 'nothing is exported before a study is chosen');

  await store.select(7);
  store.folder = ' /exports ';
  store.name = ' case-7 ';
  store.reader = '  ';
  await store.exportPdf();
  assert.deepEqual(fake.inputsOf('reports.studyPdf'), [{ studyId: 7, folder: '/exports', name: 'case-7', identified: false, reader: null }]);
  assert.deepEqual(store.outcome, { ok: true, message: 'Study PDF written: 3 pages, 1 findings (de-identified).', files: ['/exports/case-7.pdf'] });
  assert.equal(store.busy, null);

  await store.exportDicom('research');
  assert.equal(store.outcome?.message, 'DICOM written in research mode: one SR, 1 Secondary Capture image(s) and the QCA measurements\' SR.');
  assert.deepEqual(store.outcome?.files, ['/exports/sr.dcm', '/exports/sc1.dcm', '/exports/qca.dcm']);
  assert.deepEqual(fake.violations, []);
});

test('a refused export is said in main\'s words and the form stays as typed', async () => {
  const fake = reportsMain().handle('reports.predictionsCsv', () => fail('not-found', 'No experiment record at /x/exp.json.'));
  const store = new ReportsStore(fake.api);
  store.experimentPath = '/x/exp.json';
  store.folder = '/exports';
  await store.exportExperiment('csv');
  assert.deepEqual(fake.inputsOf('reports.predictionsCsv'), [{ experimentPath: '/x/exp.json', folder: '/exports', name: 'experiment', reader: null }]);
  assert.equal(store.outcome?.ok, false);
  assert.match(store.outcome!.message, /No experiment record at \/x\/exp\.json\./);
  assert.equal(store.experimentPath, '/x/exp.json');
  assert.equal(store.busy, null);
});
