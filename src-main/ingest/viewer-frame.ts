// What the viewer's binary frame routes send: stored values plus the meta needed to display them, built from a
// decoded DICOM frame or from a dataset item's own PNG patch. Pure functions; the service does the reading.
import type { DecodedFrame, ImageDescription } from '../dicom/image.ts';
import type { DecodedPng } from '../imaging/png.ts';

export type FrameFormat = 'gray8' | 'gray16' | 'grayS8' | 'grayS16' | 'rgb8' | 'rgb16';

export interface ViewerFrameMeta {
  width: number;
  height: number;
  format: FrameFormat;
  bitsAllocated: number;
  bitsStored: number;
  photometric: string;
  rescale: { slope: number; intercept: number };
  window: { center: number; width: number } | null;
  frames: number;
  frameTimeMs: number | null;
}

export interface ViewerFrame {
  meta: ViewerFrameMeta;
  /** Stored values, little endian, colour interleaved. */
  bytes: Uint8Array;
}

const asBytes = (pixels: ArrayBufferView): Uint8Array => new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);

/** One frame of a DICOM image; `frames` is how many the viewer may step through (1 for a single dataset item). */
export function dicomViewerFrame(frame: DecodedFrame, image: ImageDescription, options: { frames: number; frameTimeMs: number | null }): ViewerFrame {
  const colour = frame.samplesPerPixel === 3;
  const format: FrameFormat = colour ? (frame.bitsAllocated === 8 ? 'rgb8' : 'rgb16') : (`gray${frame.signed ? 'S' : ''}${frame.bitsAllocated}` as FrameFormat);
  const window = image.windows[0];
  return {
    meta: {
      width: frame.width,
      height: frame.height,
      format,
      bitsAllocated: frame.bitsAllocated,
      bitsStored: frame.bitsStored,
      photometric: frame.photometric,
      rescale: { slope: image.rescale.slope, intercept: image.rescale.intercept },
      window: window ? { center: window.center, width: window.width } : null,
      frames: options.frames,
      frameTimeMs: options.frameTimeMs,
    },
    bytes: asBytes(frame.pixels),
  };
}

/** A PNG patch as one frame of stored values: grey stays grey (8 or 16 bits), colour stays RGB; no rescale, no
 * stored window (the viewer starts from the full range). */
export function patchViewerFrame(png: DecodedPng): ViewerFrame {
  const colour = png.channels === 3;
  return {
    meta: {
      width: png.width,
      height: png.height,
      format: `${colour ? 'rgb' : 'gray'}${png.bitDepth}` as FrameFormat,
      bitsAllocated: png.bitDepth,
      bitsStored: png.bitDepth,
      photometric: colour ? 'RGB' : 'MONOCHROME2',
      rescale: { slope: 1, intercept: 0 },
      window: null,
      frames: 1,
      frameTimeMs: null,
    },
    bytes: asBytes(png.pixels),
  };
}
