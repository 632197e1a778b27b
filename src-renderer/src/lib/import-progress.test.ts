// Folding an import job's events into what the Library draws: progress, rejections (live, then the log), the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldImport, idleImport, importSummary, type ImportEvent } from './import-progress.ts';

const run = (events: ImportEvent[]) => events.reduce(foldImport, idleImport);

test('progress moves the bar and names the file being read', () => {
  const state = run([{ type: 'started', jobId: 'j', folder: '/x' }, { type: 'progress', done: 3, total: 9, message: 'a.dcm' }]);
  assert.equal(state.status, 'running');
  assert.deepEqual([state.done, state.total, state.currentPath], [3, 9, 'a.dcm']);
  assert.equal(importSummary(state), '3 of 9 files');
});

test('rejections arrive live, once per path; the log completes them in folder order', () => {
  const state = run([
    { type: 'started', jobId: 'j', folder: '/x' },
    { type: 'rejected', path: 'b.dcm', reason: 'truncated', message: 'b is cut short' },
    { type: 'rejected', path: 'b.dcm', reason: 'truncated', message: 'b is cut short' },
    { type: 'finished', status: 'succeeded', result: { total: 3, imported: 1, duplicate: 0, rejected: 2, unsupported: 0, document: 0, patches: 0, labelled: 0, splits: [], duplicateInFolder: 0 } },
    { type: 'log', entries: [{ path: 'a.dcm', reason: 'not-dicom', message: 'a is not DICOM' }, { path: 'b.dcm', reason: 'truncated', message: 'b is cut short' }] },
  ]);
  assert.deepEqual(state.rejected.map((r) => r.path), ['a.dcm', 'b.dcm']);
  assert.equal(state.status, 'succeeded');
  assert.equal(importSummary(state), '1 imported, 2 rejected (of 3 files).');
});

test('a cancelled import says what stays and how to finish', () => {
  const state = run([{ type: 'started', jobId: 'j', folder: '/x' }, { type: 'progress', done: 4, total: 10 }, { type: 'finished', status: 'cancelled' }]);
  assert.match(importSummary(state), /cancelled after 4 of 10 files.*again finishes the rest/);
  assert.equal(run([{ type: 'started', jobId: 'j', folder: '/x' }, { type: 'finished', status: 'cancelled' }, { type: 'progress', done: 9, total: 10 }]).done, 0);
});

test('a job that failed carries its message', () => {
  const state = run([{ type: 'started', jobId: 'j', folder: '/x' }, { type: 'finished', status: 'failed', error: { message: 'The folder /x does not exist.' } }]);
  assert.equal(importSummary(state), 'The import stopped: The folder /x does not exist.');
});

test('a patch import says how many labels and which splits it found; copies inside the folder are called that', () => {
  const result = { total: 12, imported: 10, duplicate: 2, rejected: 0, unsupported: 0, document: 0, patches: 10, labelled: 10, splits: ['val'], duplicateInFolder: 1 };
  const state = run([{ type: 'started', jobId: 'j', folder: '/x' }, { type: 'finished', status: 'succeeded', result }]);
  assert.equal(importSummary(state), '10 imported, 1 duplicate inside this folder, 1 already in the library (of 12 files). 10 with a label (from folder names or the manifest); splits found: val.');
  const dicomOnly = { ...result, total: 2, imported: 2, duplicate: 0, patches: 0, labelled: 0, splits: [], duplicateInFolder: 0 };
  assert.equal(importSummary(run([{ type: 'started', jobId: 'j', folder: '/x' }, { type: 'finished', status: 'succeeded', result: dicomOnly }])), '2 imported (of 2 files).');
});

test('a missing folder keeps its error code, so no restart is offered for it', () => {
  const state = run([{ type: 'failedToStart', message: 'The folder /x does not exist or is not a folder.', code: 'import-folder-missing' }]);
  assert.equal(state.errorCode, 'import-folder-missing');
});
