// A locked split as the training engine reads it: <dataDir>/splits/<name>-v<version>/labeled/<part>/<class>/<item>.png
// and unlabeled/<item>.png (unlabelled items of the train part only, so pretraining never sees a val/test patient).
// Files are hard links to the content-addressed blobs (copies where links fail); a marker makes it idempotent.
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../ipc/app-error.ts';
import type { BlobStore } from '../store/blobs.ts';
import type { Store } from '../store/database.ts';
import { requireSplit } from './split-versions.ts';

export interface ExportedSplit {
  splitId: number;
  labeledRoot: string;
  unlabeledDir: string | null;
  counts: Record<'train' | 'val' | 'test', { positive: number; negative: number }> & { unlabeled: number; skipped: number };
}

const COMPLETE = '.complete.json';

export function exportSplit(store: Store, blobs: BlobStore, dataDir: string, splitId: number): ExportedSplit {
  const split = requireSplit(store, splitId);
  if (!split.lockedAt) throw new AppError('split-not-locked', `${split.name} v${split.version} is a draft: lock it before training, so the run can be reproduced.`);
  const safeName = split.name.replace(/[^A-Za-z0-9._-]+/g, '_');
  const root = join(dataDir, 'splits', `${safeName}-v${split.version}-${split.id}`);
  const labeledRoot = join(root, 'labeled');
  const unlabeledDir = join(root, 'unlabeled');
  const marker = join(root, COMPLETE);
  const rows = store.db
    .prepare(
      `SELECT i.item_id AS itemId, i.part, i.label, d.kind, d.blob_sha256 AS sha FROM dataset_split_items i
       JOIN dataset_items d ON d.id = i.item_id WHERE i.split_id = ? ORDER BY i.item_id`,
    )
    .all(splitId) as { itemId: number; part: 'train' | 'val' | 'test'; label: 0 | 1 | null; kind: string; sha: string | null }[];
  const counts: ExportedSplit['counts'] = { train: { positive: 0, negative: 0 }, val: { positive: 0, negative: 0 }, test: { positive: 0, negative: 0 }, unlabeled: 0, skipped: 0 };
  const plan: { from: string; to: string }[] = [];
  for (const row of rows) {
    // Only PNG patches are exported so far; DICOM key frames are counted as skipped.
    if (row.kind !== 'png' || !row.sha) {
      counts.skipped++;
      continue;
    }
    if (row.label === null) {
      if (row.part !== 'train') continue;
      counts.unlabeled++;
      plan.push({ from: blobs.pathOf(row.sha), to: join(unlabeledDir, `${row.itemId}.png`) });
    } else {
      const cls = row.label === 1 ? 'positive' : 'negative';
      counts[row.part][cls]++;
      plan.push({ from: blobs.pathOf(row.sha), to: join(labeledRoot, row.part, cls, `${row.itemId}.png`) });
    }
  }
  const result = { splitId, labeledRoot, unlabeledDir: counts.unlabeled > 0 ? unlabeledDir : null, counts };
  if (existsSync(marker)) return result;
  rmSync(root, { recursive: true, force: true });
  const made = new Set<string>();
  for (const { from, to } of plan) {
    const dir = dirname(to);
    if (!made.has(dir)) (mkdirSync(dir, { recursive: true }), made.add(dir));
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
  writeFileSync(marker, JSON.stringify({ splitId, name: split.name, version: split.version, counts }, null, 2));
  return result;
}
