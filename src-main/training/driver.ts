// The training loop: stages → epochs → steps against one engine session, with a checkpoint after every epoch
// and on cancel, evaluation after every epoch, the best model kept by validation AUC, and the decision threshold
// chosen on validation at the end. Runs wherever it is called (a worker thread in the app, a child process in
// the crash test); every native call is async, so it never blocks its thread's event loop.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gradedEvaluation, type GradedEvaluation } from '../evaluation/index.ts';
import { AppError } from '../ipc/index.ts';
import { writeFileAtomic } from '../store/index.ts';
import type { TrainingConfig } from './config.ts';
import type { ImageSet } from './dataset.ts';
import { asAppError, sessionSpecFor, type DistributedSpec, type EngineAddon, type StageKind, type TrainingSession } from './engine.ts';
import type { PreprocessingSpec } from '../preprocessing/index.ts';
import { chooseThreshold, rates, rocAuc, type ValidationOperatingPoint } from './roc.ts';
import { epochPermutation, rankBatchAt } from './sampler.ts';
import { exportRunForInference } from './inference-export.ts';
import { planStages, type PlannedStage } from './stages.ts';
import { BINARY_CLASSES, classCounts, classNames, isGraded, type TrainingClassList } from './training-classes.ts';

export interface TrainingData {
  /** SimCLR pool (unlabelled ∪ labelled train); absent for supervised runs. */
  pretrain: ImageSet | null;
  train: ImageSet;
  val: ImageSet;
  test: ImageSet;
  /** The root's class list (training-classes.ts); absent means binary. */
  classList?: TrainingClassList;
}

/** The run's class list: the data's own, binary when it declares none. */
function classListOf(data: TrainingData): TrainingClassList {
  return data.classList ?? BINARY_CLASSES;
}

export interface TrainingProgress {
  kind: 'step' | 'epoch';
  stage: StageKind;
  stageIndex: number;
  stages: number;
  epoch: number;
  epochs: number;
  step: number;
  stepsInEpoch: number;
  loss: number;
  learningRate: number;
  imagesPerSecond: number;
  etaSeconds: number | null;
  metrics?: { knnAuc?: number; valAuc?: number };
}

export interface EpochRecord {
  stage: StageKind;
  epoch: number;
  meanLoss: number;
  knnAuc?: number;
  valAuc?: number;
  /** Semi-supervised fine-tuning: mean share of the drawn unlabelled images that got a pseudo-label. */
  pseudoLabelShare?: number;
  seconds: number;
}

interface LoopState {
  stageIndex: number;
  /** Epochs completed in the current stage. */
  epoch: number;
  /** Steps completed in the current epoch (non-zero only in a checkpoint written on cancel). */
  stepInEpoch: number;
  lossSum: number;
  /** Sum of the steps' pseudo-label shares in this epoch (semi-supervised fine-tuning; absent in older checkpoints). */
  pseudoLabelSum?: number;
  best: { valAuc: number; stage: StageKind; epoch: number } | null;
  epochsSinceBest: number;
  history: EpochRecord[];
}

export interface TrainingResult {
  status: 'completed' | 'cancelled';
  history: EpochRecord[];
  metrics?: {
    valAuc: number;
    testAuc: number;
    threshold: ValidationOperatingPoint;
    test: { sensitivity: number; specificity: number; prevalence: number };
    /** Graded class lists only: every class on validation and test (argmax), besides the any-stenosis figures above. */
    graded?: { classNames: string[]; val: GradedEvaluation; test: GradedEvaluation };
  };
  files: { checkpoint: string; model?: string; bestWeights?: string; inferenceModel?: string };
  /** Why no inference model file was written (an encoder the ONNX writer does not cover yet). */
  inferenceModelSkipped?: string;
  /** Data-parallel runs: how many ranks trained it. */
  ranks?: number;
}

