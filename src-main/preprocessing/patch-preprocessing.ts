// The one versioned input transform shared by training and inference: VOI to 8 bit, pad to square, resize to
// size × size (or, as options, native scale in a padded canvas and a per-image grey-level stretch). Its spec is stored
// with every model; inference refuses a model whose version it does not know.
import type { DecodedPng } from '../png/index.ts';
import { centreWithReplicatedBorders, padIntoCanvas } from './native-scale.ts';
import { stretchPercentiles } from './per-image-stretch.ts';
import { resizeSquare } from './resize.ts';

export { resizeSquare };

export const PREPROCESSING_VERSION = 'patch-v1';
/** patch-v1 plus the recorded fit and normalisation options; written only when an option differs from patch-v1. */
export const PREPROCESSING_OPTIONS_VERSION = 'patch-v2';
export type PreprocessingVersion = typeof PREPROCESSING_VERSION | typeof PREPROCESSING_OPTIONS_VERSION;

export interface PreprocessingOptions {
  /**
   * resize (patch-v1): the padded square is resized to size × size. pad: the patch keeps its native scale, centred in
   * the size × size canvas with replicated borders; only patches larger than the canvas shrink to fit.
   */
  fit?: 'resize' | 'pad';
  /** fixed (patch-v1): step 5 alone. per-image: step 4 first stretches each patch's 1st–99th percentile to 0–255. */
  normalisation?: 'fixed' | 'per-image';
}

/**
 * In order (patch-v1 is steps 1, 2, 3 and 5; patch-v2 records the options of steps 3 and 4):
 *  1. VOI → 8 bit: 8-bit grey as is; 16-bit: linear min–max window of the image (PNG patches carry no DICOM VOI);
 *     RGB: BT.601 luma.
 *  2. Pad to square, centred, replicating the border pixels: keeps vessel width/length ratios (no aspect
 *     distortion) and adds no black bars a model could learn as a cue.
 *  3. Resize to size × size: area averaging when shrinking (no aliasing of thin vessels), bilinear with
 *     half-pixel centres when enlarging. fit 'pad': centred in the canvas at native scale instead (native-scale.ts).
 *  4. normalisation 'per-image' only: the 1st–99th percentile stretch of the prepared patch (per-image-stretch.ts).
 *  5. Normalisation happens in the engine at batch time: (x / 255 − mean) / std.
 */
export interface PreprocessingSpec extends PreprocessingOptions {
  version: PreprocessingVersion;
  size: number;
  mean: number;
  std: number;
}

export function preprocessingSpec(size: number, options: PreprocessingOptions = {}): PreprocessingSpec {
  const fit = options.fit ?? 'resize';
  const normalisation = options.normalisation ?? 'fixed';
  // The defaults stay patch-v1 with no extra fields, so models, hashes and results made before the options are unchanged.
  if (fit === 'resize' && normalisation === 'fixed') return { version: PREPROCESSING_VERSION, size, mean: 0.5, std: 0.25 };
  return { version: PREPROCESSING_OPTIONS_VERSION, size, mean: 0.5, std: 0.25, fit, normalisation };
}

/** Whether this app prepares images the way `spec` says (a model file from a later app may not). */
export function isKnownPreprocessing(spec: Partial<PreprocessingSpec> | undefined): boolean {
  if (spec?.version === PREPROCESSING_VERSION) return true;
  return spec?.version === PREPROCESSING_OPTIONS_VERSION && (spec.fit === 'resize' || spec.fit === 'pad') && (spec.normalisation === 'fixed' || spec.normalisation === 'per-image');
}

/** Steps 1–4: a decoded PNG → size × size uint8, row-major. Pure. */
export function preprocessPatch(image: DecodedPng, spec: PreprocessingSpec): Uint8Array {
  if (!isKnownPreprocessing(spec)) throw new Error(`unknown preprocessing version ${spec.version}`);
  return fitPatch(toEightBit(image), image.width, image.height, spec);
}

/** Steps 2–4 on 8-bit grey pixels (width × height, row-major) → size × size uint8; the input is never modified. */
export function fitPatch(grey: Uint8Array, width: number, height: number, spec: PreprocessingSpec): Uint8Array {
  const { pixels, side } = padToSquare(grey, width, height);
  const fitted = spec.fit === 'pad' ? padIntoCanvas(pixels, side, spec.size) : resizeSquare(pixels, side, spec.size);
  return spec.normalisation === 'per-image' ? stretchPercentiles(fitted) : fitted;
}

export function toEightBit(image: DecodedPng): Uint8Array {
  const { width, height, channels, bitDepth, pixels } = image;
  const count = width * height;
  const luma = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    luma[i] = channels === 1
      ? (pixels[i] as number)
      : 0.299 * (pixels[3 * i] as number) + 0.587 * (pixels[3 * i + 1] as number) + 0.114 * (pixels[3 * i + 2] as number);
  }
  let low = 0;
  let high = 255;
  if (bitDepth === 16) {
    low = Infinity;
    high = -Infinity;
    for (const v of luma) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  const scale = high > low ? 255 / (high - low) : 0;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.round(Math.min(255, Math.max(0, ((luma[i] as number) - low) * scale)));
  return out;
}

export function padToSquare(pixels: Uint8Array, width: number, height: number): { pixels: Uint8Array; side: number } {
  const side = Math.max(width, height);
  if (width === height) return { pixels, side };
  return { pixels: centreWithReplicatedBorders(pixels, width, height, side), side };
}
