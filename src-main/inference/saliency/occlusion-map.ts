// The pieces of occlusion saliency: the grid of occluding squares over the model input, the occluded copies of an
// image, and the map from their scores (each pixel: the mean score drop of the squares that hid it), aligned to the
// source pixels. Which squares are scored in which model call is occlusion.ts's business.
import type { GreyImage } from '../preprocess.ts';
import { preprocessImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import type { ColourScale } from './colour-scale.ts';
import { evidenceOverlay, evidenceScale } from './colour-scale.ts';
import { sourceMap } from './resample-map.ts';

export interface OcclusionOptions {
  /** Occluding square and its step, in model pixels (defaults 8 and 4 at S = 64). */
  window?: number;
  stride?: number;
}

/** 'coarse': squares twice the fine side, laid side by side, drawn first; 'fine': the requested squares and step. */
export type SaliencyDetail = 'coarse' | 'fine';

export interface SaliencyResult {
  /** P(stenosis) of the unoccluded image. */
  probability: number;
  /** Score drop when each source pixel's neighbourhood is hidden (positive: evidence for stenosis), width × height. */
  width: number;
  height: number;
  values: Float32Array;
  /** The same at model resolution (S × S), for tests and comparison. */
  modelValues: Float32Array;
  scale: ColourScale;
  /** RGBA, width × height × 4, on `scale`. */
  overlay: Uint8Array;
  detail: SaliencyDetail;
  /** The occluding square's side and step, in model pixels. */
  window: number;
  stride: number;
}

/** Top-left corners of the squares along one side: every `stride`, and the last one flush with the edge. */
function positions(side: number, window: number, stride: number): number[] {
  const list: number[] = [];
  for (let p = 0; p + window < side; p += stride) list.push(p);
  list.push(side - window);
  return list;
}

export interface WindowGrid {
  window: number;
  stride: number;
  /** Top-left corners of the occluding squares, in model pixels, row by row. */
  windows: (readonly [number, number])[];
}

/** The squares for `options` on an S × S model input. */
export function windowGrid(S: number, options: OcclusionOptions = {}): WindowGrid {
  const window = options.window ?? Math.max(2, Math.round(S / 8));
  const stride = options.stride ?? Math.max(1, Math.round(window / 2));
  const windows = positions(S, window, stride).flatMap((y) => positions(S, window, stride).map((x) => [x, y] as const));
  return { window, stride, windows };
}

/** One copy of `input` (S × S) per square, the square filled with the input's mean: windows.length × S × S. */
export function occludedCopies(input: Float32Array, S: number, windows: readonly (readonly [number, number])[], window: number): Float32Array {
  const fill = input.reduce((a, b) => a + b, 0) / input.length;
  const occluded = new Float32Array(windows.length * S * S);
  windows.forEach(([x, y], b) => {
    occluded.set(input, b * S * S);
    for (let r = y; r < y + window; r++) occluded.fill(fill, b * S * S + r * S + x, b * S * S + r * S + x + window);
  });
  return occluded;
}

/** The occluded copies of one image, ready for the model: batch × S × S after the unoccluded input itself. */
export interface OcclusionWindows extends WindowGrid {
  /** The image's own model input (S × S). */
  input: Float32Array;
  /** One occluded copy of `input` per window, windows.length × S × S. */
  occluded: Float32Array;
}

export function occlusionWindows(runtime: ClassifierRuntime, image: GreyImage, options: OcclusionOptions = {}): OcclusionWindows {
  const S = runtime.imageSize;
  const grid = windowGrid(S, options);
  const { input } = preprocessImage(image, runtime.manifest.preprocessing);
  return { ...grid, input, occluded: occludedCopies(input, S, grid.windows, grid.window) };
}

/** The map from the unoccluded score `base` and the occluded copies' scores (one per window, in order). */
export function occlusionMap(runtime: ClassifierRuntime, image: GreyImage, grid: WindowGrid, base: number, scores: Float32Array, detail: SaliencyDetail = 'fine'): SaliencyResult {
  const S = runtime.imageSize;
  const { window, stride } = grid;
  const sum = new Float64Array(S * S);
  const count = new Float64Array(S * S);
  grid.windows.forEach(([x, y], b) => {
    const drop = base - scores[b]!;
    for (let r = y; r < y + window; r++) {
      for (let c = x; c < x + window; c++) {
        sum[r * S + c]! += drop;
        count[r * S + c]! += 1;
      }
    }
  });
  const modelValues = Float32Array.from(sum, (s, i) => s / count[i]!);
  // Native-scale models place the patch unscaled in the canvas: read the map back where each pixel went.
  const values = sourceMap(modelValues, S, image.width, image.height, runtime.manifest.preprocessing);
  const scale = evidenceScale(values, 'change in P(stenosis) when hidden');
  return { probability: base, width: image.width, height: image.height, values, modelValues, scale, overlay: evidenceOverlay(values, scale), detail, window, stride };
}
