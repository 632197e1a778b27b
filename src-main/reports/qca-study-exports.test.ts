// The study exports with saved QCA measurements, end to end on the real cine imported through ingest, findings
// computed by a tiny fixture model (the study exports need a model finding): the study PDF holds, after the finding,
// each measurement's picture and diameter curve with every figure and its calibration (pdftotext, pdfimages); the
// study's DICOM export adds the QCA SR beside the findings' SR and Secondary Captures, de-identified like them
// (pydicom: pseudonym, the app's study UID, no original identifying value; dciodvfy: no errors), with the figures as
// numeric measurements and the contours on the measured frame of the de-identified instance.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { IngestService } from '../ingest/service.ts';
import { InferenceService } from '../inference/index.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { QcaService, type SavedMeasurement } from '../qca/index.ts';
import { openStore, type Store } from '../store/database.ts';
import { runPython } from '../testing/python-oracle.ts';
import { ReportsService } from './service.ts';
import { dciodvfyErrors, dsrdump, pdfImages, pdfText, pydicomSummary } from './testing/oracles.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE_FILE = join(XA_DIR, 'XA_cine_96f_jpeg_baseline.dcm');
const FRAME = 52;
const ARTERY = { start: { x: 440, y: 60 }, end: { x: 412, y: 200 } };
const CATHETER = { start: { x: 247, y: 40 }, end: { x: 238, y: 100 } };
const IDENTIFYING = ['PatientName', 'PatientID', 'PatientBirthDate', 'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'StudyDate', 'StudyTime'];

let dir: string;
let store: Store;
let ingest: IngestService;
let inference: InferenceService;
let reports: ReportsService;
let cine: { instanceId: number; studyId: number; sopInstanceUid: string; studyUid: string; pseudonym: string };
let saved: SavedMeasurement;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-qca-study-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  await ingest.runImport('qca-study', { root: XA_DIR }, { progress: () => {}, throwIfCancelled: () => {} });
  cine = store.db
    .prepare(
      `SELECT i.id AS instanceId, r.study_id AS studyId, i.sop_instance_uid AS sopInstanceUid, s.study_uid AS studyUid, p.pseudonym
       FROM instances i JOIN series r ON r.id = i.series_id JOIN studies s ON s.id = r.study_id JOIN patients p ON p.id = s.patient_id WHERE i.frames = 96`,
    )
    .get() as typeof cine;
  const model = await fixtureModel(7);
  const modelPath = join(model.dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store, dataDir: dir, ingest, inference });
  await reports.computeFindings({ studyId: cine.studyId, modelPath, targets: [{ instanceId: cine.instanceId, frame: FRAME }], reader: 'reader-q' });
  const qca = new QcaService({ store, dataDir: dir });
  const measurement = await qca.measure({ instanceId: cine.instanceId, frame: FRAME, ...ARTERY, calibration: { method: 'catheter', french: 6, ...CATHETER } });
  saved = qca.save(cine.instanceId, measurement, 'reader-q');
});

