// A data folder to export reports from, built once per crash campaign with the app's own services: the XA cine run
// imported from the shared data (vault on, so PACS-identity exports work), findings with saliency computed by the
// reference model for two of its frames, and an experiment record of two scored models to report on.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, sharedDataDir } from '../../../src-main/app/paths.ts';
import { InferenceService } from '../../../src-main/inference/inference-service.ts';
import { fixtureModel } from '../../../src-main/inference/testing/fixture-model.ts';
import { IngestService } from '../../../src-main/ingest/service.ts';
import { seededRandom } from '../../../src-main/random/seeded-random.ts';
import type { ExperimentRecord } from '../../../src-main/reports/experiment.ts';
import { ReportsService } from '../../../src-main/reports/service.ts';
import { openStore } from '../../../src-main/store/database.ts';

export interface ExportFixture {
  studyId: number;
  experimentPath: string;
  /** Files one DICOM export writes: the SR and one Secondary Capture per finding. */
  dicomSetSize: number;
}

/** Two models' scores on 60 patch ids, seeded: the exporters' input, not what the crash test judges. */
function experimentRecord(seed: number): ExperimentRecord {
  const random = seededRandom(seed);
  const predictions = () => Array.from({ length: 60 }, (_, i) => ({ id: `test/${i % 2 ? 'positive' : 'negative'}/p${i}.png`, label: (i % 2) as 0 | 1, score: Math.min(1, (i % 2) * 0.3 + random.next() * 0.7) }));
  return {
    title: 'Crash-test experiment',
    createdAt: new Date(0).toISOString(),
    runs: [{ model: 'SSL-Quantum', seed, threshold: 0.5, predictions: predictions() }, { model: 'SSL-classical', seed, threshold: 0.5, predictions: predictions() }],
    quantum: { model: 'SSL-Quantum', classicalAblation: 'SSL-classical', circuit: { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false }, contributions: [], analyses: [] },
    configuration: { method: 'ssl-quantum', encoder: 'simple_cnn' },
    provenance: { dataset: 'seeded scores', source: 'crash test', license: 'n/a', splits: { test: 60 }, patientLevelSplit: false, notes: [], codeVersion: 'test' },
  };
}

export async function prepareExportFixture(dataDir: string, workDir: string, seed = 7): Promise<ExportFixture> {
  const store = openStore(dataDir);
  const ingest = new IngestService({ store, dataDir });
  const inference = new InferenceService({ appRoot: projectRoot() });
  try {
    const noJob = { progress: () => {}, throwIfCancelled: () => {} };
    await ingest.runImport('crash-export-fixture', { root: join(sharedDataDir(), 'dicom', 'xa'), files: ['XA_cine_96f_jpeg_baseline.dcm'] }, noJob);
    const cine = store.db.prepare("SELECT i.id AS instanceId, r.study_id AS studyId, coalesce(i.key_frame, 0) AS keyFrame FROM instances i JOIN series r ON r.id = i.series_id WHERE i.kind = 'image'").get() as { instanceId: number; studyId: number; keyFrame: number };
    const model = await fixtureModel(seed);
    const modelPath = join(workDir, 'model.angio');
    writeFileSync(modelPath, model.bytes);
    const reports = new ReportsService({ store, dataDir, ingest, inference });
    const targets = [{ instanceId: cine.instanceId, frame: cine.keyFrame }, { instanceId: cine.instanceId, frame: 10 }];
    const { findings } = await reports.computeFindings({ studyId: cine.studyId, modelPath, targets, reader: 'crash-test' });
    const experimentPath = join(workDir, 'experiment.json');
    writeFileSync(experimentPath, JSON.stringify(experimentRecord(seed)));
    return { studyId: cine.studyId, experimentPath, dicomSetSize: 1 + findings.filter((f) => f.hasSaliency).length };
  } finally {
    await inference.close();
    ingest.close();
    store.close();
  }
}