export interface DriverOptions {
  engine: EngineAddon;
  runDir: string;
  config: TrainingConfig;
  preprocessing: PreprocessingSpec;
  data: TrainingData;
  resume: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  /** Minimum milliseconds between step progress events (epoch events always go out). */
  progressIntervalMs?: number;
  /**
   * 'pretrain-only' runs SimCLR alone and exports the encoder it learned; 'skip-pretrain' starts from
   * `pretrainedModel`'s encoder and projector instead of pretraining (an experiment pretrains once for all its runs).
   */
  stages?: 'all' | 'pretrain-only' | 'skip-pretrain';
  pretrainedModel?: string;
  /** Also write model.angio (inference-export.ts), what the app's Viewer and Reports open. */
  exportForInference?: boolean;
  /**
   * Data-parallel training: this process is one rank (engine.ts DistributedSpec). config.batchSize is the global
   * batch, split evenly over the ranks; only rank 0 writes the run's files. Every rank resumes from the same
   * checkpoint file (a shared folder, or a copy), whatever world size wrote it.
   */
  distributed?: DistributedSpec;
}

/** This process's rank and the world size (0 of 1 when training alone). */
function rankOf(options: DriverOptions): { rank: number; worldSize: number } {
  return options.distributed ? { rank: options.distributed.rank, worldSize: options.distributed.worldSize } : { rank: 0, worldSize: 1 };
}

export const RUN_FILES = { checkpoint: 'checkpoint.pt', best: 'best.pt', model: 'model.pt', result: 'result.json' } as const;

/**
 * Every run file is written to `<name>.tmp` (engine) or `<name>.<pid>.tmp` (writeFileAtomic) and renamed into
 * place, so a kill mid-write leaves a torn temporary file that nothing reads. Removed when the run (re)starts, so
 * runs killed again and again do not pile them up; only one process trains a run folder at a time.
 */
export function removeTornWrites(runDir: string): string[] {
  const torn = readdirSync(runDir).filter((name) => name.endsWith('.tmp'));
  for (const name of torn) rmSync(join(runDir, name), { force: true });
  return torn;
}

export function modelMeta(options: DriverOptions, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'angio-model-1',
    preprocessing: options.preprocessing,
    method: options.config.method,
    encoder: options.config.encoder,
    imageSize: options.config.imageSize,
    classes: classNames(classListOf(options.data)),
    // Model card: every weight was learned here from the run's own data (or its experiment's shared pretraining).
    pretrainedWeights: pretrainedWeightsOf(options),
    ...extra,
  });
}

function pretrainedWeightsOf(options: DriverOptions): string {
  const objective = options.config.pretrain.objective === 'byol' ? 'BYOL' : 'SimCLR';
  if (options.pretrainedModel) return `${objective} encoder pretrained once for this experiment on its own unlabelled pool (${options.pretrainedModel})`;
  if (options.config.method !== 'supervised' && options.config.pretrain.epochs > 0) return `${objective} encoder pretrained in this run on its own pool of images; no outside weights`;
  return 'none: trained from scratch on the run dataset';
}

