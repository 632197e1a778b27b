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

export interface ModelScores {
  runId: string;
  threshold: number;
  scores: Map<number, number>;
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
  const rows = store.db.prepare('SELECT item_id AS itemId, score FROM item_scores WHERE run_id = ?').all(latest.runId) as { itemId: number; score: number }[];
  return { runId: latest.runId, threshold: run ? runThreshold(run) : 0.5, scores: new Map(rows.map((r) => [r.itemId, r.score])) };
}

export function finishedRun(store: Store, runId: string): RunRecord & { files: { model: string } } {
  const run = getRun(store, runId);
  if (!run) throw new AppError('run-not-found', `No training run ${runId} is recorded: pick one from the run list.`);
  if (run.status !== 'succeeded' || !run.files?.model) {
    throw new AppError('run-not-finished', `Run ${runId} is ${run.status}: only a finished run has a model to score with. Resume or wait for it.`);
  }
  return run as RunRecord & { files: { model: string } };
}

/** P(stenosis) for each preprocessed image (count × size × size uint8, the run's image size). */
export async function scorePixels(run: RunRecord & { files: { model: string } }, pixels: Uint8Array, count: number, engine: EngineAddon = loadEngine()): Promise<Float32Array> {
  const config = run.config as TrainingConfig;
  const session = new engine.TrainingSession(sessionSpecFor(config, preprocessingSpec(config.imageSize)));
  await session.importModel(run.files.model);
  session.setImages('score', pixels, null, config.imageSize);
  const scores = await session.predict('score');
  if (scores.length !== count) throw new AppError('score-count', `The model returned ${scores.length} scores for ${count} images.`);
  return scores;
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

/** Scores PNG dataset items with a run's model and records the scores (replacing earlier ones of that run). */
export async function scoreItems(store: Store, blobs: BlobStore, runId: string, itemIds: readonly number[] | 'all', options: { signal?: AbortSignal; progress?: (done: number, total: number) => void; now?: () => Date } = {}): Promise<{ runId: string; scored: number; skipped: number }> {
  const run = finishedRun(store, runId);
  const rows = store.db.prepare("SELECT id, blob_sha256 AS sha FROM dataset_items WHERE kind = 'png' AND blob_sha256 IS NOT NULL ORDER BY id").all() as { id: number; sha: string }[];
  const wanted = itemIds === 'all' ? null : new Set(itemIds);
  const items = wanted ? rows.filter((r) => wanted.has(r.id)) : rows;
  // Items that are not PNG patches (DICOM key frames) are not scored yet: they are counted, not hidden.
  const asked = wanted ? wanted.size : (store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number }).n;
  options.progress?.(0, items.length);
  const pixels = await preprocessImages(run, items.map((item) => () => blobs.read(item.sha)), options.signal);
  options.progress?.(Math.floor(items.length / 2), items.length);
  const scores = await scorePixels(run, pixels, items.length);
  const at = (options.now?.() ?? new Date()).toISOString();
  store.transaction(() => {
    const upsert = store.db.prepare('INSERT INTO item_scores (run_id, item_id, score, scored_at) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, item_id) DO UPDATE SET score = excluded.score, scored_at = excluded.scored_at');
    items.forEach((item, i) => upsert.run(runId, item.id, scores[i]!, at));
  });
  options.progress?.(items.length, items.length);
  return { runId, scored: items.length, skipped: Math.max(0, asked - items.length) };
}
