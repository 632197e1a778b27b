// The run's "label next" list: the most uncertain unlabelled items, picked greedily so that each is also far (in
// the run's encoder feature space) from the labelled items and from earlier picks (rankForLabelling), so a batch
// of labels is not spent on near-copies of one confusing image. Stored as item_scores.label_rank.
import { AppError } from '../ipc/index.ts';
import { rankForLabelling } from '../inference/index.ts';
import type { BlobStore, Store } from '../store/index.ts';
import type { RunRecord } from '../training/index.ts';
import { loadItemFacts } from './item-facts.ts';
import { preprocessImages, runThreshold, uncertaintyOf, type RunScorer } from './model-scores.ts';

/** How many items the list holds: a few labelling sessions; scoring again after training re-ranks. */
export const LABEL_LIST_LENGTH = 200;
/** Uncertainty decides which items may enter the list (this many of the most uncertain), diversity then spreads
 * the picks among them; it also bounds the greedy pick's cost (list length × candidates × features). */
const CANDIDATES = 3 * LABEL_LIST_LENGTH;
/** Labelled items whose features the first picks keep away from (evenly spread over the catalog). */
const LABELLED_REFERENCE = 500;

function evenlySpread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

async function featuresOf(store: Store, blobs: BlobStore, run: RunRecord, scorer: RunScorer, ids: readonly number[], signal?: AbortSignal): Promise<{ features: Float32Array; dim: number }> {
  if (ids.length === 0) return { features: new Float32Array(0), dim: 0 };
  const sha = store.db.prepare('SELECT blob_sha256 AS sha FROM dataset_items WHERE id = ?');
  const sources = ids.map((id) => () => blobs.read((sha.get(id) as { sha: string }).sha));
  return scorer.embed(await preprocessImages(run, sources, signal), ids.length);
}

/** Ranks the run's unlabelled scored items; returns how many were ranked. */
export async function rankLabelNext(store: Store, blobs: BlobStore, run: RunRecord, scorer: RunScorer, signal?: AbortSignal): Promise<number> {
  const threshold = runThreshold(run);
  const scores = new Map((store.db.prepare('SELECT item_id AS id, score FROM item_scores WHERE run_id = ?').all(run.id) as { id: number; score: number }[]).map((r) => [r.id, r.score]));
  const facts = loadItemFacts(store);
  const unlabelled = facts.filter((f) => f.sourceLabel === null && f.adjudicated === null && f.readers.size === 0 && scores.has(f.id));
  const candidates = unlabelled
    .map((f) => ({ id: f.id, uncertainty: uncertaintyOf(scores.get(f.id)!, threshold), score: scores.get(f.id)! }))
    .sort((a, b) => b.uncertainty - a.uncertainty || a.id - b.id)
    .slice(0, CANDIDATES);
  const labelled = evenlySpread(facts.filter((f) => (f.reference === 'positive' || f.reference === 'negative') && scores.has(f.id)).map((f) => f.id), LABELLED_REFERENCE);
  let ranking: number[] = [];
  if (candidates.length > 0) {
    const pool = await featuresOf(store, blobs, run, scorer, candidates.map((c) => c.id), signal);
    const known = await featuresOf(store, blobs, run, scorer, labelled, signal);
    if (signal?.aborted) throw new AppError('cancelled', 'Ranking was cancelled; the scores are kept.');
    ranking = rankForLabelling({
      uncertainty: candidates.map((c) => c.uncertainty),
      meanProbability: candidates.map((c) => c.score),
      features: pool.features,
      featureDim: pool.dim,
      labelledFeatures: known.features,
      count: LABEL_LIST_LENGTH,
    }).map((pick) => candidates[pick.index]!.id);
  }
  store.transaction(() => {
    store.db.prepare('UPDATE item_scores SET label_rank = NULL WHERE run_id = ?').run(run.id);
    const set = store.db.prepare('UPDATE item_scores SET label_rank = ? WHERE run_id = ? AND item_id = ?');
    ranking.forEach((id, i) => set.run(i + 1, run.id, id));
  });
  return ranking.length;
}
