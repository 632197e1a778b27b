// Saved QCA measurements in the reports, on the real cine imported through ingest: the QCA PDF holds, per measurement,
// the frame picture with contours and the diameter curve (pdfimages) and every figure with its calibration
// (pdftotext); the SR is valid (dciodvfy: no errors), dcmtk reads it (dsrdump), and pydicom finds each figure as a
// numeric measurement in its UCUM unit with the contours as SCOORDs selected from the measured frame of the
// measured instance; the export is audited, and refused for a study without measurements.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { IngestService } from '../ingest/service.ts';
import { InferenceService } from '../inference/index.ts';
import { QcaService, type SavedMeasurement } from '../qca/index.ts';
import { openStore, type Store } from '../store/database.ts';
import { runPython } from '../testing/python-oracle.ts';
import { prepareStudyQca } from './qca-export.ts';
import { ReportsService } from './service.ts';
import { StudySource } from './study-source.ts';
import { studyPdf } from './study-pdf.ts';
import { dciodvfyErrors, dsrdump, pdfImages, pdfText } from './testing/oracles.ts';

const FRAME = 52;
const ARTERY = { start: { x: 440, y: 60 }, end: { x: 412, y: 200 } };
const CATHETER = { start: { x: 247, y: 40 }, end: { x: 238, y: 100 } };
let dir: string;
let store: Store;
let ingest: IngestService;
let inference: InferenceService;
let reports: ReportsService;
let cine: { instanceId: number; studyId: number };
let saved: SavedMeasurement[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-qca-reports-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  await ingest.runImport('qca-reports', { root: join(sharedDataDir(), 'dicom', 'xa') }, { progress: () => {}, throwIfCancelled: () => {} });
  cine = store.db.prepare('SELECT i.id AS instanceId, r.study_id AS studyId FROM instances i JOIN series r ON r.id = i.series_id WHERE i.frames = 96').get() as typeof cine;
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store, dataDir: dir, ingest, inference });
  const qca = new QcaService({ store, dataDir: dir });
  const calibrated = await qca.measure({ instanceId: cine.instanceId, frame: FRAME, ...ARTERY, calibration: { method: 'catheter', french: 6, ...CATHETER } });
  const pixels = await qca.measure({ instanceId: cine.instanceId, frame: 20, ...ARTERY, calibration: { method: 'none' } });
  saved = [qca.save(cine.instanceId, calibrated, 'reader-a'), qca.save(cine.instanceId, pixels, null)];
});

