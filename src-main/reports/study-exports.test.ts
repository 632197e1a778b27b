// Study exports on real data: the XA cine run and the WG04 XA images imported through ingest (vault on), findings
// computed by a real model file, then the PDF (pdftoppm / pdftotext / pdfimages), the SR and Secondary Captures
// (dciodvfy, dsrdump, pydicom; references resolve; ingest re-imports them), both identities, and refusals.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { decodePng } from '../png/png.ts';
import { IngestService } from '../ingest/service.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { openStore, type Store } from '../store/database.ts';
import { ReportsService } from './service.ts';
import { dciodvfyErrors, dsrdump, pdfImages, pdfText, pydicomSummary, renderPdf } from './testing/oracles.ts';

const xaDir = join(sharedDataDir(), 'dicom', 'xa');
const cineFile = join(xaDir, 'XA_cine_96f_jpeg_baseline.dcm');
const noJob = { progress: () => {}, throwIfCancelled: () => {} };

let dir: string;
let store: Store;
let ingest: IngestService;
let inference: InferenceService;
let reports: ReportsService;
let modelPath: string;
let cine: { instanceId: number; studyId: number; keyFrame: number; sopInstanceUid: string; studyUid: string; pseudonym: string };
let otherStudyId: number;
let original: Record<string, string>;
let out: (name: string) => string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-reports-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  await ingest.runImport('reports-import', { root: xaDir }, noJob);
  const model = await fixtureModel(7);
  modelPath = join(model.dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store, dataDir: dir, ingest, inference });
  cine = store.db
    .prepare(
      `SELECT i.id AS instanceId, r.study_id AS studyId, i.key_frame AS keyFrame, i.sop_instance_uid AS sopInstanceUid, s.study_uid AS studyUid, p.pseudonym
       FROM instances i JOIN series r ON r.id = i.series_id JOIN studies s ON s.id = r.study_id JOIN patients p ON p.id = s.patient_id WHERE i.frames = 96`,
    )
    .get() as typeof cine;
  otherStudyId = (store.db.prepare('SELECT id FROM studies WHERE id != ? LIMIT 1').get(cine.studyId) as { id: number }).id;
  await reports.computeFindings({
    studyId: cine.studyId,
    modelPath,
    targets: [{ instanceId: cine.instanceId, frame: cine.keyFrame }, { instanceId: cine.instanceId, frame: 10 }, { instanceId: cine.instanceId, frame: 60 }],
    validation: { dir: join(sharedDataDir(), 'p-adsd', 'labeled', 'val'), perClass: 15 },
    reader: 'dr-test',
  });
  original = pydicomSummary([cineFile])[cineFile]!.attributes;
  let n = 0;
  out = (name: string) => {
    const folder = join(dir, 'exports', `${++n}-${name}`);
    mkdirSync(folder, { recursive: true });
    return folder;
  };
});

