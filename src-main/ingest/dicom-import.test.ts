// Importing the shared DICOM folder: what dcmtk reads and decodes is catalogued, damaged files are rejected with
// path and reason, RT objects are listed as unsupported, re-importing changes nothing, and the stored
// de-identified copies decode to the same pixels as the originals.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from '../dicom/dataset.ts';
import { decodeFrame, describeImage } from '../dicom/image.ts';
import { openStore, type Store } from '../store/database.ts';
import { IngestService } from './service.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
let dir: string;
let store: Store;
let service: IngestService;
const rejected: { path: string; reason: string }[] = [];
const noProgress = { progress: () => {}, throwIfCancelled: () => {}, rejected: (e: { path: string; reason: string }) => rejected.push(e) };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-ingest-'));
  store = openStore(dir);
  service = new IngestService({ store, dataDir: dir });
  await service.runImport('job-1', { root: dicomDir, datasetFrames: 'key' }, noProgress);
});

after(() => {
  service.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const outcomes = (job: string) =>
  Object.fromEntries(service.importLog(job, null).map((e) => [e.path, `${e.outcome}${e.reason ? `:${e.reason}` : ''}`]));

test('damaged files are rejected with their path and reason; RT and meta-only objects are unsupported', () => {
  const log = outcomes('job-1');
  assert.equal(log['misc/MR_truncated.dcm'], 'rejected:truncated');
  assert.equal(log['misc/emri_small_jpeg_2k_lossless_too_short.dcm'], 'rejected:truncated');
  assert.match(log['misc/badVR.dcm'] ?? '', /^unsupported:RT Dose/);
  assert.match(log['misc/ExplVR_LitEndNoMeta.dcm'] ?? '', /^unsupported:RT Ion Plan/);
  assert.match(log['misc/meta_missing_tsyntax.dcm'] ?? '', /^unsupported/);
  assert.deepEqual(rejected.map((r) => r.path).sort(), ['misc/MR_truncated.dcm', 'misc/emri_small_jpeg_2k_lossless_too_short.dcm']);
  for (const file of ['xa/XA_cine_96f_jpeg_baseline.dcm', 'misc/bad_sequence.dcm', 'misc/OT-PAL-8-face.dcm', 'misc/image_dfl.dcm', 'xa/XA1_J2KI.dcm']) {
    assert.equal(log[file], 'imported', `${file} should import`);
  }
});

test('the library lists patients, studies, series and instances with counts', () => {
  const patients = service.patients();
  const total = patients.reduce((n, p) => n + p.instances, 0);
  const instances = store.db.prepare('SELECT count(*) AS n FROM instances').get() as { n: number };
  assert.equal(total, instances.n);
  const xa = patients.find((p) => p.instances === 8); // the eight XA1 encodings share one patient
  assert.ok(xa, 'XA1 encodings grouped under one pseudonymised patient');
  const studies = service.studies(xa.id);
  const series = studies.flatMap((s) => service.series(s.id));
  assert.equal(studies.reduce((n, s) => n + s.instances, 0), 8);
  assert.equal(series.reduce((n, s) => n + s.instances, 0), 8);
  const rows = series.flatMap((s) => service.instances(s.id));
  assert.equal(rows.length, 8);
  assert.ok(rows.every((r) => r.kind === 'image' && r.burnedIn === 'UNKNOWN' && r.needsReview), 'unknown burned-in annotation flags the image for review');
  const cine = store.db.prepare("SELECT id, frames, key_frame, key_frame_reason FROM instances WHERE frames = 96").get() as { id: number; frames: number; key_frame: number; key_frame_reason: string };
  assert.equal(cine.key_frame, 19, 'first R wave (frame 20) is the key frame');
  assert.match(cine.key_frame_reason, /ECG/);
  const times = service.instance(cine.id).frameTimesMs;
  assert.equal(times.length, 96);
  assert.equal(times[2], 66, 'frame times follow the 33 ms frame time');
  const items = service.datasetItems({ limit: 1000, offset: 0 });
  assert.ok(items.items.some((i) => i.instanceId === cine.id && i.frameIndex === 19), 'the key frame became a dataset item');
});

test('re-importing the same folder is a no-op', async () => {
  const before = store.db.prepare('SELECT (SELECT count(*) FROM instances) AS i, (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM dataset_items) AS d').get();
  const counts = await service.runImport('job-2', { root: dicomDir }, noProgress);
  const after = store.db.prepare('SELECT (SELECT count(*) FROM instances) AS i, (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM dataset_items) AS d').get();
  assert.deepEqual(after, before);
  assert.equal(counts.imported, 0);
  assert.equal(counts.duplicate + counts.rejected + counts.unsupported, counts.total);
});

test('stored de-identified copies decode to exactly the pixels of the originals', async () => {
  const rows = store.db.prepare("SELECT id, source_sha256 AS sha FROM instances WHERE kind = 'image'").all() as { id: number; sha: string }[];
  const log = new Map(service.importLog('job-1', ['imported']).map((e) => [e.path, e]));
  // The catalog names files by pseudonymous ids; the service's log, with the vault open, gives their paths (same order).
  const paths = service.importLog('job-1', null).map((e) => e.path);
  const bySha = new Map((store.db.prepare('SELECT source_sha256 AS sha FROM import_log WHERE job_id = ? ORDER BY id').all('job-1') as { sha: string }[]).map((r, i) => [r.sha, paths[i] as string]));
  assert.equal(rows.length, log.size);
  for (const row of rows) {
    const path = bySha.get(row.sha) as string;
    const original = readDicom(readFileSync(join(dicomDir, path)), path);
    const image = describeImage(original, path);
    for (const index of [0, image.numberOfFrames - 1]) {
      const ours = await service.frame(row.id, index);
      const theirs = await decodeFrame(original, image, index, path);
      assert.deepEqual(Buffer.from(ours.frame.pixels.buffer, ours.frame.pixels.byteOffset, ours.frame.pixels.byteLength), Buffer.from(theirs.pixels.buffer, theirs.pixels.byteOffset, theirs.pixels.byteLength), `${path} frame ${index}`);
    }
  }
});

test('every import and every view of identifying data writes an audit row', () => {
  const imports = store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'import'").get() as { n: number };
  const catalogued = store.db.prepare('SELECT count(*) AS n FROM instances').get() as { n: number };
  assert.equal(imports.n, catalogued.n);
  // Pseudonyms come from a per-install secret, so list order is random: look the patients up, don't pick the first.
  const patients = service.patients();
  const mapped = patients.filter((patient) => service.reidentify(patient.pseudonym, 'dr-test').length > 0);
  assert.ok(mapped.length > 0, 'the vault maps pseudonyms back to the original patients');
  const views = store.db.prepare("SELECT reader, object_id FROM audit_log WHERE action = 'view.identifying' ORDER BY id").all() as { reader: string; object_id: string }[];
  assert.deepEqual(views.map((view) => ({ ...view })), patients.map((patient) => ({ reader: 'dr-test', object_id: patient.pseudonym })));
});
