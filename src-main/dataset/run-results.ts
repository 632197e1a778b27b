// The Results screen's data: each finished run's per-image test predictions (its model on its own test split,
// cached beside the catalog), the comparison table over the runs that share a test set (means, seed SDs and
// bootstrap intervals from evaluation/), Figures 1–4 drawn by Vega from that table, Fig. 7 (reliability) and Fig. 8
// with its table (test AUC under synthetic shifts) where a run has them, and the per-class results of the runs
// trained on a graded class list (graded-results.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildComparisonTable, type ComparisonTable, type ModelSeedRun, PUBLISHED_RESULTS, runCalibrationSummary, SCALAR_METRICS, type ScalarMetric, toScoredLabels } from '../evaluation/index.ts';
import { reliabilityDiagramSpec, renderReportFigures, renderVegaLite, type ReportFigure } from '../evaluation/figures/index.ts';
import { decodeModelFile } from '../inference/index.ts';
import { savedShiftResults, shiftRobustnessFigure, shiftTableRows, type ShiftTableRow } from '../model-evaluation/index.ts';
import { AppError } from '../ipc/index.ts';
import type { Store } from '../store/index.ts';
import { listRuns, loadLabeledSplit, type RunRecord, type TrainingConfig } from '../training/index.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { gradedResults, nullIfNaN, type GradedRunResult } from './graded-results.ts';
import { finishedRun, runThreshold, scorePixels } from './model-scores.ts';

export interface TestPrediction {
  /** Content hash of the image: the same image has the same id in every run on this test set. */
  id: string;
  itemId: number | null;
  file: string;
  label: 0 | 1;
  score: number;
}

export interface RunPredictions {
  runId: string;
  model: string;
  seed: number;
  threshold: number;
  testSet: string;
  predictions: TestPrediction[];
}

export const modelName = (run: Pick<RunRecord, 'method' | 'encoder'>): string => `${run.method} · ${run.encoder}`;

const predictionsFile = (dataDir: string, runId: string) => join(dataDir, 'results', `${runId}.predictions.json`);

export async function runPredictions(store: Store, dataDir: string, runId: string): Promise<RunPredictions> {
  const run = finishedRun(store, runId);
  const cache = predictionsFile(dataDir, runId);
  if (existsSync(cache)) return withLibraryItems(store, JSON.parse(readFileSync(cache, 'utf8')) as RunPredictions);
  const config = run.config as TrainingConfig;
  const test = loadLabeledSplit(run.dataset.labeledRoot, 'test', preprocessingSpec(config.imageSize, config.input));
  const scores = await scorePixels(run, test.pixels, test.count);
  const itemBySha = store.db.prepare('SELECT id FROM dataset_items WHERE source_sha256 = ? OR blob_sha256 = ? LIMIT 1');
  const predictions = test.files.map((file, i): TestPrediction => {
    const id = createHash('sha256').update(readFileSync(file)).digest('hex');
    const item = itemBySha.get(id, id) as { id: number } | undefined;
    return { id, itemId: item?.id ?? null, file: basename(file), label: test.labels![i] as 0 | 1, score: scores[i]! };
  });
  const result: RunPredictions = { runId, model: modelName(run), seed: run.seed, threshold: runThreshold(run), testSet: run.dataset.labeledRoot, predictions };
  mkdirSync(join(dataDir, 'results'), { recursive: true });
  writeFileSync(`${cache}.tmp`, JSON.stringify(result));
  renameSync(`${cache}.tmp`, cache);
  // The scores also feed the curation screen's prediction filter.
  store.transaction(() => {
    const upsert = store.db.prepare('INSERT INTO item_scores (run_id, item_id, score, scored_at) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, item_id) DO UPDATE SET score = excluded.score');
    const at = new Date().toISOString();
    for (const p of predictions) if (p.itemId !== null) upsert.run(runId, p.itemId, p.score, at);
  });
  return result;
}

/** Images imported into the library after the predictions were cached get their item now, so the row opens it. */
function withLibraryItems(store: Store, cached: RunPredictions): RunPredictions {
  const itemBySha = store.db.prepare('SELECT id FROM dataset_items WHERE source_sha256 = ? OR blob_sha256 = ? LIMIT 1');
  for (const p of cached.predictions) if (p.itemId === null) p.itemId = (itemBySha.get(p.id, p.id) as { id: number } | undefined)?.id ?? null;
  return cached;
}