after(async () => {
  await inference?.close();
  ingest?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The identifying originals of the cine run (what must never appear in a research export). */
const IDENTIFYING = ['PatientName', 'PatientID', 'PatientBirthDate', 'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'StudyDate', 'StudyTime'];

test('findings were computed by the model for three frames of the cine run, with overlays and a model card', () => {
  const findings = reports.findings(cine.studyId);
  assert.equal(findings.length, 3);
  for (const f of findings) {
    assert.ok(f.probability > 0 && f.probability < 1, `probability ${f.probability}`);
    assert.equal(f.decision, f.probability >= f.threshold ? 'stenosis' : 'no stenosis');
    assert.equal(typeof f.quantumContribution, 'number', 'the fixture model has a quantum layer');
    assert.ok(f.hasSaliency);
  }
});

test('the de-identified study PDF renders, states every finding, the model card and the research statement, and holds the pictures', async () => {
  const folder = out('pdf');
  const result = await reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'study report', identified: false, reader: 'dr-test' });
  assert.equal(result.path, join(folder, 'study report.pdf'));
  assert.equal(result.pages, 4, 'summary page plus one page per finding');
  const pages = renderPdf(result.path, join(folder, 'page'));
  assert.equal(pages.length, 4);
  const text = pdfText(result.path);
  for (const phrase of ['Research use, not a diagnosis', 'Model card', 'Model version', 'Training data', '40 labelled images', 'ROC AUC', '95 % CI', 'Projection', 'RAO 32', 'CRA 2', 'Probability of stenosis', 'Threshold', 'Quantum contribution', 'Saliency', cine.pseudonym, cine.studyUid]) {
    assert.ok(text.includes(phrase), `PDF text lacks "${phrase}"`);
  }
  for (let page = 1; page <= 4; page++) assert.ok(text.includes(`Page ${page} of 4`), `page number ${page} missing`);
  for (const f of reports.findings(cine.studyId)) assert.ok(text.includes(`${(100 * f.probability).toFixed(1)} %`), `probability of finding ${f.id} missing`);
  for (const key of IDENTIFYING) assert.ok(!text.includes(original[key]!), `original ${key} "${original[key]}" printed in a de-identified report`);
  const images = pdfImages(result.path);
  assert.equal(images.filter((i) => i.width === 512 && i.height === 512 && i.color === 'rgb').length, 3, 'one key frame per finding');
  assert.equal(images.filter((i) => i.height === 256 && i.width < 32).length, 3, 'one colour bar per finding');
  // The rendered finding page shows the overlay's colours (red and blue), not just a grey frame.
  const png = decodePng(readFileSync(pages[1]!), 'page 2');
  let red = 0;
  let blue = 0;
  for (let i = 0; i < png.width * png.height; i++) {
    const [r, g, b] = [png.pixels[3 * i]!, png.pixels[3 * i + 1]!, png.pixels[3 * i + 2]!];
    if (r > g + 40 && r > b + 40) red++;
    if (b > r + 40 && b > g + 10) blue++;
  }
  assert.ok(red > 200 && blue > 200, `overlay colours on page 2: ${red} red, ${blue} blue pixels`);
});

test('an identified PDF needs a named reader, prints the vault originals, and is audited', async () => {
  const folder = out('pdf-identified');
  await assert.rejects(reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'identified', identified: true, reader: null }), /named reader/);
  const result = await reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'identified', identified: true, reader: 'dr-test' });
  const text = pdfText(result.path);
  assert.ok(text.includes('IDENTIFIED'));
  for (const key of ['PatientName', 'PatientID', 'StudyInstanceUID']) assert.ok(text.includes(original[key]!), `identified report lacks the original ${key}`);
  const audit = store.db.prepare("SELECT reader, object_id AS objectId FROM audit_log WHERE action = 'export.pdf.identified'").all().map((r) => ({ ...r }));
  assert.deepEqual(audit, [{ reader: 'dr-test', objectId: cine.studyUid }], 'one audit row, naming the de-identified study only');
});

