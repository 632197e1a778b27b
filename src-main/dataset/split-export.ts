// A locked split as the training engine reads it: <dataDir>/splits/<name>-v<version>/labeled/<part>/<class>/<item>.png
// and unlabeled/<item>.png (unlabelled items of the train part only, so pretraining never sees a val/test patient).
// Binary by default (negative/positive); graded exports one folder per class of the class list, declared in
// labeled/classes.json. Files are hard links to the content-addressed blobs (copies where links fail); a marker
// makes it idempotent. Patches cut at a known scale are listed with it in labeled/patch-scale.json. The marker names
// the pictures it was made from: an item whose picture changed since (a patch recut under new Clean Pixel Data masks)
// makes the folder again rather than reuse the old picture.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import type { BlobStore, Store } from '../store/index.ts';
import { requireSplit } from './split-versions.ts';
import { classListTag, gradedTrainingClasses, itemClassIndex } from './split-classes.ts';
import { BINARY_CLASSES, CLASSES_FILE, classNames, PATCH_SCALE_FILE, type PatchScaleFile, type TrainingClassList } from '../training/index.ts';

export interface ExportedSplit {
  splitId: number;
  labeledRoot: string;
  unlabeledDir: string | null;
  counts: Record<'train' | 'val' | 'test', { positive: number; negative: number }> & { unlabeled: number; skipped: number };
  /** Class names in the engine's order (class 0: no stenosis) and, graded only, images per class in each part. */
  classNames: string[];
  classCounts: Record<'train' | 'val' | 'test', number[]> | null;
}

export type ExportClasses = 'binary' | 'graded';

const COMPLETE = '.complete.json';

export function exportSplit(store: Store, blobs: BlobStore, dataDir: string, splitId: number, classes: ExportClasses = 'binary'): ExportedSplit {
  const split = requireSplit(store, splitId);
  if (!split.lockedAt) throw new AppError('split-not-locked', `${split.name} v${split.version} is a draft: lock it before training, so the run can be reproduced.`);
  const safeName = split.name.replace(/[^A-Za-z0-9._-]+/g, '_');
  const classList: TrainingClassList | null = classes === 'graded' ? gradedTrainingClasses(store) : null;
  // Binary and graded exports of one split live side by side: runs of either kind keep their folder.
  const root = join(dataDir, 'splits', `${safeName}-v${split.version}-${split.id}${classList ? `-graded-${classListTag(classList)}` : ''}`);
  const labeledRoot = join(root, 'labeled');
  const unlabeledDir = join(root, 'unlabeled');
  const marker = join(root, COMPLETE);
  const rows = store.db
    .prepare(
      `SELECT i.item_id AS itemId, i.part, i.label, d.kind, d.blob_sha256 AS sha, p.class_name AS className, p.grade, p.mm_per_pixel AS mmPerPixel, p.side_mm AS sideMm FROM dataset_split_items i
       JOIN dataset_items d ON d.id = i.item_id LEFT JOIN annotation_patches p ON p.item_id = i.item_id WHERE i.split_id = ? ORDER BY i.item_id`,
    )
    .all(splitId) as { itemId: number; part: 'train' | 'val' | 'test'; label: 0 | 1 | null; kind: string; sha: string | null; className: string | null; grade: string | null; mmPerPixel: number | null; sideMm: number | null }[];
  const counts: ExportedSplit['counts'] = { train: { positive: 0, negative: 0 }, val: { positive: 0, negative: 0 }, test: { positive: 0, negative: 0 }, unlabeled: 0, skipped: 0 };
  const perClass = classList ? { train: classList.classes.map(() => 0), val: classList.classes.map(() => 0), test: classList.classes.map(() => 0) } : null;
  const ungraded: number[] = [];
  const plan: { from: string; to: string }[] = [];
  const scales: PatchScaleFile = { format: 'angio-patch-scale-1', files: {} };
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
      continue;
    }
    counts[row.part][row.label === 1 ? 'positive' : 'negative']++;
    let folder = row.label === 1 ? 'positive' : 'negative';
    if (classList && perClass) {
      const index = itemClassIndex(classList, row.label, row.className, row.grade);
      if (index === null) {
        ungraded.push(row.itemId);
        continue;
      }
      perClass[row.part][index]! += 1;
      folder = classList.classes[index]!.folder;
    }
    plan.push({ from: blobs.pathOf(row.sha), to: join(labeledRoot, row.part, folder, `${row.itemId}.png`) });
    scales.files[`${row.part}/${folder}/${row.itemId}.png`] = { mmPerPixel: row.mmPerPixel, sideMm: row.sideMm };
  }
  const scaled = Object.values(scales.files).some((f) => f.sideMm !== null);
  if (ungraded.length > 0) {
    throw new AppError(
      'split-ungraded',
      `${ungraded.length} stenosis item(s) of ${split.name} v${split.version} have no grade of the class list (e.g. item ${ungraded.slice(0, 5).join(', ')}): grade their boxes in the Viewer and regenerate the patches, or train with the binary class list.`,
      { itemIds: ungraded.slice(0, 50), count: ungraded.length },
    );
  }
  const result: ExportedSplit = {
    splitId, labeledRoot, unlabeledDir: counts.unlabeled > 0 ? unlabeledDir : null, counts,
    classNames: classNames(classList ?? BINARY_CLASSES), classCounts: perClass,
  };
  const contents = createHash('sha256').update(JSON.stringify(scaled ? { plan, scales } : plan)).digest('hex');
  if (existsSync(marker) && markerContents(marker) === contents) return result;
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
  if (classList) (mkdirSync(labeledRoot, { recursive: true }), writeFileSync(join(labeledRoot, CLASSES_FILE), JSON.stringify(classList, null, 2)));
  // Each image's millimetres per pixel and side in millimetres, where its source frame was calibrated.
  if (scaled) (mkdirSync(labeledRoot, { recursive: true }), writeFileSync(join(labeledRoot, PATCH_SCALE_FILE), JSON.stringify(scales, null, 2)));
  writeFileSync(marker, JSON.stringify({ splitId, name: split.name, version: split.version, counts, classNames: result.classNames, classCounts: perClass, contents }, null, 2));
  return result;
}

function markerContents(marker: string): string | null {
  try {
    return (JSON.parse(readFileSync(marker, 'utf8')) as { contents?: string }).contents ?? null;
  } catch {
    return null;
  }
}
