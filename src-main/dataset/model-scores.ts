// Scores images with a finished run's model (the training engine's own forward pass on its exported weights, the
// same preprocessing as training): P(stenosis) per item for the active-learning ranking and the prediction and
// uncertainty filters, and per test image for the Results screen.
import { readFileSync } from 'node:fs';
import { decodePng } from '../imaging/png.ts';
import { AppError } from '../ipc/app-error.ts';
import type { BlobStore } from '../store/blobs.ts';
import type { Store } from '../store/database.ts';
import type { TrainingConfig } from '../training/config.ts';
import { loadEngine, sessionSpecFor, type EngineAddon } from '../training/engine.ts';
import { preprocessingSpec, preprocessPatch } from '../training/preprocessing.ts';
import { getRun, type RunRecord } from '../training/runs.ts';
import { readTrainingClassList } from '../training/training-classes.ts';
import { rankLabelNext } from './label-ranking.ts';

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
  const session = new engine.TrainingSession(sessionSpecFor(config, preprocessingSpec(config.imageSize), classes));
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
  const spec = preprocessingSpec((run.config as TrainingConfig).imageSize);
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

const CHUNK = 512;

/**
 * Scores PNG dataset items with a run's model into the store, chunk by chunk: each chunk is committed as it is
 * done, so a cancelled or crashed job loses at most one chunk, and scoring again takes up where it stopped (a
 * finished run's model never changes, so its stored scores are its cache: items it has scored are not scored
 * again). Then the run's "label next" list is ranked (label-ranking.ts).
 */
export async function scoreItems(store: Store, blobs: BlobStore, runId: string, itemIds: readonly number[] | 'all', options: ScoreOptions = {}): Promise<{ runId: string; scored: number; cached: number; skipped: number; ranked: number }> {
  const run = finishedRun(store, runId);
  const rows = store.db.prepare("SELECT id, blob_sha256 AS sha FROM dataset_items WHERE kind = 'png' AND blob_sha256 IS NOT NULL ORDER BY id").all() as { id: number; sha: string }[];
  const wanted = itemIds === 'all' ? null : new Set(itemIds);
  const items = wanted ? rows.filter((r) => wanted.has(r.id)) : rows;
  // Items that are not PNG patches (DICOM key frames) are not scored yet: they are counted, not hidden.
  const asked = wanted ? wanted.size : (store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number }).n;
  const done = new Set((store.db.prepare('SELECT item_id AS id FROM item_scores WHERE run_id = ?').all(runId) as { id: number }[]).map((r) => r.id));
  const todo = items.filter((item) => !done.has(item.id));
  const cached = items.length - todo.length;
  const scorer = await openRunScorer(run);
  const upsert = store.db.prepare('INSERT INTO item_scores (run_id, item_id, score, scored_at) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, item_id) DO UPDATE SET score = excluded.score, scored_at = excluded.scored_at');
  options.progress?.(cached, items.length);
  for (let start = 0; start < todo.length; start += CHUNK) {
    if (options.signal?.aborted) throw new AppError('cancelled', `Scoring was cancelled after ${cached + start} of ${items.length} items; the scores so far are kept and scoring again continues from there.`);
    const chunk = todo.slice(start, start + CHUNK);
    const scores = await scorer.score(await preprocessImages(run, chunk.map((item) => () => blobs.read(item.sha)), options.signal), chunk.length);
    const at = (options.now?.() ?? new Date()).toISOString();
    store.transaction(() => chunk.forEach((item, i) => upsert.run(runId, item.id, scores[i]!, at)));
    options.progress?.(cached + start + chunk.length, items.length);
  }
  const ranked = await rankLabelNext(store, blobs, run, scorer, options.signal);
  return { runId, scored: todo.length, cached, skipped: Math.max(0, asked - items.length), ranked };
}