test('research DICOM: SR and SCs validate, reference the de-identified instances, and carry no original identifying value', async () => {
  const folder = out('dicom-research');
  const { files } = await reports.exportStudyDicom({ studyId: cine.studyId, folder, name: 'findings', mode: 'research', reader: null });
  assert.deepEqual(files.map((f) => f.kind), ['sr', 'sc', 'sc', 'sc']);
  for (const file of files) assert.deepEqual(dciodvfyErrors(file.path), [], `dciodvfy errors in ${file.path}`);
  const sr = files[0]!.path;
  const dump = dsrdump(sr);
  assert.deepEqual(dump.problems, []);
  assert.match(dump.output, /Comprehensive SR Document/);
  assert.match(dump.output, /Model probability of stenosis/);
  assert.match(dump.output, /Algorithm Version/);

  const summaries = pydicomSummary(files.map((f) => f.path));
  const catalogUids = new Set((store.db.prepare('SELECT sop_instance_uid AS uid FROM instances').all() as { uid: string }[]).map((r) => r.uid));
  const exportedUids = new Set(files.map((f) => f.sopInstanceUid));
  const srSummary = summaries[sr]!;
  assert.equal(srSummary.attributes.SOPClassUID, '1.2.840.10008.5.1.4.1.1.88.33');
  assert.ok(srSummary.references.includes(cine.sopInstanceUid), 'the SR references the de-identified source instance');
  for (const uid of srSummary.references) assert.ok(catalogUids.has(uid) || exportedUids.has(uid), `SR reference ${uid} resolves to nothing exported or stored`);
  for (const file of files.slice(1)) assert.deepEqual(summaries[file.path]!.references, [cine.sopInstanceUid], 'each SC names its source frame');
  assert.equal(new Set(files.map((f) => summaries[f.path]!.attributes.SOPInstanceUID)).size, 4, 'distinct SOP Instance UIDs');
  for (const file of files) {
    const s = summaries[file.path]!;
    assert.equal(s.attributes.SOPInstanceUID, s.attributes.MediaStorageSOPInstanceUID, 'meta and data set agree');
    assert.equal(s.attributes.PatientID, cine.pseudonym);
    assert.equal(s.attributes.PatientName, cine.pseudonym);
    assert.equal(s.attributes.StudyInstanceUID, cine.studyUid);
    assert.equal(s.attributes.PatientIdentityRemoved, 'YES');
    for (const key of ['PatientBirthDate', 'PatientSex', 'StudyDate', 'AccessionNumber', 'ReferringPhysicianName', 'StudyID']) assert.ok(key in s.attributes, `type 2 ${key} present`);
    for (const [keyword, value] of s.values) {
      for (const key of IDENTIFYING) assert.notEqual(value, original[key], `${file.path}: ${keyword} keeps the original ${key}`);
    }
    const bytes = readFileSync(file.path).toString('latin1');
    for (const key of ['PatientName', 'PatientID', 'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID']) assert.ok(!bytes.includes(original[key]!), `${file.path} contains the original ${key}`);
  }
});

test('PACS DICOM: the objects carry the vault originals and reference the original instance; audited', async () => {
  const folder = out('dicom-pacs');
  await assert.rejects(reports.exportStudyDicom({ studyId: cine.studyId, folder, name: 'pacs', mode: 'pacs', reader: null }), /named reader/);
  const { files } = await reports.exportStudyDicom({ studyId: cine.studyId, folder, name: 'pacs', mode: 'pacs', reader: 'dr-test' });
  for (const file of files) assert.deepEqual(dciodvfyErrors(file.path), [], `dciodvfy errors in ${file.path}`);
  assert.deepEqual(dsrdump(files[0]!.path).problems, []);
  const summaries = pydicomSummary(files.map((f) => f.path));
  for (const file of files) {
    const s = summaries[file.path]!;
    for (const key of ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyInstanceUID', 'StudyDate', 'StudyTime']) {
      assert.equal(s.attributes[key], original[key], `${file.kind}: ${key} is not the original`);
    }
    assert.ok(!('PatientIdentityRemoved' in s.attributes));
  }
  assert.ok(summaries[files[0]!.path]!.references.includes(original.SOPInstanceUID!), 'the SR references the original source instance');
  assert.deepEqual(summaries[files[1]!.path]!.references, [original.SOPInstanceUID]);
  const audit = store.db.prepare("SELECT reader FROM audit_log WHERE action = 'export.dicom.pacs'").all().map((r) => ({ ...r }));
  assert.deepEqual(audit, [{ reader: 'dr-test' }]);
});

