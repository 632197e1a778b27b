// The de-identification probe (testing/probe.ts: every attribute of PS3.15 Table E.1-1 with its own marker, private
// tags, a marker-named folder and file) pushed through every research-mode export: the study PDF (its bytes and
// pdftotext's reading), the SR and Secondary Captures, the marks SR, the boxes as CSV, JSON and VOC, the split
// export, the model files (model.pt, model.angio) of a tiny training run on that split, the predictions CSV and
// experiment PDF of a run on it, the audit log, and the app's log file (main.log, written as the shell writes it,
// through the app's handlers, with the messages that can carry a file's path). Beside it, patches whose
// file names and manifest patient ids are markers. Every byte outside the vault (data folder and export folder) is
// searched for every marker and every marker-named path fragment: none may be found.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { AnnotationService } from '../annotations/index.ts';
import { type AppContext, closeAppContext, createAppContext, openAppLog, uncaughtMessage } from '../app/index.ts';
import { composeHandlers } from '../app/handlers.ts';
import { createIpcRegistry } from '../ipc/index.ts';
import { DatasetService } from '../dataset/service.ts';
import { encodePng } from '../png/png.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { IngestService } from '../ingest/service.ts';
import type { ExperimentRecord } from '../reports/experiment.ts';
import { ReportsService } from '../reports/service.ts';
import { pdfText } from '../reports/testing/oracles.ts';
import type { Store } from '../store/database.ts';
import { executeRun } from '../training/run-job.ts';
import { SMALL_RUN_CONFIG } from '../training/testing/small-run.ts';
import { standardTablePath } from './generate-profile.ts';
import { buildProbe, markersIn, PATH_MARKERS, type ProbeMarker, type TableRow } from './testing/probe.ts';

const table = JSON.parse(readFileSync(standardTablePath(), 'utf8')) as TableRow[];
const noJob = { progress: () => {}, throwIfCancelled: () => {} };
/** Patch files and manifest patient ids that name patients, as real-world folders do: one patient per part. */
const PARTS = ['train', 'train', 'train', 'train', 'train', 'train', 'val', 'val', 'val', 'val', 'test', 'test', 'test', 'test'] as const;
const PATCH_MARKERS = {
  names: PARTS.map((_, i) => (i === 0 ? 'MRKPATCH00Z Doe^Jane.png' : `MRKPATCH${String(i).padStart(2, '0')}Z.png`)),
  patients: { train: 'MRKPATIENTTRAINZ', val: 'MRKPATIENTVALZ', test: 'MRKPATIENTTESTZ' },
};
const EXPORT_FOLDER = 'MRKEXPORTDIRZ Doe^Jane';

let dir: string;
let probeRoot: string;
let dataDir: string;
let exportDir: string;
let ctx: AppContext;
let logFile: string;
let store: Store;
let ingest: IngestService;
let inference: InferenceService;
let reports: ReportsService;
let probe: { path: string; markers: ProbeMarker[] };
/** pdftotext's reading of the study PDF, searched as text beside the files' bytes. */
let pdfReading: string;

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[]).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

const needle = (marker: ProbeMarker): string => (/^[0-9a-f]+$/.test(marker.value) && ['OB', 'OW', 'UN'].includes(marker.vr) ? Buffer.from(marker.value, 'hex').toString('latin1').trim() : marker.value);
const days = (da: string): number => Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8))) / 86_400_000;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-probe-exports-'));
  probeRoot = join(dir, 'MRKROOTPATHZ');
  probe = buildProbe(table, probeRoot, 'explicit');
  const patches = join(probeRoot, PATH_MARKERS.folder, 'labeled');
  const manifest = ['path,patient_id,label,split'];
  PATCH_MARKERS.names.forEach((name, i) => {
    const split = PARTS[i] as (typeof PARTS)[number];
    const label = i % 2 === 0 ? 'positive' : 'negative';
    mkdirSync(join(patches, split, label), { recursive: true });
    writeFileSync(join(patches, split, label, name), encodePng(64, 64, 1, Uint8Array.from({ length: 64 * 64 }, (_, p) => (p * (i + 5) + (label === 'positive' ? 90 : 0)) % 251)));
    manifest.push(`${PATH_MARKERS.folder}/labeled/${split}/${label}/${name},${PATCH_MARKERS.patients[split]},${label},${split}`);
  });
  writeFileSync(join(probeRoot, 'manifest.csv'), `${manifest.join('\n')}\n`);
  dataDir = join(dir, 'data');
  exportDir = join(dir, 'exports', EXPORT_FOLDER);
  mkdirSync(exportDir, { recursive: true });
  // The app's context and log as the Electron shell builds them, on this data folder.
  const appLog = openAppLog({ dir: join(dataDir, 'logs'), ownFolders: [dataDir, process.cwd()] });
  logFile = appLog.file;
  ctx = createAppContext({ appRoot: process.cwd(), dataDir, sharedDataDir: join(dir, 'shared'), host: 'harness', log: appLog.log });
  store = ctx.store;
  ingest = new IngestService({ store, dataDir, bus: ctx.bus, jobs: ctx.jobs });
  const counts = await ingest.runImport('probe-job', { root: probeRoot }, noJob);
  assert.equal(counts.imported, 1 + PATCH_MARKERS.names.length, JSON.stringify(ingest.importLog('probe-job', null)));
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store, dataDir, ingest, inference });
});

