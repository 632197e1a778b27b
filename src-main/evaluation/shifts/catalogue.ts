// The synthetic shifts that stand in for another hospital's images, each at two to four severities, applied to an
// 8-bit grey patch at its own resolution (before the model's resize), so they act as a different acquisition would.
import { applyTable, contrastTable, gammaTable, logDetectorTable, sigmoidDetectorTable } from './grey-levels.ts';
import { jpegRecompress } from './jpeg-recompression.ts';
import { addNoise, gaussianBlur, gaussianNoise, rescaleDownUp } from './spatial.ts';

export const SHIFT_FAMILIES = ['contrast', 'gamma', 'blur', 'noise', 'rescale', 'jpeg', 'log-detector', 'sigmoid-detector'] as const;
export type ShiftFamily = (typeof SHIFT_FAMILIES)[number];

export interface Shift {
  family: ShiftFamily;
  /** The family's one parameter: contrast factor, γ, blur σ (px), noise σ (grey levels), scale factor, JPEG quality, log a, sigmoid k. */
  parameter: number;
}

export interface GreyPatch {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Severities, mildest first. */
export const SHIFT_SEVERITIES: Record<ShiftFamily, readonly number[]> = {
  contrast: [0.75, 0.5, 0.3],
  gamma: [0.7, 0.5, 1.5, 2],
  blur: [0.75, 1.5, 3],
  noise: [5, 10, 20],
  rescale: [0.5, 0.33, 0.25],
  jpeg: [75, 50],
  'log-detector': [4, 16],
  'sigmoid-detector': [6, 12],
};

export function allShifts(): Shift[] {
  return SHIFT_FAMILIES.flatMap((family) => SHIFT_SEVERITIES[family].map((parameter) => ({ family, parameter })));
}

export function shiftLabel(shift: Shift): string {
  const p = shift.parameter;
  switch (shift.family) {
    case 'contrast': return `contrast × ${p}`;
    case 'gamma': return `gamma ${p}`;
    case 'blur': return `blur σ ${p} px`;
    case 'noise': return `noise σ ${p} grey levels`;
    case 'rescale': return `rescale to ${p} and back`;
    case 'jpeg': return `JPEG quality ${p}`;
    case 'log-detector': return `log detector curve a ${p}`;
    case 'sigmoid-detector': return `sigmoid detector curve k ${p}`;
  }
}

/** The patch under `shift`; `seed` fixes the noise (give each image its own). */
export function applyShift(patch: GreyPatch, shift: Shift, seed = 0): Uint8Array {
  const { width, height, pixels } = patch;
  const p = shift.parameter;
  switch (shift.family) {
    case 'contrast': return applyTable(pixels, contrastTable(p));
    case 'gamma': return applyTable(pixels, gammaTable(p));
    case 'log-detector': return applyTable(pixels, logDetectorTable(p));
    case 'sigmoid-detector': return applyTable(pixels, sigmoidDetectorTable(p));
    case 'blur': return gaussianBlur(pixels, width, height, p);
    case 'noise': return addNoise(pixels, gaussianNoise(pixels.length, p, seed));
    case 'rescale': return rescaleDownUp(pixels, width, height, p);
    case 'jpeg': return jpegRecompress(pixels, width, height, p);
  }
}
