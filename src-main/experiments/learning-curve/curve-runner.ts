// Trains a learning curve: one SimCLR encoder (pretrained once, or an existing one handed in) fine-tuned by every
// run on its label subset, each run scored once on the whole test split and kept on disk as it finishes, so a
// stopped curve resumes at the run in progress (whose own checkpoints resume it mid-run).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../../ipc/index.ts';
import { preprocessingSpec } from '../../preprocessing/index.ts';
import {
  describeMachine, type EngineAddon, type ImageSet, loadTrainingData, type MachineProfile, pinCpuKernels, runTraining, sessionSpecFor,
  type TrainingConfig, type TrainingData, type TrainingProgress,
} from '../../training/index.ts';
import { writeJsonAtomically } from '../runner.ts';
import type { LearningCurveConfig } from './curve-config.ts';
import { type CurveRun, planCurveRuns } from './curve-plan.ts';
import { nestedStratifiedSubsets } from './label-subsets.ts';
import type { QuantumAblation } from './quantum-ablation.ts';

/** A finished run: its plan (without the training configuration) and what it measured. */
export interface ScoredCurveRun extends Omit<CurveRun, 'config'> {
  valAuc: number;
  testAuc: number;
  threshold: number;
  epochsRun: number;
  seconds: number;
  /** Test image ids are paths below <labeledRoot>/test (positive/0017.png), as in the experiment runs. */
  predictions: { id: string; label: 0 | 1; score: number }[];
  machine: MachineProfile;
  /** SSL-Quantum runs, once ablated (quantum-ablation.ts). */
  quantum?: QuantumAblation;
}

export interface EncoderRecord {
  path: string;
  sha256: string;
  /** Where it came from: this curve's own pretraining, or the file it was copied from. */
  source: string;
}

export interface CurveProgress {
  run: number;
  runs: number;
  id: string;
  training?: TrainingProgress;
}

export interface CurveRunOptions {
  engine: EngineAddon;
  outputDir: string;
  /** An existing SimCLR encoder (model.pt of a pretraining) to fine-tune instead of pretraining once here. */
  encoder?: string;
  signal?: AbortSignal;
  onProgress?: (progress: CurveProgress) => void;
}

const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
export const scoredPath = (outputDir: string, id: string) => join(outputDir, 'runs', id, 'scored.json');

export function subsetOf(set: ImageSet, indices: readonly number[], size: number): ImageSet {
  const plane = size * size;
  const pixels = new Uint8Array(indices.length * plane);
  indices.forEach((index, i) => pixels.set(set.pixels.subarray(index * plane, (index + 1) * plane), i * plane));
  return {
    pixels,
    labels: Int32Array.from(indices, (i) => set.labels![i]!),
    classes: Int32Array.from(indices, (i) => set.classes![i]!),
    files: indices.map((i) => set.files[i]!),
    count: indices.length,
  };
}

/** The subsets are a function of the seed and the training split; a resumed curve checks it draws the same ones. */
function labelSubsets(curve: LearningCurveConfig, train: ImageSet, outputDir: string): Map<number, Map<number, number[]>> {
  const bySeed = new Map(curve.seeds.map((seed) => [seed, nestedStratifiedSubsets(train.labels!, curve.labelCounts, seed)]));
  const record = Object.fromEntries([...bySeed].map(([seed, subsets]) => [seed, Object.fromEntries([...subsets].map(([n, indices]) => [n, indices.map((i) => relative(curve.base.dataset.labeledRoot, train.files[i]!))]))]));
  const path = join(outputDir, 'label-subsets.json');
  if (existsSync(path) && JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))) !== JSON.stringify(record)) {
    throw new AppError('experiment-resume-mismatch', `${path} holds other label subsets than this configuration draws: the training split or the configuration changed. Use a new output folder.`);
  }
  writeJsonAtomically(path, record);
  return bySeed;
}

async function encoderFor(curve: LearningCurveConfig, first: CurveRun, data: () => TrainingData, options: CurveRunOptions, onProgress: (p: TrainingProgress) => void): Promise<EncoderRecord> {
  const dir = join(options.outputDir, 'pretrain');
  const recordPath = join(dir, 'encoder.json');
  if (existsSync(recordPath)) return JSON.parse(readFileSync(recordPath, 'utf8')) as EncoderRecord;
  mkdirSync(dir, { recursive: true });
  let record: EncoderRecord;
  if (options.encoder) {
    const path = join(dir, 'model.pt');
    copyFileSync(options.encoder, path);
    record = { path, sha256: sha256Of(path), source: `copied from ${options.encoder}` };
  } else {
    // The experiment's own first seed pretrains, as `npm run experiment` would for this budget.
    const config = { ...first.config, seed: curve.base.seeds[0] ?? first.seed };
    const result = await runTraining({
      engine: options.engine, runDir: dir, config, preprocessing: preprocessingSpec(config.imageSize, config.input), data: data(), resume: true,
      signal: options.signal, onProgress, progressIntervalMs: 1000, stages: 'pretrain-only',
    });
    if (result.status !== 'completed' || !result.files.model) throw new AppError('experiment-cancelled', 'The learning curve was cancelled during SimCLR pretraining; run it again to resume.');
    record = { path: result.files.model, sha256: sha256Of(result.files.model), source: `SimCLR pretraining of this curve (seed ${config.seed})` };
  }
  writeJsonAtomically(recordPath, record);
  return record;
}

