// QCA through the catalog on the real 96-frame cine imported through ingest: a measurement through the service is
// the core's on the same frame of the file (decoded from the blob it was imported to), catheter calibration turns
// the catheter's measured width into 2.00 mm for 6 F, a moved edge point and a reader's reference recompute the
// figures, isocenter calibration is refused where dcmdump finds no geometry in the file, and saved measurements keep
// geometry, calibration and reader, list, delete, and are audited.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { IngestService } from '../ingest/service.ts';
import { openStore, type Store } from '../store/database.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { QcaMeasurementSchema, SavedMeasurementSchema } from '../../src-preload/channels/qca.ts';
import { catheterDiameterPx, measureSegment, readQcaFrame, UNCALIBRATED, QcaService } from './index.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
// The catheter and the faint artery on the cine's suggested frame (docs/qca-validation.md, "Real runs").
const FRAME = 52;
const ARTERY = { start: { x: 440, y: 60 }, end: { x: 412, y: 200 } };
const CATHETER = { start: { x: 247, y: 40 }, end: { x: 238, y: 100 } };
let dir: string;
let store: Store;
let ingest: IngestService;
let service: QcaService;
let cine: number;
const noProgress = { progress: () => {}, throwIfCancelled: () => {}, rejected: () => {} };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-qca-service-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  await ingest.runImport('job-xa', { root: join(sharedDataDir(), 'dicom', 'xa'), datasetFrames: 'key' }, noProgress);
  cine = (store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 96").get() as { id: number }).id;
  service = new QcaService({ store, dataDir: dir });
});

after(() => {
  ingest.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a measurement through the service is the core measurement of the same frame of the original file', async () => {
  const viaService = await service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'none' } });
  const { image } = await readQcaFrame(readFileSync(CINE), FRAME, CINE);
  const direct = measureSegment(image, { frame: FRAME, ...ARTERY, calibration: UNCALIBRATED });
  QcaMeasurementSchema.parse(viaService);
  assert.equal(viaService.unit, 'px');
  assert.deepEqual(viaService.calibration, UNCALIBRATED);
  assert.deepEqual(viaService.profile, direct.profile);
  assert.equal(viaService.mld, direct.mld);
  assert.ok(viaService.diameterStenosisPct > 0 && viaService.diameterStenosisPct < 100);
});

test('catheter calibration: a 6 F catheter is 2.00 mm across its measured width, and every figure is scaled by it', async () => {
  const { image } = await readQcaFrame(readFileSync(CINE), FRAME, CINE);
  const catheterPx = catheterDiameterPx(image, CATHETER.start, CATHETER.end);
  const pixels = await service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'none' } });
  const mm = await service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'catheter', french: 6, ...CATHETER } });
  assert.equal(mm.calibration.method, 'catheter');
  assert.ok(Math.abs(mm.calibration.mmPerPixel! * catheterPx - 2.0) < 1e-9);
  assert.equal(mm.unit, 'mm');
  assert.ok(Math.abs(mm.mld - pixels.mld * mm.calibration.mmPerPixel!) < 1e-9);
  assert.ok(Math.abs(mm.diameterStenosisPct - pixels.diameterStenosisPct) < 1e-9, '% stenosis does not depend on the scale');
  const manual = await service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'manual', mmPerPixel: 0.2 } });
  assert.deepEqual([manual.calibration.method, manual.calibration.mmPerPixel], ['manual', 0.2]);
});

test('isocenter calibration is refused with a way out where the file carries no geometry (dcmdump agrees)', async () => {
  const dump = runOracle('dcmdump', ['+P', '0018,1164', '+P', '0018,1114', '+P', '0028,0a02', CINE], { subject: CINE, encoding: 'latin1' }).stdout;
  assert.equal(dump.trim(), '', `dcmdump found calibration tags: ${dump}`);
  await assert.rejects(service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'isocenter' } }), { code: 'qca-no-isocenter' });
  await assert.rejects(service.measure({ instanceId: cine, frame: 96, ...ARTERY, calibration: { method: 'none' } }), { code: 'invalid-frame' });
});

test('moving an edge point outward widens that diameter; a reader reference replaces the fitted one', async () => {
  const m = await service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'manual', mmPerPixel: 0.25 } });
  const i = m.mldIndex;
  const n = m.trace.normals[i]!;
  const right = m.rightContour[i]!;
  const moved = service.edit(m, [{ side: 'right', index: i, to: { x: right.x + 3 * n.x, y: right.y + 3 * n.y } }]);
  assert.ok(Math.abs(moved.profile[i]!.diameter - (m.profile[i]!.diameter + 3 * 0.25)) < 1e-9);
  assert.notEqual(moved.mld, m.mld);
  const referenced = service.edit(moved, [], 3.5);
  assert.deepEqual([referenced.reference, referenced.referenceSource], [3.5, 'user']);
  assert.ok(Math.abs(referenced.diameterStenosisPct - (1 - referenced.mld / 3.5) * 100) < 1e-9);
  assert.equal(service.edit(referenced, []).referenceSource, 'user', 'kept when not given');
  assert.equal(service.edit(referenced, [], null).referenceSource, 'fitted');
  assert.throws(() => service.edit(m, [{ side: 'left', index: 10_000, to: { x: 0, y: 0 } }]), { code: 'qca-invalid-edit' });
});

test('saved measurements keep frame, points, edited geometry, calibration and reader; list, delete and audit', async () => {
  const m = await service.measure({ instanceId: cine, frame: FRAME, ...ARTERY, calibration: { method: 'catheter', french: 6, ...CATHETER } });
  const edited = service.edit(m, [{ side: 'left', index: 5, to: m.leftContour[5]! }], 3);
  const saved = service.save(cine, edited, 'reader-a');
  SavedMeasurementSchema.parse(saved);
  assert.deepEqual([saved.instanceId, saved.frame, saved.reader], [cine, FRAME, 'reader-a']);
  assert.deepEqual(saved.measurement.profile, edited.profile);
  assert.deepEqual(saved.measurement.calibration, edited.calibration);
  assert.equal(saved.measurement.reference, 3);
  const row = store.db.prepare('SELECT calibration_method AS method, mm_per_pixel AS mmPerPixel, points_json AS points, mld FROM qca_measurements WHERE id = ?').get(saved.id) as { method: string; mmPerPixel: number; points: string; mld: number };
  assert.equal(row.method, 'catheter');
  assert.equal(row.mmPerPixel, edited.calibration.mmPerPixel);
  assert.equal(row.mld, edited.mld);
  assert.deepEqual(JSON.parse(row.points), { start: edited.start, end: edited.end, waypoints: edited.waypoints });
  assert.deepEqual(service.list({ instanceId: cine }).map((s) => s.id), [saved.id]);
  service.remove(saved.id, 'reader-b');
  assert.deepEqual(service.list({ instanceId: cine }), []);
  assert.throws(() => service.remove(saved.id, 'reader-b'), { code: 'qca-not-found' });
  const audit = store.db.prepare("SELECT action, reader, object_id AS id FROM audit_log WHERE object_type = 'qca_measurement' ORDER BY id").all() as { action: string; reader: string; id: string }[];
  assert.deepEqual(audit.map((a) => ({ ...a })), [{ action: 'qca.save', reader: 'reader-a', id: String(saved.id) }, { action: 'qca.delete', reader: 'reader-b', id: String(saved.id) }]);
  assert.throws(() => service.save(cine, { ...edited, frame: 96 }, null), { code: 'frame-out-of-range' });
});
