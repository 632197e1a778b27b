// Runs an experiment: every model × seed trained on the same data and scored on the same test split, then the
// comparison (metrics with CIs, paired AUC tests against SSL-Quantum), the figures and the report written to
// one output folder. SimCLR pretraining runs once per distinct pretraining setting and every SSL model and seed
// fine-tunes that encoder (so SSL-Quantum and SSL without it differ only in their heads). Training runs one at a
// time: each already uses both cores.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { ClassifierRuntime, decodeModelFile, type ModelCalibration } from '../inference/index.ts';
import { readLabelledSplit, shiftRobustness, type ShiftRobustness } from '../model-evaluation/index.ts';
import { projectRoot } from '../app/index.ts';
import { describeMachine, type DriverOptions, type EngineAddon, INFERENCE_MODEL_FILE, loadTrainingData, type MachineProfile, pinCpuKernels, runTraining, sessionSpecFor, type TrainingConfig, type TrainingData, type TrainingProgress } from '../training/index.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import type { ExperimentConfig } from './config.ts';
import { preflight, type DatasetCounts } from './preflight.ts';
import { analyseQuantumRun, type QuantumRunAnalysis } from './quantum-analysis.ts';
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
  /** SSL-Quantum runs: what the quantum layer does on the test split (quantum-analysis.ts). */
  quantum?: QuantumRunAnalysis;
  /** The machine that trained it (absent from runs scored before machines were recorded). */
  machine?: MachineProfile;
  /** Temperature scaling its model file carries (fitted on validation); absent for files written without one. */
  calibration?: ModelCalibration;
  /** Test AUC under each synthetic acquisition shift, when the experiment asks for it (`shiftRobustness`). */
  shifts?: ShiftRobustness;
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
function dataCache(config: ExperimentConfig): (training: TrainingConfig, withPool: boolean) => TrainingData {
  const cache = new Map<string, TrainingData>();
  return (training, withPool) => {
    const pretraining = withPool && training.method !== 'supervised' && training.pretrain.epochs > 0;
    const key = `${training.imageSize}:${JSON.stringify(training.input ?? {})}:${pretraining ? training.pretrain.unlabeledLimit : 'none'}`;
    let data = cache.get(key);
    if (!data) {
      const loadAs = pretraining ? training : { ...training, method: 'supervised' as const };
      data = loadTrainingData({ labeledRoot: config.dataset.labeledRoot, unlabeledDir: config.dataset.unlabeledDir }, loadAs, preprocessingSpec(training.imageSize, training.input));
      cache.set(key, data);
    }
    return pretraining || !data.pretrain ? data : { ...data, pretrain: null };
  };
}

/** Semi-supervised fine-tuning learns from the pretraining pool, so its runs keep it after pretraining. */
function usesUnlabeledPool(training: TrainingConfig): boolean {
  return training.finetune.unlabeledConsistency !== undefined;
}

/** What a SimCLR encoder depends on: runs that agree on it share one pretraining (the seed of the first of them). */
function pretrainingKey(training: TrainingConfig): string | null {
  if (training.method === 'supervised' || training.pretrain.epochs <= 0) return null;
  const { encoder, imageSize, batchSize, pretrain, augment, threads, deterministic, input } = training;
  // `input` joins the key only when set, so encoders pretrained before the option keep their folders.
  const key = JSON.stringify({ encoder, imageSize, batchSize, pretrain, augment, threads, deterministic, ...(input ? { input } : {}) });
  return createHash('sha256').update(key).digest('hex').slice(0, 10);
}

/** Pretrains once per distinct pretraining setting, so every SSL model and seed fine-tunes the same encoder. */
/** What every run of an experiment shares: resumable, the experiment's engine and signal, progress once a second, and
 * the app's model file (model.angio) beside model.pt, so every trained run opens in the Viewer and the CLI. */