async function scoreTest(engine: EngineAddon, config: TrainingConfig, modelPath: string, test: ImageSet): Promise<Float32Array> {
  const session = new engine.TrainingSession(sessionSpecFor(config, preprocessingSpec(config.imageSize, config.input)));
  await session.importModel(modelPath);
  session.setImages('test', test.pixels, test.labels, config.imageSize);
  return session.predict('test');
}

/** The runs finished so far in `outputDir`, in plan order. */
export function curveRunsSoFar(curve: LearningCurveConfig, outputDir: string): { runs: ScoredCurveRun[]; planned: number } {
  const plan = planCurveRuns(curve);
  const runs = plan.flatMap((run) => (existsSync(scoredPath(outputDir, run.id)) ? [JSON.parse(readFileSync(scoredPath(outputDir, run.id), 'utf8')) as ScoredCurveRun] : []));
  return { runs, planned: plan.length };
}

export async function trainLearningCurve(curve: LearningCurveConfig, options: CurveRunOptions): Promise<{ runs: ScoredCurveRun[]; encoder: EncoderRecord }> {
  const plan = planCurveRuns(curve);
  const first = plan[0]!;
  const pins = first.config.reproducible ? pinCpuKernels(first.config.threads) : null;
  const machine = describeMachine(options.engine, first.config.threads, pins);
  mkdirSync(options.outputDir, { recursive: true });
  const dataset = { labeledRoot: curve.base.dataset.labeledRoot, unlabeledDir: curve.base.dataset.unlabeledDir };
  const preprocessing = preprocessingSpec(first.config.imageSize, first.config.input);
  const labelled = loadTrainingData(dataset, { ...first.config, method: 'supervised' }, preprocessing);
  const subsets = labelSubsets(curve, labelled.train, options.outputDir);
  const total = plan.length + 1;
  const encoder = await encoderFor(curve, first, () => loadTrainingData(dataset, first.config, preprocessing), options, (training) => options.onProgress?.({ run: 1, runs: total, id: 'SimCLR pretraining', training }));
  const runs: ScoredCurveRun[] = [];
  for (const [index, planned] of plan.entries()) {
    const done = scoredPath(options.outputDir, planned.id);
    if (existsSync(done)) {
      runs.push(JSON.parse(readFileSync(done, 'utf8')) as ScoredCurveRun);
      continue;
    }
    const base = { run: index + 2, runs: total, id: planned.id };
    options.onProgress?.(base);
    const runDir = join(options.outputDir, 'runs', planned.id);
    const train = subsetOf(labelled.train, subsets.get(planned.seed)!.get(planned.labels)!, planned.config.imageSize);
    const started = performance.now();
    const result = await runTraining({
      engine: options.engine, runDir, config: planned.config, preprocessing, data: { ...labelled, train, pretrain: null }, resume: true,
      signal: options.signal, onProgress: (training) => options.onProgress?.({ ...base, training }), progressIntervalMs: 1000,
      stages: 'skip-pretrain', pretrainedModel: encoder.path,
    });
    if (result.status !== 'completed' || !result.metrics || !result.files.model) {
      throw new AppError('experiment-cancelled', `The learning curve was cancelled during ${planned.id}; run it again to resume from the last checkpoint.`);
    }
    const scores = await scoreTest(options.engine, planned.config, result.files.model, labelled.test);
    const scored: ScoredCurveRun = {
      id: planned.id, labels: planned.labels, seed: planned.seed, arm: planned.arm, qubits: planned.qubits, epochScale: planned.epochScale,
      valAuc: result.metrics.valAuc, testAuc: result.metrics.testAuc, threshold: result.metrics.threshold.threshold,
      epochsRun: result.history.filter((epoch) => epoch.stage !== 'pretrain').length, seconds: (performance.now() - started) / 1000,
      predictions: labelled.test.files.map((file, i) => ({ id: relative(join(dataset.labeledRoot, 'test'), file), label: labelled.test.labels![i] === 1 ? 1 : 0, score: Math.min(1, Math.max(0, scores[i]!)) })),
      machine,
    };
    writeJsonAtomically(done, scored);
    runs.push(scored);
  }
  return { runs, encoder };
}
