// Stored pixel values to display grey levels, in the renderer: modality rescale, the VOI window of PS3.3 C.11.2.1.2
// (LINEAR as dcmtk's dcmj2pnm computes it, LINEAR_EXACT, SIGMOID), optional inversion, and shutters blacked out.
// Pure functions over typed arrays so that the mapping is unit-tested and checked against dcmtk end to end.

export interface VoiWindow {
  center: number;
  width: number;
}

export interface StoredRange {
  bitsStored: number;
  signed: boolean;
}

/** VOI LUT Function (0028,1056); absent means LINEAR. */
export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface GreyMapping extends StoredRange {
  rescale: { slope: number; intercept: number };
  window: VoiWindow;
  voiFunction?: VoiFunction;
  /** MONOCHROME1 images are inverted once by the photometric interpretation; the user's invert flips that again. */
  invert: boolean;
}

/** A lookup table from every possible stored value (offset by `first`) to an opaque RGBA pixel (little endian). */
export interface GreyLut {
  first: number;
  rgba: Uint32Array;
}

/** The linear VOI function of PS3.3 C.11.2.1.2.1 with y in [0, 255], before rounding. */
export function linearVoi(x: number, center: number, width: number): number {
  // Width 1 (the least DICOM allows) leaves the pseudo-code a threshold: x <= c − ½ is ymin, anything above is ymax.
  if (width <= 1) return x <= center - 0.5 ? 0 : 255;
  const c = center - 0.5;
  const w = width - 1;
  if (x <= c - w / 2) return 0;
  if (x > c + w / 2) return 255;
  return ((x - c) / w + 0.5) * 255;
}

/** LINEAR_EXACT (PS3.3 C.11.2.1.3.2): the window's edges exactly at c ± w/2, with y in [0, 255], before rounding. */
export function linearExactVoi(x: number, center: number, width: number): number {
  if (x <= center - width / 2) return 0;
  if (x > center + width / 2) return 255;
  return ((x - center) / width + 0.5) * 255;
}

/** SIGMOID (PS3.3 C.11.2.1.3.1): y = 255 / (1 + exp(−4 (x − c) / w)), before rounding. */
export function sigmoidVoi(x: number, center: number, width: number): number {
  return 255 / (1 + Math.exp((-4 * (x - center)) / width));
}

const VOI_FUNCTIONS: Record<VoiFunction, (x: number, center: number, width: number) => number> = {
  LINEAR: linearVoi,
  LINEAR_EXACT: linearExactVoi,
  SIGMOID: sigmoidVoi,
};

export function storedBounds({ bitsStored, signed }: StoredRange): { min: number; max: number } {
  return signed ? { min: -(2 ** (bitsStored - 1)), max: 2 ** (bitsStored - 1) - 1 } : { min: 0, max: 2 ** bitsStored - 1 };
}

const opaqueGrey = (grey: number): number => (0xff000000 | (grey << 16) | (grey << 8) | grey) >>> 0;

export function buildGreyLut(mapping: GreyMapping): GreyLut {
  const { min, max } = storedBounds(mapping);
  const { slope, intercept } = mapping.rescale;
  const voi = VOI_FUNCTIONS[mapping.voiFunction ?? 'LINEAR'];
  const rgba = new Uint32Array(max - min + 1);
  for (let stored = min; stored <= max; stored++) {
    const grey = Math.round(voi(stored * slope + intercept, mapping.window.center, mapping.window.width));
    rgba[stored - min] = opaqueGrey(mapping.invert ? 255 - grey : grey);
  }
  return { first: min, rgba };
}

/** Maps stored samples through the LUT into `out` (RGBA pixels as Uint32, one per sample); out-of-range values clamp. */
export function renderGrey(samples: ArrayLike<number>, lut: GreyLut, out: Uint32Array): void {
  const last = lut.rgba.length - 1;
  const { first, rgba } = lut;
  for (let i = 0; i < samples.length; i++) {
    let index = (samples[i] as number) - first;
    if (index < 0) index = 0;
    else if (index > last) index = last;
    out[i] = rgba[index] as number;
  }
}

/** Interleaved RGB samples (8 or 16 bits) into RGBA pixels; colour images take no window, only inversion. */
export function renderRgb(samples: ArrayLike<number>, bits: 8 | 16, invert: boolean, out: Uint32Array): void {
  const shift = bits === 16 ? 8 : 0;
  for (let i = 0, p = 0; p < out.length; i += 3, p++) {
    let r = (samples[i] as number) >> shift;
    let g = (samples[i + 1] as number) >> shift;
    let b = (samples[i + 2] as number) >> shift;
    if (invert) [r, g, b] = [255 - r, 255 - g, 255 - b];
    out[p] = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
  }
}

/** The window spanning [low, high] modality values (PS3.3 C.11.2.1.2.1 note: width = high − low + 1). */
export function windowSpanning(low: number, high: number): VoiWindow {
  return { center: (low + high + 1) / 2, width: Math.max(1, high - low + 1) };
}

/** Every value the stored bits can hold, after rescale: nothing clipped. */
export function fullRangeWindow(range: StoredRange, rescale: { slope: number; intercept: number }): VoiWindow {
  const { min, max } = storedBounds(range);
  const a = min * rescale.slope + rescale.intercept;
  const b = max * rescale.slope + rescale.intercept;
  return windowSpanning(Math.min(a, b), Math.max(a, b));
}

/**
 * The angiography default: the 1st to 99th percentile of the frame's modality values, so contrast-filled vessels
 * against the background use the whole grey scale while collimator edges and burned-in text do not set the range.
 */
export function percentileWindow(samples: ArrayLike<number>, range: StoredRange, rescale: { slope: number; intercept: number }, low = 0.01, high = 0.99): VoiWindow {
  const { min, max } = storedBounds(range);
  const histogram = new Uint32Array(max - min + 1);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.min(Math.max(samples[i] as number, min), max);
    histogram[v - min]!++;
  }
  const quantile = (q: number): number => {
    const target = q * samples.length;
    let seen = 0;
    for (let i = 0; i < histogram.length; i++) {
      seen += histogram[i] as number;
      if (seen > target) return i + min;
    }
    return max;
  };
  const lo = quantile(low) * rescale.slope + rescale.intercept;
  const hi = quantile(high) * rescale.slope + rescale.intercept;
  return windowSpanning(Math.min(lo, hi), Math.max(lo, hi));
}

/**
 * Window after a mouse drag of (dx, dy) screen pixels from `start`: right widens, left narrows; down raises the
 * centre (darker image), up lowers it. `unitsPerPixel` scales the drag to the image's value range.
 */
export function dragWindow(start: VoiWindow, dx: number, dy: number, unitsPerPixel: number): VoiWindow {
  return { center: start.center + dy * unitsPerPixel, width: Math.max(1, start.width + dx * unitsPerPixel) };
}