function experimentRunOptions(planned: PlannedRun, runDir: string, data: TrainingData, options: ExperimentRunOptions, onProgress: (p: TrainingProgress) => void): DriverOptions {
  return {
    engine: options.engine, runDir, config: planned.config, preprocessing: preprocessingSpec(planned.config.imageSize, planned.config.input), data,
    resume: true, signal: options.signal, onProgress, progressIntervalMs: 1000, exportForInference: true,
  };
}

/** The self-supervised objective's name, as the progress line and messages say it. */
function pretrainingName(training: TrainingConfig): string {
  return training.pretrain.objective === 'byol' ? 'BYOL pretraining' : 'SimCLR pretraining';
}

async function pretrainOnce(planned: PlannedRun, key: string, data: TrainingData, options: ExperimentRunOptions, onProgress: (p: TrainingProgress) => void): Promise<string> {
  const runDir = join(options.outputDir, 'runs', `pretrain-${key}`);
  const result = await runTraining({ ...experimentRunOptions(planned, runDir, data, options, onProgress), stages: 'pretrain-only' });
  if (result.status !== 'completed' || !result.files.model) {
    throw new AppError('experiment-cancelled', `The experiment was cancelled during ${pretrainingName(planned.config)}; run it again to resume from the last checkpoint.`);
  }
  return result.files.model;
}

/** The test split scored by the run's exported (best-on-validation) model. */
async function scoreTestSet(engine: EngineAddon, training: TrainingConfig, modelPath: string, data: TrainingData): Promise<Float32Array> {
  const session = new engine.TrainingSession(sessionSpecFor(training, preprocessingSpec(training.imageSize, training.input)));
  await session.importModel(modelPath);
  session.setImages('test', data.test.pixels, data.test.labels, training.imageSize);
  return session.predict('test');
}

/** The calibration the run's model file stores, to report beside its uncalibrated test scores. */
function calibrationOf(runDir: string): { calibration?: ModelCalibration } {
  const path = join(runDir, INFERENCE_MODEL_FILE);
  if (!existsSync(path)) return {};
  const calibration = decodeModelFile(readFileSync(path), path).manifest.calibration;
  return calibration ? { calibration } : {};
}

const runDirOf = (outputDir: string, planned: PlannedRun): string => join(outputDir, 'runs', `${planned.model}-seed${planned.seed}`);

async function trainAndScore(planned: PlannedRun, data: TrainingData, pretrainedModel: string | undefined, options: ExperimentRunOptions, onProgress: (p: TrainingProgress) => void): Promise<ScoredRun> {
  const runDir = runDirOf(options.outputDir, planned);
  const started = performance.now();
  const result = await runTraining({
    ...experimentRunOptions(planned, runDir, data, options, onProgress),
    ...(pretrainedModel ? { stages: 'skip-pretrain' as const, pretrainedModel } : {}),
  });
  if (result.status !== 'completed' || !result.metrics || !result.files.model) {
    throw new AppError('experiment-cancelled', `The experiment was cancelled during ${planned.label} (seed ${planned.seed}); run it again to resume from the last checkpoint.`);
  }
  const scores = await scoreTestSet(options.engine, planned.config, result.files.model, data);
  const labels = data.test.labels!;
  const quantum = planned.config.method === 'ssl-quantum' ? await analyseQuantumRun(options.engine, planned, result.files.model, result.metrics.threshold.threshold, data) : undefined;
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
    ...(quantum ? { quantum } : {}),
    ...calibrationOf(runDir),
  };
}

/**
 * The runs of an experiment share one process, so "reproducible" and the thread count must agree across models.
 * Returns the environment pins the process needs (the command lines relaunch with them), null when not reproducible.
 */
export function experimentPins(config: ExperimentConfig): { threads: number } | null {
  const plan = planRuns(config);
  const settings = new Set(plan.map((planned) => `${planned.config.reproducible}:${planned.config.threads}`));
  if (settings.size > 1) throw new AppError('experiment-config-invalid', `Every model of an experiment must share "reproducible" and "threads" (they train in one process); found ${[...settings].join(', ')}. Nothing was trained.`);
  const first = plan[0] as PlannedRun;
  return first.config.reproducible ? { threads: first.config.threads } : null;
}

