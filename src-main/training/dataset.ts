// Loads P-ADSD-style patch folders (<root>/<split>/{positive,negative}/*.png, and unlabelled folders) into one
// uint8 block per split, preprocessed once with the versioned transform, ready to hand to the engine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng } from '../imaging/png.ts';
import { AppError } from '../ipc/app-error.ts';
import { preprocessPatch, type PreprocessingSpec } from './preprocessing.ts';

export interface ImageSet {
  /** count × size × size, row-major uint8 (preprocessed, not normalised). */
  pixels: Uint8Array;
  /** 1 = stenosis (positive), 0 = no stenosis; null for unlabelled sets. */
  labels: Int32Array | null;
  files: string[];
  count: number;
}

export const CLASS_FOLDERS = { negative: 0, positive: 1 } as const;

function pngFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new AppError('dataset-missing', `The image folder ${dir} does not exist or cannot be read: check the dataset location.`);
  }
  return names.filter((name) => name.toLowerCase().endsWith('.png')).sort().map((name) => join(dir, name));
}

function loadFiles(files: string[], labels: number[] | null, spec: PreprocessingSpec): ImageSet {
  const plane = spec.size * spec.size;
  const pixels = new Uint8Array(files.length * plane);
  files.forEach((file, i) => pixels.set(preprocessPatch(decodePng(readFileSync(file), file), spec), i * plane));
  return { pixels, labels: labels ? Int32Array.from(labels) : null, files, count: files.length };
}

/** One labelled split (train/val/test). Throws empty-dataset or single-class: a classifier needs both. */
export function loadLabeledSplit(root: string, split: string, spec: PreprocessingSpec): ImageSet {
  const files: string[] = [];
  const labels: number[] = [];
  for (const [folder, label] of Object.entries(CLASS_FOLDERS)) {
    const dir = join(root, split, folder);
    let exists = false;
    try {
      exists = statSync(dir).isDirectory();
    } catch {
      exists = false;
    }
    if (!exists) continue;
    for (const file of pngFiles(dir)) {
      files.push(file);
      labels.push(label);
    }
  }
  if (files.length === 0) {
    throw new AppError('empty-dataset', `No PNG patches under ${join(root, split)}/{positive,negative}: add labelled images to the ${split} split.`);
  }
  const positives = labels.filter((l) => l === 1).length;
  if (positives === 0 || positives === labels.length) {
    throw new AppError('single-class', `The ${split} split under ${root} holds only ${positives === 0 ? 'negative' : 'positive'} patches: a classifier needs both classes.`, { split, positives, total: labels.length });
  }
  return loadFiles(files, labels, spec);
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
  return { pixels, labels: null, files: sets.flatMap((s) => s.files), count: sets.reduce((n, s) => n + s.count, 0) };
}
