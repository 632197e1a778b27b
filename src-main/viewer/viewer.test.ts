// The viewer service on a real catalog: a cine run's place in the tree, "use this frame" (idempotent, audited, with
// the run's patient), the ECG of a run without one, and the recent-folder list and folder browser.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { loadOrCreateKey } from '../deid/pseudonyms.ts';
import { importDicomBytes } from '../ingest/dicom-import.ts';
import { BlobStore, sha256Hex } from '../store/blobs.ts';
import { openStore } from '../store/index.ts';
import { listFolder, recentFolders, rememberFolder, RECENT_FOLDERS_LIMIT } from './folders.ts';
import { ViewerService } from './service.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');

async function catalogWithCine() {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-viewer-'));
  const store = openStore(dataDir);
  const bytes = new Uint8Array(readFileSync(CINE));
  const deps = { store, blobs: new BlobStore(join(dataDir, 'blobs')), vault: null, key: loadOrCreateKey(join(dataDir, 'key')), reader: 'test' };
  const result = await importDicomBytes(deps, bytes, sha256Hex(bytes), 'XA_cine_96f_jpeg_baseline.dcm', 'job-1', 'none');
  assert.equal(result.outcome, 'imported');
  const instanceId = (store.db.prepare('SELECT id FROM instances').get() as { id: number }).id;
  return { store, dataDir, instanceId, service: new ViewerService({ store, dataDir }), cleanup: () => (store.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

test('an instance knows its series, study and de-identified patient', async () => {
  const { service, instanceId, store, cleanup } = await catalogWithCine();
  const context = service.context(instanceId);
  const patient = store.db.prepare('SELECT id, pseudonym FROM patients').get() as { id: number; pseudonym: string };
  assert.equal(context.patientId, patient.id);
  assert.equal(context.pseudonym, patient.pseudonym);
  assert.match(context.pseudonym, /^P-/);
  assert.equal(context.frames, 96);
  assert.equal(context.rows, 512);
  assert.deepEqual(context.overlays, []);
  assert.throws(() => service.context(instanceId + 100), { code: 'instance-not-found' });
  cleanup();
});

test('"use this frame" adds one dataset item with the patient, once, and audits it', async () => {
  const { service, instanceId, store, cleanup } = await catalogWithCine();
  const first = service.useFrame(instanceId, 30, 'Dr Test');
  assert.equal(first.created, true);
  const again = service.useFrame(instanceId, 30, 'Dr Test');
  assert.deepEqual(again, { ...first, created: false });
  const item = store.db.prepare('SELECT kind, frame_index AS frame, patient_id AS patientId, width, height FROM dataset_items WHERE id = ?').get(first.itemId) as Record<string, unknown>;
  const patientId = (store.db.prepare('SELECT id FROM patients').get() as { id: number }).id;
  assert.deepEqual({ ...item }, { kind: 'dicom-frame', frame: 30, patientId, width: 512, height: 512 });
  const audits = store.db.prepare("SELECT reader FROM audit_log WHERE action = 'dataset.addFrame'").all() as { reader: string }[];
  assert.deepEqual(audits.map((a) => a.reader), ['Dr Test']);
  assert.throws(() => service.useFrame(instanceId, 96, null), { code: 'frame-out-of-range' });
  cleanup();
});

test('a run recorded without an ECG has no trace', async () => {
  const { service, instanceId, cleanup } = await catalogWithCine();
  assert.equal(service.ecg(instanceId), null);
  cleanup();
});

test('recent folders: newest first, once each, at most the limit', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-viewer-folders-'));
  const store = openStore(dataDir);
  assert.deepEqual(recentFolders(store), []);
  rememberFolder(store, '/data/a');
  rememberFolder(store, '/data/b');
  assert.deepEqual(rememberFolder(store, '/data/a/'), ['/data/a', '/data/b']);
  for (let i = 0; i < 20; i++) rememberFolder(store, `/data/n${i}`);
  assert.equal(recentFolders(store).length, RECENT_FOLDERS_LIMIT);
  assert.equal(recentFolders(store)[0], '/data/n19');
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the folder browser lists sub-folders by name and counts files, and says so when a folder is missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-viewer-list-'));
  mkdirSync(join(root, 'b-run'));
  mkdirSync(join(root, 'a-run'));
  mkdirSync(join(root, '.hidden'));
  writeFileSync(join(root, 'one.dcm'), '');
  const listing = listFolder(root);
  assert.deepEqual(listing.folders.map((f) => f.name), ['a-run', 'b-run']);
  assert.equal(listing.files, 1);
  assert.equal(listing.parent, join(root, '..'));
  assert.throws(() => listFolder(join(root, 'nope')), (error: Error & { code?: string }) => error.code === 'folder-unreadable' && /cannot be opened/.test(error.message));
  rmSync(root, { recursive: true, force: true });
});