test('our own ingest re-imports the exported SR as a document and the captures as images', async () => {
  const folder = out('dicom-reimport');
  await reports.exportStudyDicom({ studyId: cine.studyId, folder, name: 'again', mode: 'research', reader: null });
  const other = mkdtempSync(join(tmpdir(), 'angio-reports-reimport-'));
  const otherStore = openStore(other);
  const otherIngest = new IngestService({ store: otherStore, dataDir: other });
  try {
    const counts = await otherIngest.runImport('reimport', { root: folder }, noJob);
    assert.equal(counts.document, 1, JSON.stringify(counts));
    assert.equal(counts.imported, 3, JSON.stringify(counts));
    assert.equal(counts.rejected, 0);
    const kinds = otherStore.db.prepare('SELECT kind, sop_class_uid AS cls FROM instances ORDER BY kind').all() as { kind: string; cls: string }[];
    assert.deepEqual(kinds.map((k) => k.kind), ['document', 'image', 'image', 'image']);
    assert.equal((otherStore.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n, 1);
  } finally {
    otherIngest.close();
    otherStore.close();
    rmSync(other, { recursive: true, force: true });
  }
});

test('a study without a prediction is refused with a clear message and nothing is written', async () => {
  const folder = out('no-prediction');
  await assert.rejects(reports.exportStudyPdf({ studyId: otherStudyId, folder, name: 'empty', identified: false, reader: null }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'report-no-prediction');
    assert.match(error.message, /no model prediction/);
    return true;
  });
  await assert.rejects(reports.exportStudyDicom({ studyId: otherStudyId, folder, name: 'empty', mode: 'research', reader: null }), /no model prediction/);
  assert.deepEqual(readdirSync(folder), []);
});

test('a finding whose frame is missing is refused before anything is written', async () => {
  const folder = out('missing-frame');
  // A frame beyond the run's 96 frames (a finding kept from a longer run that was replaced).
  const row = store.db
    .prepare(`INSERT INTO report_findings (study_id, instance_id, frame_index, probability, decision, threshold, quantum_contribution, model_version, created_at)
              SELECT study_id, instance_id, 200, probability, decision, threshold, quantum_contribution, model_version, created_at FROM report_findings WHERE study_id = ? LIMIT 1 RETURNING id`)
    .get(cine.studyId) as { id: number };
  try {
    await assert.rejects(reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'broken', identified: false, reader: null }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'report-frame-missing');
      assert.match(error.message, /Frame 200 of instance \d+ cannot be read/);
      return true;
    });
    await assert.rejects(reports.exportStudyDicom({ studyId: cine.studyId, folder, name: 'broken', mode: 'research', reader: null }), /cannot be read/);
  } finally {
    store.db.prepare('DELETE FROM report_findings WHERE id = ?').run(row.id);
  }
  // The stored copy of the run itself gone from the data folder.
  const blob = ingest.blobs.pathOf((store.db.prepare('SELECT blob_sha256 AS sha FROM instances WHERE id = ?').get(cine.instanceId) as { sha: string }).sha);
  renameSync(blob, `${blob}.away`);
  const fresh = new ReportsService({ store, dataDir: dir, ingest: new IngestService({ store, dataDir: dir }), inference });
  try {
    await assert.rejects(fresh.exportStudyDicom({ studyId: cine.studyId, folder, name: 'broken', mode: 'research', reader: null }), (error: Error & { code?: string }) => error.code === 'report-frame-missing');
  } finally {
    renameSync(`${blob}.away`, blob);
  }
  assert.deepEqual(readdirSync(folder), []);
});

test('a read-only target folder is refused with a clear message and leaves no partial file', async (t) => {
  const folder = out('read-only');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', folder], { encoding: 'utf8' });
  if (mount.status !== 0) {
    t.skip(`cannot mount a read-only tmpfs here (${mount.stderr.trim()}); the read-only case needs mount permission`);
    return;
  }
  try {
    for (const attempt of [
      () => reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'ro', identified: false, reader: null }),
      () => reports.exportStudyDicom({ studyId: cine.studyId, folder, name: 'ro', mode: 'research', reader: null }),
    ]) {
      await assert.rejects(attempt(), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'export-folder-unwritable');
        assert.match(error.message, /read-only file system\. Nothing was written/);
        return true;
      });
    }
    assert.deepEqual(readdirSync(folder), []);
  } finally {
    spawnSync('umount', [folder]);
  }
  assert.deepEqual(readdirSync(folder), [], 'nothing appeared under the mount point either');
});

test('export names that are paths are refused; existing files are never overwritten', async () => {
  const folder = out('names');
  for (const name of ['../escape', 'a/b', '/etc/passwd', '..', '.hidden', 'x\u0000y']) {
    await assert.rejects(reports.exportStudyPdf({ studyId: cine.studyId, folder, name, identified: false, reader: null }), (error: Error & { code?: string }) => error.code === 'export-name-invalid', name);
  }
  assert.ok(!existsSync(join(folder, '..', 'escape.pdf')));
  await reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'once', identified: false, reader: null });
  await assert.rejects(reports.exportStudyPdf({ studyId: cine.studyId, folder, name: 'once', identified: false, reader: null }), /already exists/);
  assert.deepEqual(readdirSync(folder), ['once.pdf']);
});

