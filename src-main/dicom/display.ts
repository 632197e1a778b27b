// The one function that turns stored values into display grey levels: Modality LUT or rescale, then VOI (LUT or
// window, PS3.3 C.11.2.1.2), then MONOCHROME1 inversion. Pure and versioned: a stored rendering names the version it used.
import type { LookupTable, WindowSetting } from './image.ts';

export const DISPLAY_PIPELINE_VERSION = 3;

export interface DisplayParameters {
  rescale: { slope: number; intercept: number };
  /** Replaces the rescale when the data set has a Modality LUT Sequence. */
  modalityLut?: LookupTable;
  /** A window to use; when absent and no VOI LUT, the min–max of the modality values. */
  window?: WindowSetting;
  voiLut?: LookupTable;
  voiFunction?: string;
  invert: boolean;
}

/**
 * The window a frame opens with: the data set's first, or for 1-bit pixels (masks, segmentations) the window spanning
 * 0 and 1, so that 0 shows black and 1 white whatever a single frame holds. Undefined: the caller picks one.
 */
export function displayWindow(image: { windows: readonly WindowSetting[]; bitsStored: number }): WindowSetting | undefined {
  return image.windows[0] ?? (image.bitsStored === 1 ? { center: 1, width: 2 } : undefined);
}

/** A LUT's entry for `value`: values before the first mapped one take the first entry, values past the end the last. */
export function lookUp(lut: LookupTable, value: number): number {
  const index = Math.min(Math.max(Math.round(value) - lut.firstMapped, 0), lut.entries - 1);
  return lut.data[index] ?? 0;
}

/** The modality transform of PS3.3 C.11.1 as a function of one stored value. */
export function modalityTransform(params: Pick<DisplayParameters, 'rescale' | 'modalityLut'>): (stored: number) => number {
  const lut = params.modalityLut;
  if (lut) return (stored) => lookUp(lut, stored);
  const { slope, intercept } = params.rescale;
  return (stored) => stored * slope + intercept;
}

/** Maps one modality value through a window to [0, 1]. */
export function applyWindow(value: number, center: number, width: number, fn = 'LINEAR'): number {
  if (fn === 'SIGMOID') return 1 / (1 + Math.exp((-4 * (value - center)) / width));
  if (fn === 'LINEAR_EXACT') {
    if (value <= center - width / 2) return 0;
    if (value > center + width / 2) return 1;
    return (value - (center - width / 2)) / width;
  }
  const c = center - 0.5;
  // Width 1 is PS3.3 C.11.2.1.2.1's threshold: at or below c − 0.5 is black, above it white.
  if (width <= 1) return value <= c ? 0 : 1;
  const w = width - 1;
  if (value <= c - w / 2) return 0;
  if (value > c + w / 2) return 1;
  return (value - c) / w + 0.5;
}

/** Stored grey values to 8-bit display values (version DISPLAY_PIPELINE_VERSION). */
export function renderGrey8(stored: ArrayLike<number>, params: DisplayParameters): Uint8Array {
  const toModality = modalityTransform(params);
  const out = new Uint8Array(stored.length);
  let window = params.window;
  if (!window && !params.voiLut) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < stored.length; i++) {
      const v = toModality(stored[i] as number);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    window = { center: (min + max) / 2 + 0.5, width: Math.max(max - min + 1, 1) };
  }
  const lut = params.voiLut;
  const lutMax = lut ? 2 ** lut.bits - 1 : 1;
  for (let i = 0; i < stored.length; i++) {
    const modality = toModality(stored[i] as number);
    let unit: number;
    if (lut) {
      unit = lookUp(lut, modality) / lutMax;
    } else {
      const w = window as WindowSetting;
      unit = applyWindow(modality, w.center, w.width, params.voiFunction);
    }
    const grey = Math.round(unit * 255);
    out[i] = params.invert ? 255 - grey : grey;
  }
  return out;
}