after(async () => {
  await inference?.close();
  ingest?.close();
  if (ctx) await closeAppContext(ctx);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the probe goes through every research-mode export form', async () => {
  const instance = store.db.prepare("SELECT i.id, r.study_id AS studyId FROM instances i JOIN series r ON r.id = i.series_id WHERE i.kind = 'image'").get() as { id: number; studyId: number };
  const model = await fixtureModel(7);
  const modelPath = join(model.dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  await reports.computeFindings({ studyId: instance.studyId, modelPath, targets: [{ instanceId: instance.id, frame: 0 }], reader: 'dr-probe' });
  rmSync(model.dir, { recursive: true, force: true });

  const pdf = await reports.exportStudyPdf({ studyId: instance.studyId, folder: exportDir, name: 'study', identified: false, reader: 'dr-probe' });
  pdfReading = pdfText(pdf.path);
  assert.ok(pdfReading.length > 0, 'pdftotext reads the study PDF');
  const dicom = await reports.exportStudyDicom({ studyId: instance.studyId, folder: exportDir, name: 'findings', mode: 'research', reader: null });
  assert.ok(dicom.files.some((f) => f.kind === 'sr'), 'an SR is written');

  const annotations = new AnnotationService({ store, dataDir });
  annotations.create({ instanceId: instance.id, frame: 0, shape: 'box', x: 2, y: 2, width: 6, height: 6, label: 'stenosis', grade: null, reader: 'dr-probe' });
  reports.exportStudyMarks({ studyId: instance.studyId, folder: exportDir, name: 'marks', mode: 'research', reader: null });
  for (const format of ['csv', 'json', 'voc'] as const) {
    for (const file of annotations.exportBoxes(format, { instanceIds: [instance.id] }, 'dr-probe').files) writeFileSync(join(exportDir, `${format}-${file.name}`), file.text);
  }

  const dataset = new DatasetService({ store, dataDir });
  const { split } = dataset.importSplit({ name: 'probe split', readerId: null });
  dataset.lockSplit(split.id, null);
  const exported = dataset.trainingSource(split.id);
  // The run a training on this split would record: its test images as the split export names them, by patient pseudonym.
  const testImages = filesUnder(join(exported.labeledRoot, 'test'));
  assert.ok(testImages.length > 0, 'the split export has test images');
  const pseudonym = (store.db.prepare('SELECT pseudonym FROM patients WHERE pseudonym IS NOT NULL LIMIT 1').get() as { pseudonym: string }).pseudonym;
  const experiment: ExperimentRecord = {
    title: 'probe run', createdAt: new Date().toISOString(),
    runs: [{ model: 'probe', seed: 1, threshold: 0.5, predictions: testImages.map((path, i) => ({ id: relative(exported.labeledRoot, path), label: (i % 2) as 0 | 1, score: 0.25 + i * 0.1, patientId: pseudonym })) }],
    quantum: { model: 'probe', classicalAblation: null, circuit: { qubits: 2, layers: 1, rotation: 'ry', entangler: 'cnot', reupload: false }, contributions: [], analyses: [] },
    configuration: {}, provenance: { dataset: 'probe split', source: 'this library', license: 'test', splits: { test: testImages.length }, patientLevelSplit: true, notes: [], codeVersion: 'test' },
  };
  reports.exportPredictionsCsv({ experiment, folder: exportDir, name: 'predictions', reader: null });
  // A tiny training run on the split writes model.pt and model.angio (with its run record) into the data folder.
  const run = await executeRun(
    { runDir: join(dataDir, 'runs', 'probe'), config: { ...SMALL_RUN_CONFIG, batchSize: 4 }, source: { labeledRoot: exported.labeledRoot, unlabeledDir: null }, resume: false },
    new AbortController().signal,
    () => {},
  );
  assert.equal(run.status, 'completed', JSON.stringify(run));
  assert.ok(run.files.model && run.files.inferenceModel, 'model.pt and model.angio are written');
  await reports.exportExperimentPdf({ experiment, folder: exportDir, name: 'experiment', reader: null });
  assert.ok(readdirSync(exportDir).length >= 8, `exports: ${readdirSync(exportDir).join(', ')}`);
});

test('the app writes its log through its handlers, including the records that can name a file', () => {
  const registry = createIpcRegistry(composeHandlers(ctx));
  // The renderer reports a failure naming the file the user picked; a file error's stack names the missing file.
  const sent = registry.send('renderer.log', { level: 'error', message: `could not open ${probe.path}` }, { host: 'harness', origin: 'http://127.0.0.1' });
  assert.ok(sent.ok, JSON.stringify(sent));
  try {
    readFileSync(join(probeRoot, PATH_MARKERS.folder, 'gone.dcm'));
    assert.fail('the file does not exist');
  } catch (error) {
    ctx.log('error', uncaughtMessage('uncaught', error));
  }
  const written = readFileSync(logFile, 'utf8');
  assert.match(written, /ERROR renderer: could not open <path>/);
  assert.match(written, /ERROR uncaught: Error: ENOENT: no such file or directory, open '<path>'/);
});

test('no marker, and no marker-named folder or file, survives in any byte outside the vault or in the PDF\'s text', () => {
  store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const haystack = [...filesUnder(dataDir).filter((file) => !relative(dataDir, file).startsWith('vault')), ...filesUnder(exportDir)]
    .map((file) => ({ file: relative(dir, file), text: readFileSync(file).toString('latin1') }));
  haystack.push({ file: 'pdftotext of the study PDF', text: pdfReading });
  assert.ok(haystack.some((h) => h.file.endsWith('catalog.sqlite')), 'the catalog and its audit log are searched');
  assert.ok(haystack.some((h) => h.file.includes('splits')), 'the split export is searched');
  assert.ok(haystack.some((h) => h.file.endsWith('main.log')), 'the app\'s log file is searched');
  assert.ok(haystack.some((h) => h.file.endsWith('model.angio')) && haystack.some((h) => h.file.endsWith('model.pt')), 'the model files are searched');
  // Dates are shifted per patient: a shifted probe date that lands on another row's marker date is no leak.
  const storedCopy = ingest.blobs.pathOf((store.db.prepare("SELECT blob_sha256 AS sha FROM instances WHERE kind = 'image'").get() as { sha: string }).sha);
  const { top } = markersIn(storedCopy, []);
  const originalStudyDate = probe.markers.find((m) => m.tag === '00080020')?.value ?? '';
  const shift = days(originalStudyDate) - days(top['00080020'] ?? originalStudyDate);
  const shiftedDates = new Set(probe.markers.filter((m) => m.vr === 'DA' || m.vr === 'DT').map((m) => days(m.value) - shift));
  const needles = [
    ...probe.markers.filter((m) => m.searchable && !(m.vr === 'DA' && shiftedDates.has(days(m.value)))).map((m) => ({ what: `${m.name} (${m.tag})`, text: needle(m) })),
    ...[basename(probeRoot), PATH_MARKERS.folder, PATH_MARKERS.file.replace(/\.dcm$/, ''), ...PATCH_MARKERS.names.map((n) => n.replace(/\.png$/, '')), ...Object.values(PATCH_MARKERS.patients), EXPORT_FOLDER, 'Doe^Jane']
      .map((text) => ({ what: 'path or manifest', text })),
  ];
  const found = needles.flatMap(({ what, text }) => haystack.filter((h) => h.text.includes(text)).map((h) => `${what} "${text}" in ${h.file}`));
  assert.deepEqual(found, []);
});

test('the export rows of the audit log name the export folder by a pseudonymous id that the vault resolves', () => {
  const folders = (store.db.prepare("SELECT DISTINCT json_extract(detail, '$.folder') AS folder FROM audit_log WHERE action LIKE 'export.%' AND json_extract(detail, '$.folder') IS NOT NULL").all() as { folder: string }[]).map((r) => r.folder);
  assert.equal(folders.length, 1);
  assert.match(folders[0] as string, /^source-[0-9a-f]{12}$/);
  assert.equal(ingest.sourcePathOf(folders[0] as string), exportDir);
});