export async function runTraining(options: DriverOptions): Promise<TrainingResult> {
  const { engine, runDir, config, data, signal } = options;
  const { rank, worldSize } = rankOf(options);
  if (config.batchSize % worldSize !== 0 || config.batchSize / worldSize < 2) {
    throw new AppError('training-config-invalid', `The batch of ${config.batchSize} images does not split into ${worldSize} equal rank batches of at least 2: choose a batch size that is a multiple of ${worldSize}, at least ${2 * worldSize}.`);
  }
  mkdirSync(runDir, { recursive: true });
  if (rank === 0) removeTornWrites(runDir);
  const paths = {
    checkpoint: join(runDir, RUN_FILES.checkpoint),
    best: join(runDir, RUN_FILES.best),
    model: join(runDir, RUN_FILES.model),
    result: join(runDir, RUN_FILES.result),
  };
  try {
    const classCount = classListOf(data).classes.length;
    const session = new engine.TrainingSession(sessionSpecFor(config, options.preprocessing, classCount));
    if (data.pretrain) session.setImages('pretrain', data.pretrain.pixels, null, config.imageSize);
    // The engine learns class indices; monitoring, thresholds and AUCs stay on the any-stenosis labels.
    for (const name of ['train', 'val', 'test'] as const) session.setImages(name, data[name].pixels, data[name].classes ?? data[name].labels, config.imageSize);
    const trainClassCounts = classCounts(data.train.classes ?? data.train.labels ?? [], classCount);
    const stages = selectStages(planStages(config, { pretrain: data.pretrain?.count ?? 0, train: data.train.count, trainClassCounts }), options.stages);
    if (!data.pretrain && stages.some((stage) => stage.spec.unlabeled)) {
      throw new AppError('training-config-invalid', 'Semi-supervised fine-tuning (finetune.unlabeledConsistency) learns from the unlabelled pool, and this run has none: give the dataset an unlabelled folder and pretrain.epochs above 0, or remove the setting.');
    }

    if (options.distributed) {
      // Rank 0's initial weights reach every rank here; from now on each step all-reduces gradients.
      await session.joinGroup(options.distributed);
    }
    let state: LoopState = { stageIndex: 0, epoch: 0, stepInEpoch: 0, lossSum: 0, best: null, epochsSinceBest: 0, history: [] };
    let configured = false;
    if (options.resume && existsSync(paths.checkpoint)) {
      state = (JSON.parse(await session.loadCheckpoint(paths.checkpoint)) as { loop: LoopState }).loop;
      configured = true;
    } else if (options.stages === 'skip-pretrain') {
      if (!options.pretrainedModel) throw new AppError('training-config-invalid', 'Skipping pretraining needs the pretrained model to start from.');
      await session.importModel(options.pretrainedModel, ['encoder', 'projector']);
    }
    if (options.distributed && !(await session.replicasAgree())) {
      throw new AppError('replicas-differ', `Rank ${rank} starts from other weights than rank 0: give every rank the same checkpoint (${paths.checkpoint}) or model file.`);
    }
    const loop = new StepLoop(session, options, stages, paths, state);
    for (; state.stageIndex < stages.length; state.stageIndex++, state.epoch = 0, state.epochsSinceBest = 0, configured = false) {
      const stage = stages[state.stageIndex] as PlannedStage;
      if (!configured) session.configureStage(stage.spec);
      const stopped = () => stage.earlyStopping && state.epochsSinceBest >= config.finetune.patience;
      while (state.epoch < stage.epochs && !stopped()) {
        if ((await loop.runEpoch(stage)) === 'cancelled') return { status: 'cancelled', history: state.history, files: { checkpoint: paths.checkpoint } };
      }
    }
    if (options.distributed) {
      session.leaveGroup();
      // Rank 0 evaluates and writes the model; the other ranks' weights are the same.
      if (rank !== 0) return { status: 'completed', history: state.history, files: { checkpoint: paths.checkpoint }, ranks: worldSize };
    }
    const result = options.stages === 'pretrain-only' ? await finishPretraining(session, options, paths, state) : await finish(session, options, paths, state);
    return options.distributed ? { ...result, ranks: worldSize } : result;
  } catch (error) {
    throw asAppError(error);
  }
}

class StepLoop {
  private readonly session: TrainingSession;
  private readonly options: DriverOptions;
  private readonly stages: PlannedStage[];
  private readonly paths: { checkpoint: string; best: string };
  private readonly state: LoopState;
  private secondsPerStep = 0;
  private lastEmit = 0;

  constructor(session: TrainingSession, options: DriverOptions, stages: PlannedStage[], paths: { checkpoint: string; best: string }, state: LoopState) {
    this.session = session;
    this.options = options;
    this.stages = stages;
    this.paths = paths;
    this.state = state;
  }

  private async checkpoint(): Promise<void> {
    // Every rank holds the same weights and optimizer state: rank 0's file is the run's.
    if (rankOf(this.options).rank !== 0) return;
    await this.session.saveCheckpoint(this.paths.checkpoint, JSON.stringify({ loop: this.state, config: this.options.config }));
  }

  private remainingSteps(stage: PlannedStage, step: number): number {
    let steps = (stage.epochs - this.state.epoch) * stage.stepsPerEpoch - step;
    for (const later of this.stages.slice(this.state.stageIndex + 1)) steps += later.epochs * later.stepsPerEpoch;
    return steps;
  }

