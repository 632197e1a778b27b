// Typed view of the addon's training engine (src-main/native/binding/engine_binding.cc) and the mapping from a
// run's config to the engine's session spec. Native failures arrive as Error with `code`; asAppError keeps it.
import { AppError } from '../ipc/index.ts';
import { loadAddon } from '../native/index.ts';
import { projectRoot } from '../app/index.ts';
import type { TrainingConfig } from './config.ts';
import type { RuntimeInfo } from './machine.ts';
import type { PreprocessingSpec } from '../preprocessing/index.ts';

export interface StepResult {
  loss: number;
  learningRate: number;
  stageStep: number;
  globalStep: number;
  /** Steps with unlabelled consistency only: share of drawn unlabelled images given a pseudo-label, and their loss term (part of `loss`). */
  pseudoLabelShare?: number;
  unlabeledLoss?: number;
}

export type StageKind = 'pretrain' | 'head' | 'finetune' | 'supervised';

export interface StageSpec {
  kind: StageKind;
  imageSet: string;
  learningRate: number;
  weightDecay: number;
  totalSteps: number;
  warmupSteps: number;
  trainableBlocks?: number;
  encoderLrScale?: number;
  temperature?: number;
  /** Pretrain stages: simclr (default) or byol (engine/byol.h), whose EMA target starts at momentum emaMomentum (default 0.99). */
  objective?: 'simclr' | 'byol';
  emaMomentum?: number;
  classWeights?: number[];
  /** Semi-supervised consistency (FixMatch) on an unlabelled image set, classifier stages only (engine/session.h). */
  unlabeled?: UnlabeledConsistency;
}

export interface UnlabeledConsistency {
  imageSet: string;
  /** λ_u: weight of the strong views' cross-entropy against the pseudo-labels; 0 pseudo-labels without learning from them. */
  weight: number;
  /** τ: a weak view's top class becomes its pseudo-label when its probability is at least this. */
  threshold: number;
  /** μ: unlabelled images drawn per labelled image in a step. */
  ratio: number;
}

export interface SessionSpec {
  model: {
    encoder: string;
    quantumFusion: boolean;
    qubits?: number;
    layers?: number;
    rotation?: string;
    entangler?: string;
    reupload?: boolean;
    alphaInit?: number;
    /** Output classes (default 2): class 0 is no stenosis, the rest stenosis classes or grades (training-classes.ts). */
    classes?: number;
    /** Classifier dropout (default 0.3). */
    dropout?: number;
  };
  augment?: Partial<Record<string, number | boolean>>;
  imageSize: number;
  seed: number;
  threads: number;
  deterministic: boolean;
  /** Default true: NHWC activations (faster oneDNN convolutions on CPU). */
  channelsLast?: boolean;
  /** cpu (default), cuda or cuda:N (engine/session.h). */
  device?: string;
  /** BatchNorm normalises with its running statistics while training, so any split of a batch over ranks gives the
   *  same step; off (default), each rank normalises with its own batch, as PyTorch DDP does. */
  freezeBatchNorm?: boolean;
}

/** One rank's place in a data-parallel group (engine/distributed.h). Gloo is unauthenticated and nothing is
 *  encrypted: addresses must be loopback or private unless allowPublic, and every rank needs the same token. */
export interface DistributedSpec {
  host: string;
  port: number;
  worldSize: number;
  rank: number;
  token: string;
  bindAddress?: string;
  allowPublic?: boolean;
  timeoutMs?: number;
  bucketBytes?: number;
}

export interface DistributedStats {
  rank: number;
  worldSize: number;
  steps: number;
  allReduceSeconds: number;
  allGatherSeconds: number;
  bytesPerStep: number;
  buckets: number;
}

export type ModelPart = 'encoder' | 'projector' | 'classifier';

