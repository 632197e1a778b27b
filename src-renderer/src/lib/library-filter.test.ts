// Library search and filters: text over pseudonyms (and revealed identities), dates and modalities; modality and
// cine-only filters on series; parents of a match stay visible.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterLibrary, formatStudyDate, type PatientNode } from './library-filter.ts';

const tree: PatientNode[] = [
  {
    id: 1, pseudonym: 'P-AAA', revealed: [],
    studies: [
      { id: 10, studyDate: '19950117', modalities: 'XA', series: [{ id: 100, modality: 'XA', seriesNumber: 1, instances: 7, frames: 7 }] },
      { id: 11, studyDate: '19940430', modalities: 'XA', series: [{ id: 101, modality: 'XA', seriesNumber: 2, instances: 1, frames: 96 }] },
    ],
  },
  { id: 2, pseudonym: 'P-BBB', revealed: ['Rubo DEMO'], studies: [{ id: 20, studyDate: null, modalities: 'MR', series: [{ id: 200, modality: 'MR', seriesNumber: 3, instances: 2, frames: 2 }] }] },
];

const ids = (v: ReturnType<typeof filterLibrary>) => ({ patients: [...v.patients], studies: [...v.studies], series: [...v.series] });

test('no filter shows everything', () => {
  assert.deepEqual(ids(filterLibrary(tree, { text: '', modality: '', cineOnly: false })), { patients: [1, 2], studies: [10, 11, 20], series: [100, 101, 200] });
});

test('text matches a pseudonym, a study date (either form) or a revealed name, case-insensitively', () => {
  assert.deepEqual(ids(filterLibrary(tree, { text: 'p-bbb', modality: '', cineOnly: false })).series, [200]);
  assert.deepEqual(ids(filterLibrary(tree, { text: '1994-04', modality: '', cineOnly: false })), { patients: [1], studies: [11], series: [101] });
  assert.deepEqual(ids(filterLibrary(tree, { text: 'rubo', modality: '', cineOnly: false })).patients, [2]);
  assert.deepEqual(ids(filterLibrary(tree, { text: 'nobody', modality: '', cineOnly: false })).patients, []);
});

test('modality and cine-only filters keep only matching series and their parents', () => {
  assert.deepEqual(ids(filterLibrary(tree, { text: '', modality: 'MR', cineOnly: false })), { patients: [2], studies: [20], series: [200] });
  assert.deepEqual(ids(filterLibrary(tree, { text: '', modality: '', cineOnly: true })), { patients: [1], studies: [11], series: [101] });
});

test('study dates read as YYYY-MM-DD', () => {
  assert.equal(formatStudyDate('19950117'), '1995-01-17');
  assert.equal(formatStudyDate(null), '');
});
