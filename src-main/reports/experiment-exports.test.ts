// The experiment report and predictions CSV from an experiment record built for real: a quantum and a classical
// reference model scored on P-ADSD test patches. Checked with pdftoppm, pdftotext and pdfimages, and by reading back.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readImages } from '../inference/image-readouts.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { labelledPatches } from '../inference/testing/padsd.ts';
import { IngestService } from '../ingest/service.ts';
import { openStore, type Store } from '../store/database.ts';
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

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-experiment-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store, dataDir: dir, ingest, inference });
  const patches = labelledPatches('test', 20);
  const runs: ExperimentRecord['runs'] = [];
  let contributions: number[] = [];
  for (const [model, circuit] of [['SSL-Quantum', undefined], ['SSL-classical', null]] as const) {
    const fixture = await fixtureModel(7, circuit);
    const path = join(fixture.dir, 'model.angio');
    writeFileSync(path, fixture.bytes);
    const runtime = await inference.model(path);
    const readouts = await readImages(runtime, patches.map((p) => p.image), patches.map((p) => p.path));
    runs.push({ model, seed: 7, threshold: runtime.manifest.threshold, predictions: readouts.map((r, i) => ({ id: patches[i]!.path.split('/').slice(-2).join('/'), label: patches[i]!.label, score: r.probability })) });
    if (model === 'SSL-Quantum') contributions = readouts.map((r) => r.quantum!.contribution);
  }
  experiment = {
    title: 'Reference models on P-ADSD test patches',
    createdAt: new Date().toISOString(),
    runs,
    quantum: { model: 'SSL-Quantum', classicalAblation: 'SSL-classical', circuit: { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false }, contributions },
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
  for (let page = 1; page <= pages.length; page++) assert.ok(text.includes(`Page ${page} of ${pages.length}`));
  assert.match(text, /\d\.\d{3} ± |\d\.\d{3}\s*\n?\s*\(\d\.\d{3} - \d\.\d{3}\)/, 'cells carry intervals');
  const images = pdfImages(path);
  assert.equal(images.length, 4, 'one image per figure');
  assert.ok(images.every((i) => i.width > 300 && i.height > 150));
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