/** The file of one of a run's test images, found by its content hash among that run's own test split (nothing
 * outside it is served): how a folder-trained run's rows open in the viewer when the image is not in the library. */
export async function runTestImageFile(store: Store, dataDir: string, runId: string, imageId: string): Promise<string> {
  const { predictions, testSet } = await runPredictions(store, dataDir, runId);
  const prediction = predictions.find((p) => p.id === imageId);
  const notFound = () => new AppError('test-image-not-found', `That image is not in run ${runId}'s test split any more. Open Results again to refresh the list.`);
  if (!prediction) throw notFound();
  const testDir = join(testSet, 'test');
  const entries = existsSync(testDir) ? (readdirSync(testDir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[]) : [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name !== prediction.file) continue;
    const file = join(entry.parentPath, entry.name);
    if (createHash('sha256').update(readFileSync(file)).digest('hex') === imageId) return file;
  }
  throw notFound();
}

export interface ComparisonRow {
  model: string;
  seeds: number[];
  runIds: string[];
  metrics: Record<ScalarMetric, { mean: number; sd: number | null; low: number; high: number }>;
  confusion: { truePositives: number; falseNegatives: number; falsePositives: number; trueNegatives: number };
}

export interface ResultsOverview {
  testSet: string | null;
  images: number;
  positives: number;
  runs: { runId: string; model: string; seed: number; createdAt: string }[];
  rows: ComparisonRow[];
  metricLabels: { key: ScalarMetric; label: string; short: string }[];
  figures: Partial<Record<ReportFigure | typeof RELIABILITY_FIGURE | typeof SHIFT_FIGURE, string>>;
  /** Finished runs on other test sets (not comparable with these). */
  otherRuns: number;
  /** The compared runs trained on a graded class list, in the order of `runs`. */
  graded: GradedRunResult[];
  /** Test AUC under synthetic shifts for the first compared run that has them (its Fig. 8 is in `figures`). */
  shiftRobustness: RunShiftRobustness | null;
  /** When no compared run has them: the command that measures them for the newest run. */
  shiftCommand: string | null;
}

export interface RunShiftRobustness {
  runId: string;
  model: string;
  seed: number;
  images: number;
  positives: number;
  replicates: number;
  rows: ShiftTableRow[];
}


export const RELIABILITY_FIGURE = 'fig7-reliability';

/** The temperature a run's model file (model.angio) stores, when it has one. */
function storedCalibration(run: Pick<RunRecord, 'files'>) {
  const path = run.files?.inferenceModel;
  if (!path || !existsSync(path)) return null;
  try {
    return decodeModelFile(readFileSync(path), path).manifest.calibration ?? null;
  } catch {
    return null;
  }
}

/** Fig. 7 for the first compared run whose model file is calibrated: its test reliability before and after T. */
export async function reliabilityFigure(runs: readonly Pick<RunRecord, 'files'>[], scored: readonly RunPredictions[]): Promise<string | null> {
  for (const [i, run] of runs.entries()) {
    const calibration = storedCalibration(run);
    if (!calibration) continue;
    const own = scored[i]!;
    const summary = runCalibrationSummary(toScoredLabels(own.predictions), calibration, own.threshold);
    const spec = reliabilityDiagramSpec(
      [{ label: 'as trained', reliability: summary.before }, { label: `temperature ${summary.temperature.toFixed(3)}`, reliability: summary.after }],
      `Fig. 7. Reliability on the test set, ${own.model} seed ${own.seed}`,
    );
    return (await renderVegaLite(spec, 'screen')).svg;
  }
  return null;
}

export const SHIFT_FIGURE = 'fig8-shift-robustness';

type ShiftedRun = Pick<RunRecord, 'id' | 'seed' | 'files' | 'method' | 'encoder'>;

/** The first compared run whose model file has shift results on this test set beside it: its table rows (as the
 * experiment PDF tables them) and Fig. 8; else the command line that measures them for the first run. */
