// P-ADSD patches from the shared data as grey images, in a stable (sorted) order, for tests and benchmarks.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../app/paths.ts';
import { decodePng } from '../../png/png.ts';
import { toEightBit } from '../../preprocessing/index.ts';
import type { GreyImage } from '../preprocess.ts';

export interface LabelledPatch {
  image: GreyImage;
  label: 0 | 1;
  path: string;
}

export function readGreyPng(path: string): GreyImage {
  const png = decodePng(readFileSync(path), path);
  // Colour PNGs become grey as training makes them (BT.601 luma), so a patch scores as it trained.
  return { width: png.width, height: png.height, pixels: png.channels === 1 ? png.pixels : toEightBit(png) };
}

/** Up to `perClass` negatives then positives of a labelled split (train, val, test). */
export function labelledPatches(split: 'train' | 'val' | 'test', perClass: number): LabelledPatch[] {
  const root = join(sharedDataDir(), 'p-adsd', 'labeled', split);
  return (['negative', 'positive'] as const).flatMap((kind, label) =>
    readdirSync(join(root, kind)).sort().slice(0, perClass).map((file) => {
      const path = join(root, kind, file);
      return { image: readGreyPng(path), label: label as 0 | 1, path };
    }),
  );
}

export function unlabelledPatches(count: number, offset = 0): LabelledPatch[] {
  const root = join(sharedDataDir(), 'p-adsd', 'unlabeled');
  return readdirSync(root).sort().slice(offset, offset + count).map((file) => ({ image: readGreyPng(join(root, file)), label: 0, path: join(root, file) }));
}