after(async () => {
  await inference?.close();
  ingest?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the QCA PDF shows each measurement\'s picture and diameter curve, and every figure with its calibration', async () => {
  const folder = join(dir, 'out-pdf');
  mkdirSync(folder);
  const result = await reports.exportStudyQca({ studyId: cine.studyId, folder, name: 'study', mode: 'research', reader: null });
  assert.equal(result.measurements, 2);
  const textOut = pdfText(result.pdfPath).replace(/\s+/g, ' ');
  const [mm, px] = saved.map((s) => s.measurement);
  const cal = `catheter calibration, ${mm!.calibration.mmPerPixel!.toFixed(4)} mm/px`;
  assert.ok(textOut.includes(`QCA measurement 1 of 2: instance ${cine.instanceId}, frame ${FRAME + 1}`), textOut.slice(0, 2000));
  assert.ok(textOut.includes(`MLD ${mm!.mld.toFixed(2)} mm (${cal})`), 'MLD with its calibration');
  assert.ok(textOut.includes(`Diameter stenosis ${mm!.diameterStenosisPct.toFixed(1)} % (${cal})`));
  assert.ok(textOut.includes(`Area stenosis ${mm!.areaStenosisPct.toFixed(1)} % (circular assumption; ${cal})`));
  assert.ok(textOut.includes(`MLD ${px!.mld.toFixed(1)} pixels (uncalibrated (pixels))`), 'an uncalibrated measurement says pixels');
  assert.ok(textOut.includes('Reader reader-a'));
  const images = pdfImages(result.pdfPath).filter((i) => i.page > 1);
  assert.equal(images.length, 4, 'a frame picture and a diameter curve per measurement');
  assert.deepEqual(images.map((i) => i.color), ['rgb', 'rgb', 'rgb', 'rgb']);
  const audit = store.db.prepare("SELECT action, detail FROM audit_log WHERE action LIKE 'export.qca.%'").get() as { action: string; detail: string };
  assert.equal(audit.action, 'export.qca.research');
  assert.deepEqual(JSON.parse(audit.detail).measurements, saved.map((s) => s.id));
});

test('the QCA SR: dciodvfy finds no errors, dsrdump reads it, pydicom finds the figures and the SCOORDs on the measured frames', async () => {
  const folder = join(dir, 'out-sr');
  mkdirSync(folder);
  const { srPath } = await reports.exportStudyQca({ studyId: cine.studyId, folder, name: 'study', mode: 'research', reader: null });
  assert.deepEqual(dciodvfyErrors(srPath), []);
  const dump = dsrdump(srPath);
  assert.deepEqual(dump.problems, []);
  assert.match(dump.output, /Minimum lumen diameter/);
  const groups = runPython<{ nums: Record<string, [number, string]>; scoords: { meaning: string; type: string; points: number; frames: string[]; sop: string }[] }[]>(
    `
import json, sys, pydicom
ds = pydicom.dcmread(json.loads(sys.stdin.read()))
groups = []
for item in ds.ContentSequence:
    if item.ValueType != 'CONTAINER':
        continue
    nums, scoords = {}, []
    def walk(node):
        for child in getattr(node, 'ContentSequence', []):
            meaning = child.ConceptNameCodeSequence[0].CodeMeaning
            if child.ValueType == 'NUM':
                mv = child.MeasuredValueSequence[0]
                nums[meaning] = [float(mv.NumericValue), mv.MeasurementUnitsCodeSequence[0].CodeValue]
            if child.ValueType == 'SCOORD':
                ref = child.ContentSequence[0]
                assert ref.RelationshipType == 'SELECTED FROM'
                sop = ref.ReferencedSOPSequence[0]
                scoords.append({'meaning': meaning, 'type': child.GraphicType, 'points': len(child.GraphicData) // 2,
                                'frames': [str(f) for f in (sop.ReferencedFrameNumber if isinstance(sop.ReferencedFrameNumber, pydicom.multival.MultiValue) else [sop.ReferencedFrameNumber])],
                                'sop': sop.ReferencedSOPInstanceUID})
            walk(child)
    walk(item)
    groups.append({'nums': nums, 'scoords': scoords})
print(json.dumps(groups))
`,
    srPath,
  );
  const sop = (store.db.prepare('SELECT sop_instance_uid AS uid FROM instances WHERE id = ?').get(cine.instanceId) as { uid: string }).uid;
  assert.equal(groups.length, 2);
  for (const [i, group] of groups.entries()) {
    const m = saved[i]!.measurement;
    const unit = m.unit === 'mm' ? 'mm' : '{pixels}';
    assert.deepEqual(group.nums['Minimum lumen diameter']![1], unit);
    assert.ok(Math.abs(group.nums['Minimum lumen diameter']![0] - m.mld) < 1e-6 * Math.max(1, m.mld));
    assert.ok(Math.abs(group.nums['Reference diameter at the MLD']![0] - m.reference) < 1e-6 * Math.max(1, m.reference));
    assert.deepEqual(group.nums['Percent diameter stenosis']![1], '%');
    assert.ok(Math.abs(group.nums['Percent diameter stenosis']![0] - m.diameterStenosisPct) < 1e-6 * 100);
    assert.ok(Math.abs(group.nums['Percent area stenosis (circular assumption)']![0] - m.areaStenosisPct) < 1e-6 * 100);
    assert.ok(Math.abs(group.nums['Lesion length']![0] - m.lesionLength) < 1e-6 * Math.max(1, m.lesionLength));
    const contours = group.scoords.filter((s) => s.meaning.startsWith('Lumen contour'));
    assert.deepEqual(contours.map((c) => c.points), [m.leftContour.length, m.rightContour.length]);
    for (const s of group.scoords) {
      assert.equal(s.type, 'POLYLINE');
      assert.equal(s.sop, sop, 'selected from the measured instance');
      assert.deepEqual(s.frames, [String(saved[i]!.frame + 1)], 'on the measured frame (1-based)');
    }
    assert.ok(group.scoords.some((s) => s.meaning === 'MLD chord' && s.points === 2));
  }
});

test('a study without saved measurements is refused and nothing is written', async () => {
  const other = (store.db.prepare('SELECT id FROM studies WHERE id != ? LIMIT 1').get(cine.studyId) as { id: number }).id;
  const folder = join(dir, 'out-none');
  mkdirSync(folder);
  await assert.rejects(reports.exportStudyQca({ studyId: other, folder, name: 'x', mode: 'research', reader: null }), { code: 'report-no-qca' });
  assert.deepEqual(readdirSync(folder), []);
});

test('the study PDF reports the saved measurements after the model findings, with pictures and calibration', async () => {
  // The two calls exportStudyPdf makes, with a stand-in finding (computing one needs a model run; study-exports.test.ts does that).
  const qca = (await prepareStudyQca(store, ingest, dir, cine.studyId, 'research', false))!;
  const source = StudySource.research(store, ingest.blobs);
  const finding = {
    id: 1, studyId: cine.studyId, instanceId: cine.instanceId, frameIndex: FRAME, probability: 0.2, decision: 'no stenosis' as const, threshold: 0.5,
    quantumContribution: null, saliency: null, modelVersion: 'stand-in', createdAt: new Date().toISOString(),
  };
  const picture = qca.items[0]!.picture;
  const card = { modelVersion: 'stand-in', name: 'stand-in', createdAt: new Date().toISOString(), trainingImages: 0, validation: [], validationNote: 'none' };
  const { bytes } = await studyPdf({ identity: source.identity(cine.instanceId), pseudonym: qca.study.patientPseudonym, findings: [{ finding, source: source.instance(cine.instanceId), picture }], card, at: new Date(), qca: qca.items });
  const path = join(dir, 'study.pdf');
  writeFileSync(path, bytes);
  const textOut = pdfText(path).replace(/\s+/g, ' ');
  const m = saved[0]!.measurement;
  assert.match(textOut, /QCA measurements \(readers\)/);
  assert.ok(textOut.includes(`QCA measurement 2 of 2: instance ${cine.instanceId}, frame 21`));
  assert.ok(textOut.includes(`MLD ${m.mld.toFixed(2)} mm (catheter calibration, ${m.calibration.mmPerPixel!.toFixed(4)} mm/px)`));
  // The finding's frame, then a picture and a diameter curve per measurement.
  assert.equal(pdfImages(path).length, 1 + 2 * saved.length);
  assert.equal(await prepareStudyQca(store, ingest, dir, (store.db.prepare('SELECT id FROM studies WHERE id != ? LIMIT 1').get(cine.studyId) as { id: number }).id, 'research', false), null, 'no measurements: nothing added');
});
