// Loads P-ADSD-style patch folders (<root>/<split>/{negative,positive}/*.png, or the folders of the root's
// classes.json for a graded class list; and unlabelled folders) into one
// uint8 block per split, preprocessed once with the versioned transform, ready to hand to the engine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng } from '../png/index.ts';
import { AppError } from '../ipc/index.ts';
import { preprocessPatch, type PreprocessingSpec } from '../preprocessing/index.ts';
import { readTrainingClassList, type TrainingClassList } from './training-classes.ts';

export interface ImageSet {
  /** count × size × size, row-major uint8 (preprocessed, not normalised). */
  pixels: Uint8Array;
  /** 1 = stenosis of any grade (positive), 0 = no stenosis; null for unlabelled sets. */
  labels: Int32Array | null;
  /** Class index in the folder's class list (class-list.ts); equals `labels` for a binary list. */
  classes: Int32Array | null;
  files: string[];
  count: number;
}

function pngFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new AppError('dataset-missing', `The image folder ${dir} does not exist or cannot be read: check the dataset location.`);
  }
  return names.filter((name) => name.toLowerCase().endsWith('.png')).sort().map((name) => join(dir, name));
}

function loadFiles(files: string[], classes: number[] | null, spec: PreprocessingSpec): ImageSet {
  const plane = spec.size * spec.size;
  const pixels = new Uint8Array(files.length * plane);
  files.forEach((file, i) => pixels.set(preprocessPatch(decodePng(readFileSync(file), file), spec), i * plane));
  return {
    pixels,
    labels: classes ? Int32Array.from(classes, (c) => (c > 0 ? 1 : 0)) : null,
    classes: classes ? Int32Array.from(classes) : null,
    files,
    count: files.length,
  };
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** One labelled split (train/val/test) in the root's class list. Throws empty-dataset, or single-class when it lacks either side. */
export function loadLabeledSplit(root: string, split: string, spec: PreprocessingSpec, classList: TrainingClassList = readTrainingClassList(root)): ImageSet {
  const files: string[] = [];
  const classes: number[] = [];
  classList.classes.forEach(({ folder }, index) => {
    const dir = join(root, split, folder);
    if (!isFolder(dir)) return;
    for (const file of pngFiles(dir)) {
      files.push(file);
      classes.push(index);
    }
  });
  const folders = classList.classes.map((c) => c.folder).join(',');
  if (files.length === 0) {
    throw new AppError('empty-dataset', `No PNG patches under ${join(root, split)}/{${folders}}: add labelled images to the ${split} split.`);
  }
  const positives = classes.filter((c) => c > 0).length;
  if (positives === 0 || positives === classes.length) {
    throw new AppError('single-class', `The ${split} split under ${root} holds only ${positives === 0 ? 'negative' : 'positive'} patches: a classifier needs both classes.`, { split, positives, total: classes.length });
  }
  return loadFiles(files, classes, spec);
}

/** Unlabelled patches for SimCLR; `limit` keeps the first N in name order (deterministic). */
export function loadUnlabeled(dir: string, spec: PreprocessingSpec, limit?: number): ImageSet {
  const files = pngFiles(dir).slice(0, limit ?? Infinity);
  if (files.length === 0) throw new AppError('empty-dataset', `No PNG patches in ${dir}: SimCLR pretraining needs unlabelled images.`);
  return loadFiles(files, null, spec);
}

/** Concatenates sets (labels dropped): the pretraining pool is unlabelled ∪ labelled-train images. */
export function poolImages(sets: ImageSet[]): ImageSet {
  const total = sets.reduce((n, s) => n + s.pixels.length, 0);
  const pixels = new Uint8Array(total);
  let offset = 0;
  for (const s of sets) {
    pixels.set(s.pixels, offset);
    offset += s.pixels.length;
  }
  return { pixels, labels: null, classes: null, files: sets.flatMap((s) => s.files), count: sets.reduce((n, s) => n + s.count, 0) };
}