export async function runShiftRobustness(runs: readonly ShiftedRun[], testSet: string): Promise<{ result: RunShiftRobustness | null; svg: string | null; command: string | null }> {
  for (const run of runs) {
    const modelPath = run.files?.inferenceModel;
    const saved = modelPath && existsSync(modelPath) ? savedShiftResults(modelPath, testSet) : null;
    if (!saved) continue;
    const model = modelName(run);
    const svg = (await renderVegaLite(shiftRobustnessFigure(`${model} seed ${run.seed}`, saved), 'screen')).svg;
    const result = { runId: run.id, model, seed: run.seed, images: saved.images, positives: saved.positives, replicates: saved.replicates, rows: shiftTableRows(saved) };
    return { result, svg, command: null };
  }
  const first = runs.find((r) => r.files?.inferenceModel)?.files?.inferenceModel ?? '<run folder>/model.angio';
  return { result: null, svg: null, command: `npx angio evaluate-shifts --model ${shellWord(first)} --data ${shellWord(testSet)} --save` };
}

const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** Compares the finished runs that share a test set with `runId` (default: the newest finished run). One run per
 * model and seed: the newest wins. */
export async function resultsOverview(store: Store, dataDir: string, runId?: string): Promise<ResultsOverview> {
  const finished = listRuns(store).filter((r) => r.status === 'succeeded' && r.files?.model);
  const metricLabels = SCALAR_METRICS.map((m) => ({ key: m.key, label: m.label, short: m.short }));
  if (finished.length === 0) return { testSet: null, images: 0, positives: 0, runs: [], rows: [], metricLabels, figures: {}, otherRuns: 0, graded: [], shiftRobustness: null, shiftCommand: null };
  const anchor = runId ? finished.find((r) => r.id === runId) : finished[0];
  if (!anchor) throw new AppError('run-not-finished', `Run ${runId} has not finished: results need a finished run.`);
  const testSet = anchor.dataset.labeledRoot;
  const seen = new Set<string>();
  const chosen = finished.filter((r) => {
    const key = `${modelName(r)}|${r.seed}`;
    if (r.dataset.labeledRoot !== testSet || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const scored = [];
  for (const run of chosen) scored.push(await runPredictions(store, dataDir, run.id));
  const seedRuns: ModelSeedRun[] = scored.map((s) => ({ model: s.model, seed: s.seed, threshold: s.threshold, predictions: s.predictions.map((p) => ({ id: p.id, label: p.label, score: p.score })) }));
  const table: ComparisonTable = buildComparisonTable(seedRuns, { bootstrap: { replicates: 1000 } });
  const rendered = await renderReportFigures(table, PUBLISHED_RESULTS, 'screen');
  const figures = Object.fromEntries(Object.entries(rendered).map(([name, figure]) => [name, figure.svg])) as ResultsOverview['figures'];
  const reliabilitySvg = await reliabilityFigure(chosen, scored);
  if (reliabilitySvg) figures[RELIABILITY_FIGURE] = reliabilitySvg;
  const shifts = await runShiftRobustness(chosen, testSet);
  if (shifts.svg) figures[SHIFT_FIGURE] = shifts.svg;
  const graded = await gradedResults(chosen.map((r) => ({ runId: r.id, model: modelName(r), seed: r.seed, metrics: r.metrics })));
  return {
    testSet,
    images: table.images,
    positives: table.positives,
    runs: chosen.map((r) => ({ runId: r.id, model: modelName(r), seed: r.seed, createdAt: r.createdAt })),
    rows: table.models.map((m) => ({
      model: m.model,
      seeds: m.seeds,
      runIds: chosen.filter((r) => modelName(r) === m.model).map((r) => r.id),
      metrics: Object.fromEntries(SCALAR_METRICS.map(({ key }) => [key, { mean: m.metrics[key].mean, sd: nullIfNaN(m.metrics[key].sd), low: m.metrics[key].interval.low, high: m.metrics[key].interval.high }])) as ComparisonRow['metrics'],
      confusion: m.representative.evaluation.confusionMatrix,
    })),
    metricLabels,
    figures,
    otherRuns: finished.filter((r) => r.dataset.labeledRoot !== testSet).length,
    graded,
    shiftRobustness: shifts.result,
    shiftCommand: shifts.command,
  };
}
