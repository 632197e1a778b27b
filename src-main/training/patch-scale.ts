// The physical size of a run's training patches. A split exported from the app's own boxes writes, beside its
// labelled images, each patch's side in millimetres at the isocenter (labeled/patch-scale.json); a model trained on
// it records the median side, so the scan can cover as much anatomy per window on a frame of any calibration.
// Only when every training patch has a scale: a mixture of sized and unsized patches (or P-ADSD, which has none)
// gives no honest single size, and the model stays in pixels.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export const PATCH_SCALE_FILE = 'patch-scale.json';

export interface PatchScaleFile {
  format: 'angio-patch-scale-1';
  /** Keyed by the image's path under labeled/ with forward slashes (train/positive/12.png). */
  files: Record<string, { mmPerPixel: number | null; sideMm: number | null }>;
}

export interface TrainingPatchScale {
  /** Median side in millimetres over the training patches; null unless every one has a scale. */
  sideMm: number | null;
  scaled: number;
  total: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Reads the scale of each training image from its split's scale file (labeled/<part>/<class>/<item>.png). */
export function trainingPatchScale(files: readonly string[]): TrainingPatchScale {
  const roots = new Map<string, PatchScaleFile | null>();
  const sides: number[] = [];
  for (const file of files) {
    const root = dirname(dirname(dirname(file)));
    if (!roots.has(root)) {
      const path = join(root, PATCH_SCALE_FILE);
      roots.set(root, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PatchScaleFile) : null);
    }
    const side = roots.get(root)?.files[relative(root, file).split(sep).join('/')]?.sideMm;
    if (typeof side === 'number' && Number.isFinite(side) && side > 0) sides.push(side);
  }
  const every = files.length > 0 && sides.length === files.length;
  return { sideMm: every ? median(sides) : null, scaled: sides.length, total: files.length };
}