  async runEpoch(stage: PlannedStage): Promise<'done' | 'cancelled'> {
    const { config, signal } = this.options;
    const state = this.state;
    const count = this.session.imageCount(stage.spec.imageSet);
    const order = epochPermutation(count, config.seed, state.stageIndex, state.epoch);
    const views = stage.spec.kind === 'pretrain' ? 2 : 1;
    const started = performance.now();
    let last = { loss: Number.NaN, learningRate: 0 };
    for (let step = state.stepInEpoch; step < stage.stepsPerEpoch; step++) {
      if (signal?.aborted) {
        state.stepInEpoch = step;
        await this.checkpoint();
        return 'cancelled';
      }
      const t0 = performance.now();
      const { rank, worldSize } = rankOf(this.options);
      const result = await this.session.step(rankBatchAt(order, config.batchSize, step, rank, worldSize));
      last = result;
      if (result.pseudoLabelShare !== undefined) state.pseudoLabelSum = (state.pseudoLabelSum ?? 0) + result.pseudoLabelShare;
      const seconds = (performance.now() - t0) / 1000;
      this.secondsPerStep = this.secondsPerStep === 0 ? seconds : 0.9 * this.secondsPerStep + 0.1 * seconds;
      state.lossSum += last.loss;
      const now = performance.now();
      if (now - this.lastEmit >= (this.options.progressIntervalMs ?? 500)) {
        this.lastEmit = now;
        this.emit('step', stage, step + 1, last, views);
      }
    }
    const meanLoss = state.lossSum / Math.max(1, stage.stepsPerEpoch);
    const pseudoLabels = stage.spec.unlabeled ? { pseudoLabelShare: (state.pseudoLabelSum ?? 0) / Math.max(1, stage.stepsPerEpoch) } : {};
    state.stepInEpoch = 0;
    state.lossSum = 0;
    if (stage.spec.unlabeled) state.pseudoLabelSum = 0;
    state.epoch += 1;
    const metrics = await this.evaluate(stage);
    state.history.push({ stage: stage.spec.kind, epoch: state.epoch, meanLoss, ...metrics, ...pseudoLabels, seconds: (performance.now() - started) / 1000 });
    if (metrics.valAuc !== undefined) {
      if (!state.best || metrics.valAuc > state.best.valAuc) {
        state.best = { valAuc: metrics.valAuc, stage: stage.spec.kind, epoch: state.epoch };
        state.epochsSinceBest = 0;
        if (rankOf(this.options).rank === 0) await this.session.exportModel(this.paths.best, modelMeta(this.options, { bestOf: state.best }));
      } else if (stage.earlyStopping) {
        state.epochsSinceBest += 1;
      }
    }
    await this.checkpoint();
    this.emit('epoch', stage, stage.stepsPerEpoch, last, views, metrics);
    return 'done';
  }

  private async evaluate(stage: PlannedStage): Promise<{ knnAuc?: number; valAuc?: number }> {
    const data = this.options.data;
    if (stage.monitor === 'knn') {
      const scores = await this.session.knnScores('train', 'train', this.options.config.pretrain.knnNeighbours, true);
      return { knnAuc: rocAuc(scores, data.train.labels as Int32Array) };
    }
    return { valAuc: rocAuc(await this.session.predict('val'), data.val.labels as Int32Array) };
  }

  private emit(kind: 'step' | 'epoch', stage: PlannedStage, step: number, last: { loss: number; learningRate: number }, views: number, metrics?: { knnAuc?: number; valAuc?: number }): void {
    if (!this.options.onProgress) return;
    const stepInEpoch = kind === 'epoch' ? 0 : step;
    this.options.onProgress({
      kind,
      stage: stage.spec.kind,
      stageIndex: this.state.stageIndex,
      stages: this.stages.length,
      epoch: kind === 'epoch' ? this.state.epoch : this.state.epoch + 1,
      epochs: stage.epochs,
      step,
      stepsInEpoch: stage.stepsPerEpoch,
      loss: last.loss,
      learningRate: last.learningRate,
      imagesPerSecond: this.secondsPerStep > 0 ? (this.options.config.batchSize * views) / this.secondsPerStep : 0,
      etaSeconds: this.secondsPerStep > 0 ? this.remainingSteps(stage, stepInEpoch) * this.secondsPerStep : null,
      ...(metrics ? { metrics } : {}),
    });
  }
}

