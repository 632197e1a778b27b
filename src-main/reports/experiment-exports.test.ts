// The experiment report and predictions CSV from an experiment record built for real: a quantum and a classical
// reference model scored on P-ADSD test patches; the report's full-frame evaluation from a box on the real cine and
// the quantum model's sliding-window heatmap of its frame. Checked with pdftoppm, pdftotext and pdfimages, and by
// reading back.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AnnotationService } from '../annotations/index.ts';
import { sharedDataDir } from '../app/paths.ts';
import { readImages } from '../inference/image-readouts.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { labelledPatches } from '../inference/testing/padsd.ts';
import { IngestService } from '../ingest/service.ts';
import { openStore, type Store } from '../store/database.ts';
import { quantumSummary, summariseQuantumReadouts, type QuantumRunAnalysis } from '../experiments/quantum-analysis.ts';
import type { ExperimentRecord } from './experiment.ts';
import { ReportsService } from './service.ts';
import { pdfImages, pdfText, renderPdf } from './testing/oracles.ts';

let dir: string;
let store: Store;
let ingest: IngestService;
let inference: InferenceService;
let reports: ReportsService;
let experimentPath: string;
let experiment: ExperimentRecord;
let quantumModelPath: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-experiment-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store, dataDir: dir, ingest, inference });
  const patches = labelledPatches('test', 20);
  const runs: ExperimentRecord['runs'] = [];
  let analysis: QuantumRunAnalysis | undefined;
  for (const [model, circuit] of [['SSL-Quantum', undefined], ['SSL-classical', null]] as const) {
    const fixture = await fixtureModel(7, circuit);
    const path = join(fixture.dir, 'model.angio');
    writeFileSync(path, fixture.bytes);
    if (model === 'SSL-Quantum') quantumModelPath = path;
    const runtime = await inference.model(path);
    const readouts = await readImages(runtime, patches.map((p) => p.image), patches.map((p) => p.path));
    runs.push({ model, seed: 7, threshold: runtime.manifest.threshold, predictions: readouts.map((r, i) => ({ id: patches[i]!.path.split('/').slice(-2).join('/'), label: patches[i]!.label, score: r.probability })) });
    // α is inside the fixture's exported graph; the record takes the value the run would report (here 0.1).
    if (model === 'SSL-Quantum') analysis = summariseQuantumReadouts(readouts, Int32Array.from(patches, (p) => p.label), 0.1, 7);
  }
  experiment = {
    title: 'Reference models on P-ADSD test patches',
    createdAt: new Date().toISOString(),
    runs,
    quantum: { model: 'SSL-Quantum', classicalAblation: 'SSL-classical', circuit: { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false }, contributions: analysis!.contributions, analyses: [quantumSummary(analysis!)] },
    configuration: { method: 'ssl-quantum', encoder: 'mobilenet_v2', imageSize: 64, quantum: { qubits: 4, layers: 2 }, threshold: { rule: 'youden' } },
    provenance: {
      dataset: 'P-ADSD labelled test split (first 20 patches per class)',
      source: 'Ovalle-Magallanes et al., Electronics 2022, from ADSD (Danilov et al., Sci Rep 2021, doi 10.17632/ydrm75xywg.2)',
      license: 'CC BY 4.0',
      splits: { test: patches.length },
      patientLevelSplit: false,
      notes: ['P-ADSD patches carry no patient ids: images of one patient may fall into different splits.'],
      codeVersion: 'test',
    },
  };
  experimentPath = join(dir, 'experiment.json');
  writeFileSync(experimentPath, JSON.stringify(experiment));
});

