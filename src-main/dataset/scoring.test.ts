// Scoring a catalog with a finished run's model, as the app's dataset.score job does: real P-ADSD patches imported
// through ingest, a real (small) trained run. A cancelled job keeps the chunks it committed and scoring again
// finishes the rest without rescoring them; the scores equal a single uninterrupted pass; the "label next" list is
// ranked (uncertain and diverse) and "label next" walks it.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { IngestService } from '../ingest/service.ts';
import { BlobStore } from '../store/blobs.ts';
import { openStore } from '../store/index.ts';
import { parseTrainingConfig } from '../training/config.ts';
import { PREPROCESSING_VERSION } from '../preprocessing/index.ts';
import { executeRun } from '../training/run-job.ts';
import { insertRun, updateRun } from '../training/runs.ts';
import { padsdSource } from '../training/training-data.ts';
import { uncertaintyOf } from './curation-query.ts';
import { LABEL_LIST_LENGTH } from './label-ranking.ts';
import { finishedRun, openRunScorer, preprocessImages, scorePixels } from './model-scores.ts';
import { scoreItems } from './score-items.ts';
import { DatasetService } from './service.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-scoring-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = { progress: () => {}, throwIfCancelled: () => {} };

test('scoring is committed chunk by chunk, resumes after a cancel without rescoring, and ranks "label next"', { timeout: 300_000 }, async () => {
  const pool = join(root, 'pool');
  mkdirSync(pool);
  const unlabelled = join(sharedDataDir(), 'p-adsd', 'unlabeled');
  for (const name of readdirSync(unlabelled).sort().slice(0, 2000)) copyFileSync(join(unlabelled, name), join(pool, name));
  const dataDir = join(root, 'data');
  const store = openStore(dataDir);
  const ingest = new IngestService({ store, dataDir });
  await ingest.runImport('pool', { root: pool }, quiet);
  const blobs = new BlobStore(join(dataDir, 'blobs'));

  const config = parseTrainingConfig({ method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 32, seed: 3, finetune: { epochs: 2, maxStepsPerEpoch: 15, patience: 2 } });
  const runDir = join(root, 'run');
  const result = await executeRun({ runDir, config, source: padsdSource(sharedDataDir()), resume: false }, new AbortController().signal, () => {});
  insertRun(store, { id: 'run-a', config, dataset: padsdSource(sharedDataDir()), preprocessingVersion: PREPROCESSING_VERSION, codeVersion: 'test', runDir });
  updateRun(store, 'run-a', { status: 'succeeded', metrics: result.metrics, files: { model: result.files.model as string } });

  const count = () => (store.db.prepare("SELECT count(*) AS n FROM item_scores WHERE run_id = 'run-a'").get() as { n: number }).n;
  const controller = new AbortController();
  await assert.rejects(
    scoreItems(store, blobs, 'run-a', 'all', { signal: controller.signal, progress: (done) => done > 0 && controller.abort() }),
    (error: Error & { code?: string }) => error.code === 'cancelled' && /continues from there/.test(error.message),
  );
  const kept = count();
  assert.ok(kept > 0 && kept < 2000, `the first chunk was committed before the cancel (${kept} of 2000)`);

  const resumed = await scoreItems(store, blobs, 'run-a', 'all');
  assert.deepEqual({ scored: resumed.scored, cached: resumed.cached }, { scored: 2000 - kept, cached: kept }, 'only the rest was scored');
  assert.equal(count(), 2000);
  const again = await scoreItems(store, blobs, 'run-a', 'all');
  assert.deepEqual({ scored: again.scored, cached: again.cached }, { scored: 0, cached: 2000 }, 'a second pass is served from the store');

  // The same numbers as one uninterrupted pass over every item.
  const rows = store.db.prepare("SELECT s.item_id AS id, s.score, s.label_rank AS rank, d.blob_sha256 AS sha FROM item_scores s JOIN dataset_items d ON d.id = s.item_id WHERE s.run_id = 'run-a' ORDER BY s.item_id").all() as { id: number; score: number; rank: number | null; sha: string }[];
  const run = finishedRun(store, 'run-a');
  const straight = await scorePixels(run, await preprocessImages(run, rows.map((r) => () => blobs.read(r.sha))), rows.length);
  rows.forEach((row, i) => assert.ok(Math.abs(row.score - straight[i]!) < 1e-6, `item ${row.id}: ${row.score} vs ${straight[i]}`));

  // The list: LABEL_LIST_LENGTH distinct positions over unlabelled items, among the most uncertain, not simply
  // the uncertainty order (diversity moves near-copies down).
  const ranked = rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!);
  assert.equal(again.ranked, LABEL_LIST_LENGTH);
  assert.deepEqual(ranked.map((r) => r.rank), Array.from({ length: LABEL_LIST_LENGTH }, (_, i) => i + 1));
  const threshold = result.metrics!.threshold.threshold;
  const byUncertainty = [...rows].sort((a, b) => uncertaintyOf(b.score, threshold) - uncertaintyOf(a.score, threshold) || a.id - b.id);
  const meanUncertainty = (list: typeof rows) => list.reduce((n, r) => n + uncertaintyOf(r.score, threshold), 0) / list.length;
  const unranked = rows.filter((r) => r.rank === null);
  assert.ok(meanUncertainty(ranked) > meanUncertainty(unranked), `the list favours uncertain items (${meanUncertainty(ranked).toFixed(3)} vs ${meanUncertainty(unranked).toFixed(3)} off the list)`);
  // …and spreads out: its items lie further from their nearest neighbour in the list than the most uncertain ones do.
  const scorer = await openRunScorer(run);
  const spread = async (list: typeof rows) => {
    const { features, dim } = await scorer.embed(await preprocessImages(run, list.map((r) => () => blobs.read(r.sha))), list.length);
    const unit = (i: number) => {
      const row = features.subarray(i * dim, (i + 1) * dim);
      const norm = Math.hypot(...row) || 1;
      return Array.from(row, (v) => v / norm);
    };
    const rowsUnit = list.map((_, i) => unit(i));
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      let nearest = Infinity;
      for (let j = 0; j < list.length; j++) if (i !== j) nearest = Math.min(nearest, 1 - rowsUnit[i]!.reduce((n, v, k) => n + v * rowsUnit[j]![k]!, 0));
      total += nearest;
    }
    return total / list.length;
  };
  const listSpread = await spread(ranked);
  const uncertainSpread = await spread(byUncertainty.slice(0, LABEL_LIST_LENGTH));
  assert.ok(listSpread > uncertainSpread, `nearest-neighbour distance in the list ${listSpread.toFixed(4)} vs ${uncertainSpread.toFixed(4)} among the ${LABEL_LIST_LENGTH} most uncertain`);
  console.log(`# list: mean uncertainty ${meanUncertainty(ranked).toFixed(3)} (off the list ${meanUncertainty(unranked).toFixed(3)}), nearest-neighbour distance ${listSpread.toFixed(4)} vs ${uncertainSpread.toFixed(4)} by uncertainty alone`);
  assert.notDeepEqual(ranked.map((r) => r.id), byUncertainty.slice(0, LABEL_LIST_LENGTH).map((r) => r.id), 'diversity changed the pure uncertainty order');

  const service = new DatasetService({ store, dataDir, account: 'radiology' });
  const reader = service.addReader('Dr Rank', false);
  assert.equal(service.nextToLabel(reader.id, null).itemId, ranked[0]!.id, 'label next starts at the head of the list');
  service.label(reader.id, [ranked[0]!.id], 'negative');
  assert.equal(service.nextToLabel(reader.id, null).itemId, ranked[1]!.id, 'then the second');
  ingest.close();
  store.close();
});
