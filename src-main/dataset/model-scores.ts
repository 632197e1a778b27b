// Scores images with a finished run's model (the training engine's own forward pass on its exported weights, the
// same preprocessing as training): P(stenosis) per item for the active-learning ranking and the prediction and
// uncertainty filters, and per test image for the Results screen.
import { readFileSync } from 'node:fs';
import { decodePng } from '../png/index.ts';
import { AppError } from '../ipc/index.ts';
import type { BlobStore, Store } from '../store/index.ts';
import { type EngineAddon, getRun, loadEngine, readTrainingClassList, type RunRecord, sessionSpecFor, type TrainingConfig } from '../training/index.ts';
import { preprocessingSpec, preprocessPatch } from '../preprocessing/index.ts';

export interface ModelScores {
  runId: string;
  threshold: number;
  scores: Map<number, number>;
  /** Position in the run's "label next" list (1 = first), for the items it ranked. */
  ranks: Map<number, number>;
}

/** The run's decision threshold (chosen on its validation split), 0.5 when it recorded none. */
export function runThreshold(run: Pick<RunRecord, 'metrics'>): number {
  const threshold = (run.metrics as { threshold?: { threshold?: number } } | null)?.threshold?.threshold;
  return typeof threshold === 'number' && Number.isFinite(threshold) ? threshold : 0.5;
}

/** 1 at the decision threshold, falling linearly to 0 at a score of 0 or 1. */
export function uncertaintyOf(score: number, threshold: number): number {
  const span = score >= threshold ? 1 - threshold : threshold;
  return span > 0 ? 1 - Math.abs(score - threshold) / span : 0;
}

/** Scores of the most recently scored run: what "the current model" means on the curation screen. */
export function currentModelScores(store: Store): ModelScores | null {
  const latest = store.db.prepare('SELECT run_id AS runId FROM item_scores ORDER BY scored_at DESC LIMIT 1').get() as { runId: string } | undefined;
  if (!latest) return null;
  const run = getRun(store, latest.runId);
  const rows = store.db.prepare('SELECT item_id AS itemId, score, label_rank AS rank FROM item_scores WHERE run_id = ?').all(latest.runId) as { itemId: number; score: number; rank: number | null }[];
  const ranks = new Map(rows.filter((r) => r.rank !== null).map((r) => [r.itemId, r.rank as number]));
  return { runId: latest.runId, threshold: run ? runThreshold(run) : 0.5, scores: new Map(rows.map((r) => [r.itemId, r.score])), ranks };
}

export function finishedRun(store: Store, runId: string): RunRecord & { files: { model: string } } {
  const run = getRun(store, runId);
  if (!run) throw new AppError('run-not-found', `No training run ${runId} is recorded: pick one from the run list.`);
  if (run.status !== 'succeeded' || !run.files?.model) {
    throw new AppError('run-not-finished', `Run ${runId} is ${run.status}: only a finished run has a model to score with. Resume or wait for it.`);
  }
  return run as RunRecord & { files: { model: string } };
}

export interface ScoreOptions {
  signal?: AbortSignal;
  progress?: (done: number, total: number) => void;
  now?: () => Date;
}

/** A run's model loaded once: P(stenosis) and encoder features of preprocessed images (count × size × size uint8). */
export interface RunScorer {
  score(pixels: Uint8Array, count: number): Promise<Float32Array>;
  /** count × featureDim encoder features. */
  embed(pixels: Uint8Array, count: number): Promise<{ features: Float32Array; dim: number }>;
}

export async function openRunScorer(run: RunRecord & { files: { model: string } }, engine: EngineAddon = loadEngine()): Promise<RunScorer> {
  const config = run.config as TrainingConfig;
  // The head has one output per class of the folder the run trained on (two unless it was graded).
  const classes = readTrainingClassList(run.dataset.labeledRoot).classes.length;
  const session = new engine.TrainingSession(sessionSpecFor(config, preprocessingSpec(config.imageSize, config.input), classes));
  await session.importModel(run.files.model);
  const load = (pixels: Uint8Array, count: number) => {
    if (session.setImages('score', pixels, null, config.imageSize) !== count) throw new AppError('score-count', `Expected ${count} images of ${config.imageSize} px.`);
  };
  return {
    async score(pixels, count) {
      load(pixels, count);
      const scores = await session.predict('score');
      if (scores.length !== count) throw new AppError('score-count', `The model returned ${scores.length} scores for ${count} images.`);
      return scores;
    },
    async embed(pixels, count) {
      load(pixels, count);
      return { features: await session.embed('score'), dim: session.featureDim() };
    },
  };
}

/** P(stenosis) for each preprocessed image (count × size × size uint8, the run's image size). */
export async function scorePixels(run: RunRecord & { files: { model: string } }, pixels: Uint8Array, count: number, engine: EngineAddon = loadEngine()): Promise<Float32Array> {
  return (await openRunScorer(run, engine)).score(pixels, count);
}

/** Decodes and preprocesses PNG images (item blobs or files) for `run`, yielding to the event loop now and then. */
export async function preprocessImages(run: RunRecord, sources: readonly (() => Uint8Array)[], signal?: AbortSignal): Promise<Uint8Array> {
  const spec = preprocessingSpec((run.config as TrainingConfig).imageSize, (run.config as TrainingConfig).input);
  const plane = spec.size * spec.size;
  const pixels = new Uint8Array(sources.length * plane);
  for (let i = 0; i < sources.length; i++) {
    if (i % 256 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw new AppError('cancelled', 'Scoring was cancelled.');
    }
    pixels.set(preprocessPatch(decodePng(sources[i]!(), `image ${i}`), spec), i * plane);
  }
  return pixels;
}

export const fileSource = (path: string) => () => readFileSync(path);