after(async () => {
  await inference?.close();
  ingest?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the experiment report renders with the comparison table, Figures 1-4, the quantum analysis, configuration and provenance', async () => {
  const folder = join(dir, 'pdf');
  mkdirSync(folder);
  const { path } = await reports.exportExperimentPdf({ experimentPath, folder, name: 'experiment', reader: null });
  const pages = renderPdf(path, join(folder, 'page'));
  assert.ok(pages.length >= 3, `${pages.length} pages`);
  const text = pdfText(path);
  for (const phrase of ['Comparison table', 'SSL-Quantum', 'SSL-classical', 'AUC', 'Sens', 'Spec', 'Figure 1.', 'Figure 2.', 'Figure 3.', 'Figure 4.', 'Quantum analysis', 'DeLong', '4 qubits, 2 layers', 'over 40 test images', 'Configuration', 'quantum.qubits', 'Data provenance', 'CC BY 4.0', 'Patient-level split', 'Research use only, not a diagnosis']) {
    assert.ok(text.replace(/\s+/g, ' ').includes(phrase), `experiment report lacks "${phrase}"`);
  }
  const flat = text.replace(/\s+/g, ' ');
  const a = experiment.quantum.analyses[0]!;
  assert.match(flat, /Learned alpha AUC AUC, quantum ablated Difference/);
  assert.ok(flat.includes(`7 0.1000 ${a.aucWithQuantum.toFixed(3)} ${a.aucQuantumAblated.toFixed(3)}`), 'the seed\'s α and AUC with and without the quantum path');
  assert.ok(flat.includes(`stenosis ${a.zPositive.map((z) => z.toFixed(3)).join(' ')}`), 'mean ⟨Z⟩ per qubit, stenosis');
  for (let page = 1; page <= pages.length; page++) assert.ok(text.includes(`Page ${page} of ${pages.length}`));
  assert.match(text, /\d\.\d{3} ± |\d\.\d{3}\s*\n?\s*\(\d\.\d{3} - \d\.\d{3}\)/, 'cells carry intervals');
  const images = pdfImages(path);
  assert.equal(images.length, 5, 'one image per figure: Figures 1-4 and the qubit expectations (Figure 6)');
  assert.match(flat, /Figure 6\. Qubit expectations on test images by class \(seed 7\)/);
  assert.equal(a.zBoxes.length, 2 * 4, 'a box per qubit and class');
  assert.ok(a.zBoxes.every((b) => b.min <= b.q1 && b.q1 <= b.median && b.median <= b.q3 && b.q3 <= b.max));
  assert.ok(images.every((i) => i.width > 300 && i.height > 150));
  assert.match(text.replace(/\s+/g, ' '), /Full-frame evaluation No full-frame evaluation has been run: score a model's heatmaps against the boxes drawn on frames on the Results screen/);
  assert.ok(!text.includes('Figure 5.'), 'no FROC figure without an evaluation');
});

test('the experiment report shows the newest full-frame evaluation: how it was scanned, the FROC figure, sensitivity at N FP per frame and each frame', { timeout: 600_000 }, async () => {
  const noProgress = { progress: () => {}, throwIfCancelled: () => {}, rejected: () => {} };
  await ingest.runImport('job-xa', { root: join(sharedDataDir(), 'dicom', 'xa'), datasetFrames: 'key' }, noProgress);
  const cine = (store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 96").get() as { id: number }).id;
  const annotations = new AnnotationService({ store, dataDir: dir });
  const box = annotations.create({ instanceId: cine, frame: 30, shape: 'box', x: 200, y: 180, width: 60, height: 40, label: 'stenosis', grade: null, reader: 'reader-a' });
  const runtime = await inference.model(quantumModelPath);
  const evaluation = await annotations.evaluateModel(
    { path: quantumModelPath, version: runtime.manifest.modelVersion },
    ({ frame, dicomPath }) => inference.heatmap({ modelPath: quantumModelPath, imagePath: dicomPath, frame }, { patchSize: 64, stride: 32 }),
    { patchSize: 64, stride: 32, hitMargin: 0, fpRates: [0.5, 1, 2, 4], instanceIds: null },
  );
  const score = evaluation.score;
  assert.deepEqual([score.frames, score.boxes, score.perFrame.length], [1, 1, 1]);

  const folder = join(dir, 'pdf-froc');
  mkdirSync(folder);
  const exported = await reports.exportExperimentPdf({ experimentPath, folder, name: 'experiment', reader: null });
  assert.equal(exported.detectionEvaluationId, evaluation.id, 'the newest kept evaluation is reported when none is named');
  const text = pdfText(exported.path);
  const flat = text.replace(/\s+/g, ' ');
  for (const phrase of ['Full-frame evaluation', `version ${runtime.manifest.modelVersion}, file model.angio`, '1 frame with 1 box (every frame with boxes)', '64 px window, stride 32 px', 'rules detection-v1', 'Figure 5. FROC', 'False positives per frame', 'Score threshold', `instance ${cine} frame 31`]) {
    assert.ok(flat.includes(phrase), `experiment report lacks "${phrase}"`);
  }
  // The table row of each rate, as the kept score has it (sensitivity, boxes hit, threshold).
  for (const r of score.atFpRates) {
    const row = `${r.fpPerFrame} ${(100 * r.sensitivity).toFixed(1)} % ${Math.round(r.sensitivity)} of 1 ${r.threshold === null ? 'no operating point' : r.threshold.toFixed(3)}`;
    assert.ok(flat.includes(row), `FROC table lacks the row "${row}"`);
  }
  const frame = score.perFrame[0]!;
  assert.ok(flat.includes(`instance ${cine} frame 31 1 ${frame.hits} ${frame.falsePositives} ${frame.bestHitScore === null ? 'missed' : frame.bestHitScore.toFixed(3)}`), 'the per-frame row');
  assert.ok(!flat.includes('Boxes were added, edited or deleted after this evaluation'));
  const images = pdfImages(exported.path);
  assert.equal(images.length, 6, 'Figures 1-4, the FROC figure (5) and the qubit expectations (6), in that order');
  const froc = images[4]!;
  assert.ok(froc.width > 600 && froc.height > 400, `FROC figure ${froc.width}x${froc.height}`);
  const pages = renderPdf(exported.path, join(folder, 'page'));
  assert.ok(text.includes(`Page ${pages.length} of ${pages.length}`));

  // Moving the box makes the kept evaluation stale: the report still shows it, and says so.
  annotations.update(box.id, { x: 210, revision: box.revision, reader: 'reader-a' });
  const stale = join(dir, 'pdf-stale');
  mkdirSync(stale);
  const again = await reports.exportExperimentPdf({ experimentPath, folder: stale, name: 'experiment', reader: null, detectionEvaluationId: evaluation.id });
  assert.ok(pdfText(again.path).replace(/\s+/g, ' ').includes('Boxes were added, edited or deleted after this evaluation'));
  await assert.rejects(reports.exportExperimentPdf({ experimentPath, folder: stale, name: 'other', reader: null, detectionEvaluationId: evaluation.id + 1 }), { code: 'evaluation-not-found' });
  assert.deepEqual(readdirSync(stale), ['experiment.pdf']);
});

test('the predictions CSV holds every run\'s predictions and labels and reads back exactly', () => {
  const folder = join(dir, 'csv');
  mkdirSync(folder);
  const { path, rows } = reports.exportPredictionsCsv({ experimentPath, folder, name: 'predictions', reader: null });
  assert.equal(rows, 80);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
  assert.equal(lines[0], 'model,seed,image_id,patient_id,label,probability,threshold,decision');
  assert.equal(lines.length, 81);
  const parsed = lines.slice(1).map((line) => line.split(','));
  experiment.runs.forEach((run, r) => run.predictions.forEach((p, i) => {
    const cells = parsed[r * 40 + i]!;
    assert.deepEqual([cells[0], Number(cells[1]), cells[2], Number(cells[4]), Number(cells[5])], [run.model, run.seed, p.id, p.label, p.score]);
    assert.equal(cells[7], p.score >= run.threshold ? 'stenosis' : 'no stenosis');
  }));
  assert.deepEqual(readdirSync(folder), ['predictions.csv']);
});

test('a malformed experiment file is refused with the reason and nothing is written', async () => {
  const folder = join(dir, 'bad');
  mkdirSync(folder);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...experiment, runs: [] }));
  await assert.rejects(reports.exportExperimentPdf({ experimentPath: bad, folder, name: 'x', reader: null }), /not an experiment record: runs/);
  assert.throws(() => reports.exportPredictionsCsv({ experimentPath: join(dir, 'missing.json'), folder, name: 'x', reader: null }), /Cannot read the experiment file/);
  assert.deepEqual(readdirSync(folder), []);
});
