// Ticks in the media import tree: parents read their images, toggles tick or untick a whole branch, and the request
// names the highest fully ticked records (or everything).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MediaContents, MediaInstance } from '../../../src-preload/channels/network.ts';
import { allInstances, contentsSummary, instancesOf, mediaImportSummary, selectionCounts, selectionRequest, tickOf, toggleInstances } from './media-selection.ts';

const image = (key: string, path: string | null = `/m/${key}`): MediaInstance => ({
  key, fileId: `IMAGES/${key}`, path, recordType: 'IMAGE', sopClassUid: null, sopInstanceUid: null, transferSyntaxUid: null, instanceNumber: null,
});
const series = (key: string, instances: MediaInstance[]) => ({ key, seriesInstanceUid: null, modality: 'XA', seriesNumber: 1, description: null, instances });
const study = (key: string, list: ReturnType<typeof series>[]) => ({ key, studyInstanceUid: null, studyDate: null, description: null, accessionNumber: null, series: list });

const contents: MediaContents = {
  root: '/m', dicomdirPath: '/m/DICOMDIR', fileSetId: null, instanceCount: 4, missingCount: 1, warnings: [],
  patients: [
    { key: 'p1', patientId: 'A', patientName: null, studies: [study('s1', [series('e1', [image('i1'), image('i2', null)]), series('e2', [image('i3')])])] },
    { key: 'p2', patientId: 'B', patientName: null, studies: [study('s2', [series('e3', [image('i4')])])] },
  ],
};
const p1 = contents.patients[0]!;

test('a parent is ticked, half ticked or not from its images', () => {
  assert.equal(tickOf(instancesOf(p1), new Set(['i1', 'i2', 'i3'])), 'all');
  assert.equal(tickOf(instancesOf(p1), new Set(['i1'])), 'some');
  assert.equal(tickOf(instancesOf(p1), new Set(['i4'])), 'none');
});

test('toggling a half-ticked branch ticks all of it; toggling a full one unticks it', () => {
  const full = toggleInstances(instancesOf(p1), new Set(['i1', 'i4']));
  assert.deepEqual([...full].sort(), ['i1', 'i2', 'i3', 'i4']);
  assert.deepEqual([...toggleInstances(instancesOf(p1), full)], ['i4']);
});

test('the request is everything, the highest full records, or nothing', () => {
  const every = new Set(allInstances(contents).map((i) => i.key));
  assert.deepEqual(selectionRequest(contents, every), { all: true });
  assert.deepEqual(selectionRequest(contents, new Set(['i1', 'i2', 'i4'])), { keys: ['e1', 'p2'] });
  assert.deepEqual(selectionRequest(contents, new Set(['i2'])), { keys: ['i2'] });
  assert.equal(selectionRequest(contents, new Set()), null);
});

test('counts name the ticked images and the missing ones among them', () => {
  assert.deepEqual(selectionCounts(contents, new Set(['i1', 'i2'])), { images: 2, missing: 1 });
  assert.equal(contentsSummary(contents.patients), '2 patients · 2 studies · 3 series · 4 images');
});

test('the progress line says where the import is and how it ended', () => {
  const job = { status: 'running' as const, done: 2, total: 7, error: null, result: null };
  assert.equal(mediaImportSummary(job), '2 of 7 images');
  const problems = [{ file: 'IMAGES/A', status: 'missing' as const }];
  assert.equal(mediaImportSummary({ ...job, status: 'succeeded', result: { transferId: 't', imported: 5, duplicates: 1, problems } }), '5 imported, 1 already in the library, 1 could not be imported (listed below).');
  assert.match(mediaImportSummary({ ...job, status: 'cancelled' }), /cancelled after 2 of 7 images\. What was imported stays/);
});
