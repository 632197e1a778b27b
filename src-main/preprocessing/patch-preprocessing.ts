// The one versioned input transform shared by training and inference: VOI to 8 bit, pad to square, resize to
// size × size. Its spec is stored with every model; inference refuses a model whose version it does not know.
import type { DecodedPng } from '../png/index.ts';

export const PREPROCESSING_VERSION = 'patch-v1';

/**
 * patch-v1, in order:
 *  1. VOI → 8 bit: 8-bit grey as is; 16-bit: linear min–max window of the image (PNG patches carry no DICOM VOI);
 *     RGB: BT.601 luma.
 *  2. Pad to square, centred, replicating the border pixels: keeps vessel width/length ratios (no aspect
 *     distortion) and adds no black bars a model could learn as a cue.
 *  3. Resize to size × size: area averaging when shrinking (no aliasing of thin vessels), bilinear with
 *     half-pixel centres when enlarging.
 *  4. Normalisation happens in the engine at batch time: (x / 255 − mean) / std.
 */
export interface PreprocessingSpec {
  version: typeof PREPROCESSING_VERSION;
  size: number;
  mean: number;
  std: number;
}

export function preprocessingSpec(size: number): PreprocessingSpec {
  return { version: PREPROCESSING_VERSION, size, mean: 0.5, std: 0.25 };
}

/** Steps 1–3: a decoded PNG → size × size uint8, row-major. Pure. */
export function preprocessPatch(image: DecodedPng, spec: PreprocessingSpec): Uint8Array {
  if (spec.version !== PREPROCESSING_VERSION) throw new Error(`unknown preprocessing version ${spec.version}`);
  const grey = toEightBit(image);
  const { pixels, side } = padToSquare(grey, image.width, image.height);
  return resizeSquare(pixels, side, spec.size);
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
  const left = Math.floor((side - width) / 2);
  const top = Math.floor((side - height) / 2);
  const out = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - top));
    for (let x = 0; x < side; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - left));
      out[y * side + x] = pixels[sy * width + sx] as number;
    }
  }
  return { pixels: out, side };
}

/** Per output index: source indices and weights along one axis (area when shrinking, bilinear when enlarging). */
function axisWeights(from: number, to: number): { index: number[]; weight: number[] }[] {
  const taps: { index: number[]; weight: number[] }[] = [];
  const ratio = from / to;
  for (let j = 0; j < to; j++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (ratio >= 1) {
      const start = j * ratio;
      const end = (j + 1) * ratio;
      for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 1e-12) {
          index.push(i);
          weight.push(overlap / ratio);
        }
      }
    } else {
      const centre = Math.min(from - 1, Math.max(0, (j + 0.5) * ratio - 0.5));
      const i0 = Math.floor(centre);
      const i1 = Math.min(from - 1, i0 + 1);
      const f = centre - i0;
      index.push(i0, i1);
      weight.push(1 - f, f);
    }
    taps.push({ index, weight });
  }
  return taps;
}

export function resizeSquare(pixels: Uint8Array, from: number, to: number): Uint8Array {
  if (from === to) return pixels.slice();
  const taps = axisWeights(from, to);
  const rows = new Float64Array(from * to); // horizontal pass: from rows × to columns
  for (let y = 0; y < from; y++) {
    for (let x = 0; x < to; x++) {
      const { index, weight } = taps[x] as { index: number[]; weight: number[] };
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += (pixels[y * from + (index[k] as number)] as number) * (weight[k] as number);
      rows[y * to + x] = sum;
    }
  }
  const out = new Uint8Array(to * to);
  for (let y = 0; y < to; y++) {
    const { index, weight } = taps[y] as { index: number[]; weight: number[] };
    for (let x = 0; x < to; x++) {
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += (rows[(index[k] as number) * to + x] as number) * (weight[k] as number);
      out[y * to + x] = Math.round(Math.min(255, Math.max(0, sum)));
    }
  }
  return out;
}