function selectStages(stages: PlannedStage[], which: DriverOptions['stages'] = 'all'): PlannedStage[] {
  if (which === 'all') return stages;
  const selected = stages.filter((stage) => (stage.spec.kind === 'pretrain') === (which === 'pretrain-only'));
  if (which === 'pretrain-only' && selected.length === 0) throw new AppError('training-config-invalid', 'This configuration has no pretraining to run: set pretrain.epochs above 0.');
  return selected;
}

/** result.json says how many ranks trained a data-parallel run (absent for one process). */
function ranksOf(options: DriverOptions): { ranks?: number } {
  return options.distributed ? { ranks: options.distributed.worldSize } : {};
}

/** The SimCLR encoder as a model file (its classifier is untrained: only `importModel(…, ['encoder', 'projector'])` uses it). */
async function finishPretraining(session: TrainingSession, options: DriverOptions, paths: { checkpoint: string; model: string; result: string }, state: LoopState): Promise<TrainingResult> {
  await session.exportModel(paths.model, modelMeta(options, { pretrainOnly: true, history: state.history }));
  const result: TrainingResult = { status: 'completed', history: state.history, files: { checkpoint: paths.checkpoint, model: paths.model }, ...ranksOf(options) };
  writeFileAtomic(paths.result, JSON.stringify(result, null, 2));
  return result;
}

async function finish(session: TrainingSession, options: DriverOptions, paths: { checkpoint: string; best: string; model: string; result: string }, state: LoopState): Promise<TrainingResult> {
  const { data, config } = options;
  if (existsSync(paths.best)) await session.importModel(paths.best);
  const valScores = await session.predict('val');
  const valLabels = data.val.labels as Int32Array;
  const threshold = chooseThreshold(valScores, valLabels, config.threshold.rule, config.threshold.targetSensitivity);
  const testScores = await session.predict('test');
  const testLabels = data.test.labels as Int32Array;
  const testPositives = testLabels.reduce((n, l) => n + l, 0);
  const metrics: NonNullable<TrainingResult['metrics']> = {
    valAuc: rocAuc(valScores, valLabels),
    testAuc: rocAuc(testScores, testLabels),
    threshold,
    test: { ...rates(testScores, testLabels, threshold.threshold, testPositives, testLabels.length - testPositives), prevalence: testPositives / testLabels.length },
  };
  if (data.classList && isGraded(data.classList)) metrics.graded = await gradedMetrics(session, data, data.classList);
  await session.exportModel(paths.model, modelMeta(options, { threshold, best: state.best }));
  const result: TrainingResult = { status: 'completed', history: state.history, metrics, files: { checkpoint: paths.checkpoint, model: paths.model, bestWeights: paths.best }, ...ranksOf(options) };
  if (options.exportForInference) {
    const exported = await exportRunForInference({
      runDir: options.runDir, config, preprocessing: options.preprocessing, session, threshold: threshold.threshold, train: data.train, val: data.val, valScores,
      pretrainingImages: data.pretrain?.count ?? 0, pretrainedWeights: pretrainedWeightsOf(options), classNames: classNames(classListOf(data)),
      gradedValidation: metrics.graded?.val,
    });
    if ('path' in exported) result.files.inferenceModel = exported.path;
    else result.inferenceModelSkipped = exported.skipped;
  }
  writeFileAtomic(paths.result, JSON.stringify(result, null, 2));
  return result;
}

/** Each class's probability on validation and test, scored against the true class (argmax decides). */
async function gradedMetrics(session: TrainingSession, data: TrainingData, classList: TrainingClassList): Promise<NonNullable<TrainingResult['metrics']>['graded']> {
  const names = classNames(classList);
  const score = async (name: 'val' | 'test') => {
    const probabilities = await session.predictClasses(name);
    const set = data[name];
    const k = names.length;
    return gradedEvaluation(
      set.files.map((id, i) => ({ id, label: set.classes![i] as number, probabilities: Array.from(probabilities.subarray(i * k, (i + 1) * k)) })),
      names,
    );
  };
  return { classNames: names, val: await score('val'), test: await score('test') };
}
