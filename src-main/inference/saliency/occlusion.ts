// Occlusion saliency through the whole model (encoder, quantum layer, head): slide a square over the model input,
// fill it with the image's mean, and record how far P(stenosis) falls. At 64 px the encoder's last feature map is
// 2×2, far too coarse for Grad-CAM; occlusion needs no gradients and resolves evidence to the window's stride.
import type { GreyImage } from '../preprocess.ts';
import { preprocessImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import type { ColourScale } from './colour-scale.ts';
import { evidenceOverlay, evidenceScale } from './colour-scale.ts';
import { resampleMap } from './resample-map.ts';

export interface OcclusionOptions {
  /** Occluding square and its step, in model pixels (defaults 8 and 4 at S = 64). */
  window?: number;
  stride?: number;
}

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
}

function positions(side: number, window: number, stride: number): number[] {
  const list: number[] = [];
  for (let p = 0; p + window < side; p += stride) list.push(p);
  list.push(side - window);
  return list;
}

/** The occluded copies of one image, ready for the model: batch × S × S after the unoccluded input itself. */
export interface OcclusionWindows {
  /** The image's own model input (S × S). */
  input: Float32Array;
  /** Top-left corners of the occluding squares, in model pixels. */
  windows: (readonly [number, number])[];
  window: number;
  /** One occluded copy of `input` per window, windows.length × S × S. */
  occluded: Float32Array;
}

export function occlusionWindows(runtime: ClassifierRuntime, image: GreyImage, options: OcclusionOptions = {}): OcclusionWindows {
  const S = runtime.imageSize;
  const window = options.window ?? Math.max(2, Math.round(S / 8));
  const stride = options.stride ?? Math.max(1, Math.round(window / 2));
  const { input } = preprocessImage(image, runtime.manifest.preprocessing);
  const fill = input.reduce((a, b) => a + b, 0) / input.length;
  const windows = positions(S, window, stride).flatMap((y) => positions(S, window, stride).map((x) => [x, y] as const));
  const occluded = new Float32Array(windows.length * S * S);
  windows.forEach(([x, y], b) => {
    occluded.set(input, b * S * S);
    for (let r = y; r < y + window; r++) occluded.fill(fill, b * S * S + r * S + x, b * S * S + r * S + x + window);
  });
  return { input, windows, window, occluded };
}

/** The map from the unoccluded score `base` and the occluded copies' scores (one per window, in order). */
export function occlusionMap(runtime: ClassifierRuntime, image: GreyImage, occlusion: OcclusionWindows, base: number, scores: Float32Array): SaliencyResult {
  const S = runtime.imageSize;
  const { window } = occlusion;
  const sum = new Float64Array(S * S);
  const count = new Float64Array(S * S);
  occlusion.windows.forEach(([x, y], b) => {
    const drop = base - scores[b]!;
    for (let r = y; r < y + window; r++) {
      for (let c = x; c < x + window; c++) {
        sum[r * S + c]! += drop;
        count[r * S + c]! += 1;
      }
    }
  });
  const modelValues = Float32Array.from(sum, (s, i) => s / count[i]!);
  const values = resampleMap(modelValues, S, S, image.width, image.height);
  const scale = evidenceScale(values, 'change in P(stenosis) when hidden');
  return { probability: base, width: image.width, height: image.height, values, modelValues, scale, overlay: evidenceOverlay(values, scale) };
}

/** The image and all its occluded copies go through the model as one batch (1 + windows rows, 226 at S = 64). */
export async function occlusionSaliency(runtime: ClassifierRuntime, image: GreyImage, options: OcclusionOptions = {}): Promise<SaliencyResult> {
  const S = runtime.imageSize;
  const occlusion = occlusionWindows(runtime, image, options);
  const batch = new Float32Array((1 + occlusion.windows.length) * S * S);
  batch.set(occlusion.input);
  batch.set(occlusion.occluded, S * S);
  const scores = (await runtime.predict(batch, 1 + occlusion.windows.length)).probability;
  return occlusionMap(runtime, image, occlusion, scores[0]!, scores.subarray(1));
}