export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Units and layouts are those of engine/session.h. Async methods run on the libuv pool, one at a time. */
export interface TrainingSession {
  setImages(name: string, pixels: Uint8Array, labels: Int32Array | null, imageSize: number): number;
  imageCount(name: string): number;
  configureStage(stage: StageSpec): void;
  learningRateAt(stageStep: number): number;
  step(indices: Int32Array): Promise<StepResult>;
  stepOnViews(views: Float32Array, count: number, labels: Int32Array | null): Promise<StepResult>;
  /** Views a step would render at global step `stream` (augment) or evaluation sees (no augment): count × S × S. */
  previewViews(name: string, indices: Int32Array, stream: number, view: number, augment: boolean): Float32Array;
  embed(name: string): Promise<Float32Array>;
  /** P(any stenosis) per image: P(class 1) for a binary model, 1 − P(class 0) for a graded one. */
  predict(name: string): Promise<Float32Array>;
  /** Softmax over the classes: count × classCount(), row-major. */
  predictClasses(name: string): Promise<Float32Array>;
  knnScores(bank: string, query: string, k: number, leaveOneOut: boolean): Promise<Float32Array>;
  saveCheckpoint(path: string, meta: string): Promise<void>;
  loadCheckpoint(path: string): Promise<string>;
  exportModel(path: string, meta: string): Promise<void>;
  /** `parts` limits the load to those top-level modules (e.g. a pretrained encoder and projector). */
  importModel(path: string, parts?: ModelPart[]): Promise<string>;
  parameters(includeBuffers: boolean): NamedArray[];
  parameterCount(part?: 'encoder' | 'projector' | 'classifier' | 'all'): number;
  featureDim(): number;
  blockCount(): number;
  classCount(): number;
  /** Joins a data-parallel group; resolves when every rank has joined (rank 0's weights are broadcast). Each step is
   *  then this rank's slice of the global batch. Failures: rendezvous-refused | rendezvous-failed |
   *  rendezvous-token-mismatch; a rank lost later fails the step with rank-lost. */
  joinGroup(spec: DistributedSpec): Promise<void>;
  leaveGroup(): void;
  groupStats(): DistributedStats;
  /** Whether every rank holds bit-identical weights (e.g. after each rank loaded the same checkpoint). */
  replicasAgree(): Promise<boolean>;
  /** Frees the model and image sets now; any later call fails with session-closed. Refused while a call runs. */
  close(): void;
}

export interface EngineAddon {
  version(): string;
  /** The CPU kernels and library versions in use (engine/runtime_info.h); absent from builds before it. */
  runtimeInfo?(): RuntimeInfo;
  TrainingSession: new (spec: SessionSpec) => TrainingSession;
  engineProbes: {
    ntXent(z1: Float32Array, z2: Float32Array, n: number, d: number, temperature: number): { loss: number; gradZ1: Float32Array; gradZ2: Float32Array };
    quantumLayer(
      spec: { qubits: number; layers: number; rotation?: string; entangler?: string; reupload?: boolean },
      angles: Float32Array,
      weights: Float32Array,
      gradOut: Float32Array,
    ): { expectations: Float32Array; gradAngles: Float32Array; gradWeights: Float32Array };
  };
}

export function loadEngine(appRoot: string = projectRoot()): EngineAddon {
  const load = loadAddon<EngineAddon>(appRoot);
  if (!load.loaded) throw new AppError('engine-unavailable', load.error);
  if (typeof load.addon.TrainingSession !== 'function') {
    throw new AppError('engine-unavailable', `The native addon at ${load.path} has no training engine: rebuild it with \`npm run build:addon\`.`);
  }
  return load.addon;
}

/** Native errors carry `code`; give them the AppError shape the IPC layer and the UI branch on. */
export function asAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof Error && typeof (error as Error & { code?: unknown }).code === 'string') {
    return new AppError((error as Error & { code: string }).code, error.message);
  }
  return error;
}

export function sessionSpecFor(config: TrainingConfig, preprocessing: PreprocessingSpec, classes = 2): SessionSpec {
  return {
    model: {
      encoder: config.encoder,
      quantumFusion: config.method === 'ssl-quantum',
      qubits: config.quantum.qubits,
      layers: config.quantum.layers,
      rotation: config.quantum.rotation,
      entangler: config.quantum.entangler,
      reupload: config.quantum.reupload,
      alphaInit: config.quantum.alphaInit,
      classes,
    },
    augment: { ...config.augment, mean: preprocessing.mean, std: preprocessing.std },
    imageSize: config.imageSize,
    seed: config.seed,
    threads: config.threads,
    deterministic: config.deterministic,
    device: config.device,
  };
}
