// Runs an experiment: every model × seed trained on the same data and scored on the same test split, then the
// comparison (metrics with CIs, paired AUC tests against SSL-Quantum), the figures and the report written to
// one output folder. Training runs one at a time: each already uses both cores.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../ipc/app-error.ts';
import { sessionSpecFor, type EngineAddon } from '../training/engine.ts';
import { runTraining, type TrainingData, type TrainingProgress } from '../training/driver.ts';
import { preprocessingSpec } from '../training/preprocessing.ts';
import { loadTrainingData } from '../training/training-data.ts';
import type { TrainingConfig } from '../training/config.ts';
import type { ExperimentConfig } from './config.ts';
import { preflight, type DatasetCounts } from './preflight.ts';
import { planRuns, type PlannedRun } from './run-plan.ts';

export interface ScoredRun {
  model: string;
  label: string;
  seed: number;
  threshold: number;
  valAuc: number;
  testAuc: number;
  seconds: number;
  runDir: string;
  predictions: { id: string; label: 0 | 1; score: number }[];
}

export interface ExperimentProgress {
  run: number;
  runs: number;
  model: string;
  seed: number;
  training?: TrainingProgress;
}

export interface ExperimentRunOptions {
  engine: EngineAddon;
  /** Test image ids are paths below <labeledRoot>/test (e.g. positive/0017.png): file names alone repeat across classes. */
  labeledRoot: string;
  outputDir: string;
  signal?: AbortSignal;
  onProgress?: (progress: ExperimentProgress) => void;
}

/** Loaded image sets, shared by runs with the same image size and pretraining pool. */
function dataCache(config: ExperimentConfig): (training: TrainingConfig) => TrainingData {
  const cache = new Map<string, TrainingData>();
  return (training) => {
    const pretraining = training.method !== 'supervised' && training.pretrain.epochs > 0;
    const key = `${training.imageSize}:${pretraining ? training.pretrain.unlabeledLimit : 'none'}`;
    let data = cache.get(key);
    if (!data) {
      data = loadTrainingData({ labeledRoot: config.dataset.labeledRoot, unlabeledDir: config.dataset.unlabeledDir }, training, preprocessingSpec(training.imageSize));
      cache.set(key, data);
    }
    return pretraining || !data.pretrain ? data : { ...data, pretrain: null };
  };
}

/** The test split scored by the run's exported (best-on-validation) model. */
async function scoreTestSet(engine: EngineAddon, training: TrainingConfig, modelPath: string, data: TrainingData): Promise<Float32Array> {
  const session = new engine.TrainingSession(sessionSpecFor(training, preprocessingSpec(training.imageSize)));
  await session.importModel(modelPath);
  session.setImages('test', data.test.pixels, data.test.labels, training.imageSize);
  return session.predict('test');
}

async function trainAndScore(planned: PlannedRun, data: TrainingData, options: ExperimentRunOptions, onProgress: (p: TrainingProgress) => void): Promise<ScoredRun> {
  const runDir = join(options.outputDir, 'runs', `${planned.model}-seed${planned.seed}`);
  const started = performance.now();
  const result = await runTraining({
    engine: options.engine,
    runDir,
    config: planned.config,
    preprocessing: preprocessingSpec(planned.config.imageSize),
    data,
    resume: true,
    signal: options.signal,
    onProgress,
    progressIntervalMs: 1000,
  });
  if (result.status !== 'completed' || !result.metrics || !result.files.model) {
    throw new AppError('experiment-cancelled', `The experiment was cancelled during ${planned.label} (seed ${planned.seed}); run it again to resume from the last checkpoint.`);
  }
  const scores = await scoreTestSet(options.engine, planned.config, result.files.model, data);
  const labels = data.test.labels!;
  return {
    model: planned.model,
    label: planned.label,
    seed: planned.seed,
    threshold: result.metrics.threshold.threshold,
    valAuc: result.metrics.valAuc,
    testAuc: result.metrics.testAuc,
    seconds: (performance.now() - started) / 1000,
    runDir,
    predictions: data.test.files.map((file, i) => ({ id: relative(join(options.labeledRoot, 'test'), file), label: labels[i] === 1 ? 1 : 0, score: Math.min(1, Math.max(0, scores[i]!)) })),
  };
}

export async function trainExperiment(config: ExperimentConfig, options: ExperimentRunOptions): Promise<{ counts: DatasetCounts; runs: ScoredRun[] }> {
  const counts = preflight(config);
  const plan = planRuns(config);
  mkdirSync(options.outputDir, { recursive: true });
  const dataFor = dataCache(config);
  const runs: ScoredRun[] = [];
  for (const [index, planned] of plan.entries()) {
    const base = { run: index + 1, runs: plan.length, model: planned.label, seed: planned.seed };
    options.onProgress?.(base);
    const scored = await trainAndScore(planned, dataFor(planned.config), options, (training) => options.onProgress?.({ ...base, training }));
    runs.push(scored);
    // Each finished run is kept on disk, so an interrupted experiment loses at most the run in progress.
    writeJsonAtomically(join(scored.runDir, 'scored.json'), scored);
  }
  return { counts, runs };
}

export function writeJsonAtomically(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}
