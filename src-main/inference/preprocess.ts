// Model input from source pixels, through training's versioned preprocessing (src-main/preprocessing): 8-bit grey,
// pad to square, resize to S (or the model's recorded native-scale canvas and per-image stretch), uint8; then
// (x/255 − mean)/std as the engine does at batch time. Frames are brought to 8 bit once (the frame's window, not each
// window's) and windows then take steps 2–4 like a patch.
import { AppError } from '../ipc/index.ts';
import { fitPatch, PREPROCESSING_VERSION, padToSquare, preprocessingSpec, resizeSquare, toEightBit, type PreprocessingSpec } from '../preprocessing/index.ts';

export { PREPROCESSING_VERSION, type PreprocessingSpec };

/** One grey channel, row-major. 16-bit samples are windowed; 8-bit are used as they are. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array | Uint16Array;
}

export function defaultPreprocessing(imageSize = 64): PreprocessingSpec {
  return preprocessingSpec(imageSize);
}

/** Checks size and content: a zero-sized image or one with a single grey level carries nothing to score. */
export function checkImage(image: GreyImage, source = 'image'): void {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || pixels.length !== width * height) {
    throw new AppError('image-size-unexpected', `${source} is ${width}×${height} with ${pixels.length} samples; expected one grey sample per pixel. Decode it as a single-channel image.`, { width, height, samples: pixels.length });
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) {
    throw new AppError('empty-frame', `${source} holds a single grey level (${min}) everywhere: nothing to score. Pick a frame with contrast-filled vessels.`, { value: min });
  }
}

/** Step 1 of the preprocessing: 8-bit grey levels (16-bit: the image's min–max window). */
export function toGrey8(image: GreyImage): Uint8Array {
  const bitDepth = image.pixels instanceof Uint16Array ? 16 : 8;
  return toEightBit({ width: image.width, height: image.height, channels: 1, bitDepth, pixels: image.pixels });
}

/** The pixels of the region (x, y, w, h) of an 8-bit image `stride` pixels wide, row-major (the image itself when whole). */
function cropRegion(grey: Uint8Array, stride: number, x: number, y: number, w: number, h: number): Uint8Array {
  if (x === 0 && y === 0 && w === stride && h * stride === grey.length) return grey;
  const region = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) region.set(grey.subarray((y + r) * stride + x, (y + r) * stride + x + w), r * w);
  return region;
}

/** Steps 2–3 of patch-v1 on the region (x, y, w, h) of an 8-bit image `stride` pixels wide: pad to square, resize to side. */
export function resampleRegion(grey: Uint8Array, stride: number, x: number, y: number, w: number, h: number, side: number): Uint8Array {
  const square = padToSquare(cropRegion(grey, stride, x, y, w, h), w, h);
  return resizeSquare(square.pixels, square.side, side);
}

/** Steps 2–4 as `spec` records them on the region (x, y, w, h): what training made of the same pixels saved as a patch. */
export function prepareRegion(grey: Uint8Array, stride: number, x: number, y: number, w: number, h: number, spec: PreprocessingSpec): Uint8Array {
  return fitPatch(cropRegion(grey, stride, x, y, w, h), w, h, spec);
}

/** (x/255 − mean)/std into `out` at `offset` (one 1 × S × S plane of a batch). */
export function normaliseInto(patch: Uint8Array, spec: PreprocessingSpec, out: Float32Array, offset: number): void {
  const scale = 1 / (255 * spec.std);
  const shift = spec.mean / spec.std;
  for (let i = 0; i < patch.length; i++) out[offset + i] = patch[i]! * scale - shift;
}

/** A whole image (a patch from the data set) to one normalised S × S plane and the uint8 patch it came from. */
export function preprocessImage(image: GreyImage, spec: PreprocessingSpec, source = 'image'): { patch: Uint8Array; input: Float32Array } {
  checkImage(image, source);
  const grey = toGrey8(image);
  const patch = prepareRegion(grey, image.width, 0, 0, image.width, image.height, spec);
  const input = new Float32Array(spec.size * spec.size);
  normaliseInto(patch, spec, input, 0);
  return { patch, input };
}