test('PACS mode is unavailable, with the reason, when the vault is off', async () => {
  const other = mkdtempSync(join(tmpdir(), 'angio-reports-novault-'));
  const otherStore = openStore(other);
  const otherIngest = new IngestService({ store: otherStore, dataDir: other });
  try {
    otherIngest.setVaultEnabled(false, 'dr-test');
    const cineOnly = join(other, 'in');
    mkdirSync(cineOnly);
    writeFileSync(join(cineOnly, 'cine.dcm'), readFileSync(cineFile));
    await otherIngest.runImport('novault', { root: cineOnly }, noJob);
    const service = new ReportsService({ store: otherStore, dataDir: other, ingest: otherIngest, inference });
    const modes = service.modes();
    assert.equal(modes.pacs.available, false);
    assert.match(modes.pacs.reason ?? '', /vault is turned off/);
    const studyId = (otherStore.db.prepare('SELECT id FROM studies').get() as { id: number }).id;
    await service.computeFindings({ studyId, modelPath, reader: null });
    const folder = join(other, 'out');
    mkdirSync(folder);
    await assert.rejects(service.exportStudyDicom({ studyId, folder, name: 'pacs', mode: 'pacs', reader: 'dr-test' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'vault-off');
      assert.match(error.message, /vault .* is turned off/);
      return true;
    });
    await assert.rejects(service.exportStudyPdf({ studyId, folder, name: 'id', identified: true, reader: 'dr-test' }), /vault/);
    assert.deepEqual(readdirSync(folder), []);
    const research = await service.exportStudyDicom({ studyId, folder, name: 'research', mode: 'research', reader: null });
    assert.equal(research.files.length, 2, 'research mode still works: the SR and one capture (key frame)');
  } finally {
    otherIngest.close();
    otherStore.close();
    rmSync(other, { recursive: true, force: true });
  }
});

test('a DICOM set cut off by kill -9 between its files is finished when the app starts again, not at the next export', { timeout: 180_000 }, async () => {
  const folder = out('killed-set');
  const child = join(projectRoot(), 'tests', 'reliability', 'crash', 'export-child.ts');
  const options = { exports: 1, killAt: 'between-files', setSize: 4 };
  const run = spawnSync(process.execPath, [child, dir, folder, String(cine.studyId), join(dir, 'none.json'), '1', JSON.stringify(options)], { encoding: 'utf8' });
  assert.equal(run.signal, 'SIGKILL', `the export child was to kill itself between files: ${run.stdout}${run.stderr}`);
  const before = readdirSync(folder);
  assert.ok(before.some((name) => name.endsWith('.export-set')), `a journal was left: ${before.join(', ')}`);
  assert.equal(before.filter((name) => !name.startsWith('.')).length, 1, `one file had been placed: ${before.join(', ')}`);

  // Start-up: the reports handlers are built over the same store, exactly as the app does on launch.
  const restarted = new ReportsService({ store, dataDir: dir, ingest, inference });
  const finished = restarted.finishInterruptedExports();
  const after = readdirSync(folder).sort();
  assert.deepEqual(after.filter((name) => name.startsWith('.')), [], `leftovers remain: ${after.join(', ')}`);
  assert.equal(finished.placed.length, after.length - 1, 'every file but the one already placed was placed at start-up');
  assert.ok(after.some((name) => name.endsWith('-SR.dcm')) && after.filter((name) => /-SC\d+\.dcm$/.test(name)).length === after.length - 1, after.join(', '));
  for (const name of after) assert.deepEqual(dciodvfyErrors(join(folder, name)), [], `${name} is whole and valid`);
  assert.deepEqual(restarted.finishInterruptedExports(), { placed: [], removed: [] }, 'a second start finds nothing to do');
});