after(async () => {
  await inference?.close();
  ingest?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const folderFor = (name: string) => {
  const folder = join(dir, 'out', name);
  mkdirSync(folder, { recursive: true });
  return folder;
};

test('the study PDF, exported through the service, shows the saved measurement\'s figures with their calibration and its pictures', async () => {
  const result = await reports.exportStudyPdf({ studyId: cine.studyId, folder: folderFor('pdf'), name: 'study', identified: false, reader: 'reader-q' });
  assert.equal(result.findings, 1);
  const printed = pdfText(result.path).replace(/\s+/g, ' ');
  const m = saved.measurement;
  const cal = `catheter calibration, ${m.calibration.mmPerPixel!.toFixed(4)} mm/px`;
  assert.match(printed, /QCA measurements \(readers\)/);
  assert.ok(printed.includes(`QCA measurement 1 of 1: instance ${cine.instanceId}, frame ${FRAME + 1}`), printed.slice(0, 3000));
  assert.ok(printed.includes(`MLD ${m.mld.toFixed(2)} mm (${cal})`), 'the MLD with its calibration');
  assert.ok(printed.includes(`Diameter stenosis ${m.diameterStenosisPct.toFixed(1)} % (${cal})`));
  assert.ok(printed.includes(`Area stenosis ${m.areaStenosisPct.toFixed(1)} % (circular assumption; ${cal})`));
  assert.ok(printed.includes('Reader reader-q'));
  // After the finding's pictures, on the last page: the measurement's frame picture, then its diameter curve (640×220).
  const images = pdfImages(result.path);
  const [picture, curve] = images.slice(-2);
  assert.ok(images.length >= 3, JSON.stringify(images));
  assert.deepEqual([curve!.width, curve!.height, curve!.color], [640, 220, 'rgb']);
  assert.equal(picture!.color, 'rgb');
  assert.equal(picture!.page, curve!.page);
  assert.equal(curve!.page, result.pages);
  const original = pydicomSummary([CINE_FILE])[CINE_FILE]!.attributes;
  for (const key of ['PatientName', 'PatientID', 'StudyInstanceUID']) assert.ok(!printed.includes(original[key]!), `the de-identified PDF prints the original ${key}`);
});

test('the study\'s DICOM export adds the QCA SR: de-identified like the rest, dciodvfy clean, figures and contours on the measured frame', async () => {
  const { files } = await reports.exportStudyDicom({ studyId: cine.studyId, folder: folderFor('dicom'), name: 'study', mode: 'research', reader: null });
  assert.deepEqual(files.map((f) => f.kind), ['sr', 'sc', 'qca-sr']);
  const qcaSr = files.find((f) => f.kind === 'qca-sr')!;
  assert.match(qcaSr.path, /study-QCA-SR\.dcm$/);
  for (const file of files) assert.deepEqual(dciodvfyErrors(file.path), [], `dciodvfy errors in ${file.path}`);
  const dump = dsrdump(qcaSr.path);
  assert.deepEqual(dump.problems, []);
  assert.match(dump.output, /Minimum lumen diameter/);

  const original = pydicomSummary([CINE_FILE])[CINE_FILE]!.attributes;
  const summary = pydicomSummary([qcaSr.path])[qcaSr.path]!;
  assert.equal(summary.attributes.SOPInstanceUID, qcaSr.sopInstanceUid);
  assert.equal(summary.attributes.PatientName, cine.pseudonym);
  assert.equal(summary.attributes.PatientID, cine.pseudonym);
  assert.equal(summary.attributes.StudyInstanceUID, cine.studyUid);
  assert.equal(summary.attributes.PatientIdentityRemoved, 'YES');
  for (const [keyword, value] of summary.values) {
    for (const key of IDENTIFYING) assert.notEqual(value, original[key], `the QCA SR's ${keyword} keeps the original ${key}`);
  }
  assert.deepEqual([...new Set(summary.references)], [cine.sopInstanceUid], 'it references the de-identified instance only');

  const read = runPython<{ mld: [number, string]; frames: string[] }>(
    `
import json, sys, pydicom
ds = pydicom.dcmread(json.loads(sys.stdin.read()))
out = {'frames': []}
def walk(node):
    for child in getattr(node, 'ContentSequence', []):
        meaning = child.ConceptNameCodeSequence[0].CodeMeaning
        if child.ValueType == 'NUM' and meaning == 'Minimum lumen diameter':
            mv = child.MeasuredValueSequence[0]
            out['mld'] = [float(mv.NumericValue), mv.MeasurementUnitsCodeSequence[0].CodeValue]
        if child.ValueType == 'SCOORD':
            sop = child.ContentSequence[0].ReferencedSOPSequence[0]
            out['frames'].append(str(sop.ReferencedFrameNumber))
        walk(child)
walk(ds)
print(json.dumps(out))
`,
    qcaSr.path,
  );
  assert.equal(read.mld[1], 'mm');
  assert.ok(Math.abs(read.mld[0] - saved.measurement.mld) < 1e-6);
  assert.ok(read.frames.length >= 3, 'contours and the MLD chord');
  for (const frame of read.frames) assert.equal(frame, String(FRAME + 1), 'on the measured frame (1-based)');

  const audit = store.db.prepare("SELECT detail FROM audit_log WHERE action = 'export.dicom.research'").get() as { detail: string };
  assert.deepEqual(JSON.parse(audit.detail).qcaMeasurements, [saved.id]);
});
