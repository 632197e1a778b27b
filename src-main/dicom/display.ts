// The one function that turns stored values into display grey levels: modality rescale, then VOI (LUT or window,
// PS3.3 C.11.2.1.2), then MONOCHROME1 inversion. Pure and versioned: a stored rendering names the version it used.
import type { LookupTable, WindowSetting } from './image.ts';

export const DISPLAY_PIPELINE_VERSION = 1;

export interface DisplayParameters {
  rescale: { slope: number; intercept: number };
  /** A window to use; when absent and no VOI LUT, the min–max of the modality values. */
  window?: WindowSetting;
  voiLut?: LookupTable;
  voiFunction?: string;
  invert: boolean;
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
  const w = Math.max(width - 1, 1);
  if (value <= c - w / 2) return 0;
  if (value > c + w / 2) return 1;
  return (value - c) / w + 0.5;
}

/** Stored grey values to 8-bit display values (version DISPLAY_PIPELINE_VERSION). */
export function renderGrey8(stored: ArrayLike<number>, params: DisplayParameters): Uint8Array {
  const { slope, intercept } = params.rescale;
  const out = new Uint8Array(stored.length);
  let window = params.window;
  if (!window && !params.voiLut) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < stored.length; i++) {
      const v = (stored[i] as number) * slope + intercept;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    window = { center: (min + max) / 2 + 0.5, width: Math.max(max - min + 1, 1) };
  }
  const lut = params.voiLut;
  const lutMax = lut ? (1 << lut.bits) - 1 : 1;
  for (let i = 0; i < stored.length; i++) {
    const modality = (stored[i] as number) * slope + intercept;
    let unit: number;
    if (lut) {
      const index = Math.min(Math.max(Math.round(modality) - lut.firstMapped, 0), lut.entries - 1);
      unit = (lut.data[index] ?? 0) / lutMax;
    } else {
      const w = window as WindowSetting;
      unit = applyWindow(modality, w.center, w.width, params.voiFunction);
    }
    const grey = Math.round(unit * 255);
    out[i] = params.invert ? 255 - grey : grey;
  }
  return out;
}