export async function trainExperiment(config: ExperimentConfig, options: ExperimentRunOptions): Promise<{ counts: DatasetCounts; runs: ScoredRun[] }> {
  const counts = preflight(config);
  const plan = planRuns(config);
  const reproducible = experimentPins(config);
  // The engine is loaded already: this only confirms the pins were in the environment when it loaded.
  const pins = reproducible ? pinCpuKernels(reproducible.threads) : null;
  const machine = describeMachine(options.engine, plan[0]?.config.threads ?? 0, pins);
  mkdirSync(options.outputDir, { recursive: true });
  const dataFor = dataCache(config);
  const keys = plan.map((planned) => pretrainingKey(planned.config));
  const pretrainings = [...new Set(keys.filter((key): key is string => key !== null))];
  const total = pretrainings.length + plan.length;
  const encoders = new Map<string, string>();
  for (const [index, key] of pretrainings.entries()) {
    const first = plan[keys.indexOf(key)] as PlannedRun;
    const base = { run: index + 1, runs: total, model: pretrainingName(first.config), seed: first.seed };
    options.onProgress?.(base);
    encoders.set(key, await pretrainOnce(first, key, dataFor(first.config, true), options, (training) => options.onProgress?.({ ...base, training })));
  }
  const runs: ScoredRun[] = [];
  for (const [index, planned] of plan.entries()) {
    const base = { run: pretrainings.length + index + 1, runs: total, model: planned.label, seed: planned.seed };
    options.onProgress?.(base);
    const encoder = keys[index] ? encoders.get(keys[index]) : undefined;
    const scored: ScoredRun = { ...(await trainAndScore(planned, dataFor(planned.config, usesUnlabeledPool(planned.config)), encoder, options, (training) => options.onProgress?.({ ...base, training }))), machine };
    await addShiftRobustness(config, scored);
    runs.push(scored);
    // Each finished run is kept on disk, so an interrupted experiment loses at most the run in progress.
    writeJsonAtomically(join(scored.runDir, 'scored.json'), scored);
  }
  return { counts, runs };
}

/**
 * The run's test split under every synthetic shift, through its model file, when the experiment asks for it and the
 * run is SSL-Quantum (the model the report describes); kept in the run's scored.json. Returns whether it scored.
 */
export async function addShiftRobustness(config: ExperimentConfig, run: ScoredRun): Promise<boolean> {
  const path = join(run.runDir, INFERENCE_MODEL_FILE);
  if (!config.shiftRobustness || run.shifts || run.model !== 'ssl-quantum' || !existsSync(path)) return false;
  const test = await readLabelledSplit(config.dataset.labeledRoot, 'test');
  const runtime = await ClassifierRuntime.load(decodeModelFile(readFileSync(path), path), { appRoot: projectRoot() });
  try {
    run.shifts = await shiftRobustness(runtime, test, { replicates: config.bootstrapReplicates });
  } finally {
    await runtime.release();
  }
  return true;
}

/** The runs of the plan that have finished in this output folder, in plan order: an experiment's state so far. */
export function scoredSoFar(config: ExperimentConfig, outputDir: string): { runs: ScoredRun[]; planned: number } {
  const plan = planRuns(config);
  const runs = plan.flatMap((planned) => {
    const path = join(runDirOf(outputDir, planned), 'scored.json');
    if (!existsSync(path)) return [];
    const run = JSON.parse(readFileSync(path, 'utf8')) as ScoredRun;
    if (run.quantum) run.quantum.zBoxes ??= []; // written before Fig. 6 existed
    // A scored.json may lack the calibration its model file stores: take it from the file.
    return [run.calibration ? run : { ...run, ...calibrationOf(run.runDir) }];
  });
  return { runs, planned: plan.length };
}

export function writeJsonAtomically(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}
