// The scan window at the training patches' physical size. A model whose patches were cut from the app's own boxes
// knows their side in millimetres; a frame whose header calibrates it knows its millimetres per pixel at the
// isocenter, where the heart is. With both, the window covers as much anatomy as a training patch did; without
// either (P-ADSD patches carry no scale), the window is the model's input side in the frame's pixels, and says so.

import type { FrameScale } from '../../dicom/index.ts';

export { frameScale, type FrameCalibration, type FrameScale } from '../../dicom/index.ts';

export interface ScanWindow {
  /** Window side in the frame's pixels. */
  pixels: number;
  /** Window side in millimetres at the isocenter; null where no physical scale is known. */
  millimetres: number | null;
  /** How the side was chosen, in words for the readout and the report. */
  note: string;
}

const positive = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The window for scanning a frame with a model whose input is `inputSide` pixels. */
export function scanWindow(inputSide: number, patchSideMm: number | null | undefined, scale: FrameScale | null, frame: { width: number; height: number }): ScanWindow {
  const fallback = (why: string): ScanWindow => ({ pixels: inputSide, millimetres: null, note: `${inputSide}-pixel window: ${why}, so the window is in pixels` });
  if (!positive(patchSideMm)) return fallback("no physical scale is known for the model's training patches");
  if (!scale) return fallback('the frame records no pixel spacing');
  const pixels = Math.round(patchSideMm / scale.mmPerPixel);
  if (pixels < 8 || pixels > Math.min(frame.width, frame.height)) return fallback(`the training patches' ${patchSideMm.toFixed(1)} mm would be ${pixels} pixels on this frame`);
  return { pixels, millimetres: patchSideMm, note: `${pixels}-pixel window: the training patches' ${patchSideMm.toFixed(1)} mm at ${scale.mmPerPixel.toFixed(3)} mm per pixel (${scale.source})` };
}
