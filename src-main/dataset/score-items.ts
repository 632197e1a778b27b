// Scores a run's dataset items into the store and then ranks its "label next" list. Kept apart from
// model-scores.ts because the ranking reads the scorer: model-scores -> label-ranking -> model-scores would be a cycle.
import type { BlobStore, Store } from '../store/index.ts';
import { AppError } from '../ipc/index.ts';
import { rankLabelNext } from './label-ranking.ts';
import { finishedRun, openRunScorer, preprocessImages, type ScoreOptions } from './model-scores.ts';

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
