// Sliding-window scanning of a full frame with the patch model: every window (patch size and stride in frame
// pixels) goes through the same preprocessing as a patch, and the scores become a heatmap over the frame (mean of
// the windows covering each pixel) and the top regions (non-overlapping windows with the highest scores).
import { AppError } from '../../ipc/index.ts';
import type { GreyImage } from '../preprocess.ts';
import { checkImage, normaliseInto, prepareRegion, toGrey8 } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';

export interface ScanOptions {
  /** Window side and step in frame pixels (defaults 64 and 32). */
  patchSize?: number;
  stride?: number;
  /** How many top regions to report (default 5). */
  topRegions?: number;
  /** Windows per model call (default SCAN_WINDOWS_PER_CALL, scaled to the model's input side). */
  batch?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ScanRegion {
  x: number;
  y: number;
  size: number;
  probability: number;
}

export interface FrameScan {
  width: number;
  height: number;
  patchSize: number;
  stride: number;
  windowCount: number;
  /** Mean P(stenosis) of the windows covering each pixel, width × height. */
  heatmap: Float32Array;
  regions: ScanRegion[];
  maxProbability: number;
}

export const MAX_FRAME_SIDE = 4096;
/**
 * Windows per model call at a 64-px model input: a whole 1024² frame at stride 32 (961 windows) in four calls. One
 * call holds about 0.6 MB of encoder activations per window (MobileNetV2 at 64 px: a 961-window call grew the process
 * by 540 MB, a 256-window call by 140 MB), so the budget stops there and shrinks with the square of a larger input.
 */
export const SCAN_WINDOWS_PER_CALL = 256;

export function windowsPerCall(imageSize: number): number {
  return Math.max(1, Math.floor(SCAN_WINDOWS_PER_CALL * (64 / imageSize) ** 2));
}
/** Windows overlapping more than this (intersection over union) are one region. */
const REGION_OVERLAP = 0.25;

function starts(length: number, size: number, stride: number): number[] {
  const list: number[] = [];
  for (let p = 0; p + size < length; p += stride) list.push(p);
  list.push(length - size);
  return list;
}

function overlap(a: ScanRegion, b: ScanRegion): number {
  const w = Math.max(0, Math.min(a.x + a.size, b.x + b.size) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.size, b.y + b.size) - Math.max(a.y, b.y));
  return (w * h) / (a.size * a.size + b.size * b.size - w * h);
}

export function topRegions(windows: ScanRegion[], count: number): ScanRegion[] {
  const chosen: ScanRegion[] = [];
  for (const window of [...windows].sort((a, b) => b.probability - a.probability)) {
    if (chosen.length >= count) break;
    if (chosen.every((c) => overlap(c, window) <= REGION_OVERLAP)) chosen.push(window);
  }
  return chosen;
}

export async function scanFrame(runtime: ClassifierRuntime, frame: GreyImage, options: ScanOptions = {}): Promise<FrameScan> {
  const patchSize = options.patchSize ?? 64;
  const stride = options.stride ?? Math.max(1, patchSize >> 1);
  const { width, height } = frame;
  if (width > MAX_FRAME_SIDE || height > MAX_FRAME_SIDE || width < patchSize || height < patchSize) {
    throw new AppError('image-size-unexpected', `The frame is ${width}×${height}; scanning with ${patchSize}-pixel windows needs a frame between ${patchSize} and ${MAX_FRAME_SIDE} pixels on each side.`, { width, height, patchSize });
  }
  if (!(patchSize >= 8 && stride >= 1 && stride <= patchSize)) {
    throw new AppError('invalid-input', `Patch size ${patchSize} and stride ${stride} are not usable: use a patch of at least 8 pixels and a stride between 1 and the patch size.`);
  }
  checkImage(frame, 'the frame');
  const grey = toGrey8(frame);
  const S = runtime.imageSize;
  const spec = runtime.manifest.preprocessing;
  const windows = starts(height, patchSize, stride).flatMap((y) => starts(width, patchSize, stride).map((x) => ({ x, y, size: patchSize, probability: 0 })));
  const batchSize = options.batch ?? windowsPerCall(S);
  for (let start = 0; start < windows.length; start += batchSize) {
    if (options.signal?.aborted) throw new AppError('cancelled', 'The scan was cancelled.');
    const chunk = windows.slice(start, start + batchSize);
    const input = new Float32Array(chunk.length * S * S);
    chunk.forEach((w, b) => normaliseInto(prepareRegion(grey, width, w.x, w.y, patchSize, patchSize, spec), spec, input, b * S * S));
    const scores = (await runtime.predict(input, chunk.length)).probability;
    chunk.forEach((w, b) => (w.probability = scores[b]!));
    options.onProgress?.(Math.min(start + batchSize, windows.length), windows.length);
  }
  const sum = new Float32Array(width * height);
  const count = new Uint16Array(width * height);
  for (const w of windows) {
    for (let r = w.y; r < w.y + patchSize; r++) {
      for (let c = w.x; c < w.x + patchSize; c++) {
        sum[r * width + c]! += w.probability;
        count[r * width + c]!++;
      }
    }
  }
  const heatmap = sum.map((s, i) => s / count[i]!);
  return {
    width,
    height,
    patchSize,
    stride,
    windowCount: windows.length,
    heatmap,
    regions: topRegions(windows, options.topRegions ?? 5),
    maxProbability: Math.max(...windows.map((w) => w.probability)),
  };
}
