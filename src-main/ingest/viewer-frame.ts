// What the viewer's binary frame routes send: stored values plus the meta needed to display them, built from a
// decoded DICOM frame or from a dataset item's own PNG patch. Pure functions; the service does the reading.
import { colourFrameToRgb8, type DecodedFrame, displayWindow, type ImageDescription, lookUp, modalityTransform, paletteToRgb } from '../dicom/index.ts';
import type { DecodedPng } from '../png/index.ts';

export type FrameFormat = 'gray8' | 'gray16' | 'grayS8' | 'grayS16' | 'rgb8' | 'rgb16';

export interface ViewerFrameMeta {
  width: number;
  height: number;
  /** The layout of `bytes`; bitsAllocated describes the file (a 32-bit RGB image arrives as rgb8). */
  format: FrameFormat;
  bitsAllocated: number;
  /** The bits of the values in `bytes`: the file's Bits Stored, or a Modality / VOI LUT's output bits once applied. */
  bitsStored: number;
  /** What `bytes` hold: the file's photometric interpretation, or RGB where the frame was converted for display. */
  photometric: string;
  rescale: { slope: number; intercept: number };
  window: { center: number; width: number } | null;
  /** The VOI LUT Function (0028,1056) of the file's window when it is not LINEAR. */
  voiFunction?: 'LINEAR_EXACT' | 'SIGMOID';
  frames: number;
  frameTimeMs: number | null;
}

export interface ViewerFrame {
  meta: ViewerFrameMeta;
  /** Grey: stored values (1-bit pixels one 0/1 byte each), little endian. Colour: interleaved RGB, stored values for
   * 8- and 16-bit RGB, converted to 8-bit RGB for YBR, palette colour and 32-bit samples (the viewer windows grey only). */
  bytes: Uint8Array;
}

const asBytes = (pixels: ArrayBufferView): Uint8Array => new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);

type Samples = { format: FrameFormat; photometric: string; pixels: ArrayBufferView };

/** The samples the viewer draws and their layout: what the renderer cannot show as stored is converted here. */
function viewerSamples(frame: DecodedFrame, image: ImageDescription): Samples {
  // Palette indices mean nothing as grey: the viewer gets the colours they index.
  if (frame.photometric === 'PALETTE COLOR' && image.palette) return { format: 'rgb8', photometric: 'RGB', pixels: paletteToRgb(frame.pixels, image.palette) };
  if (frame.samplesPerPixel === 3) {
    const converted = frame.photometric.startsWith('YBR_FULL') || frame.bitsAllocated === 32;
    if (converted) return { format: 'rgb8', photometric: 'RGB', pixels: colourFrameToRgb8(frame) };
    return { format: frame.bitsAllocated === 8 ? 'rgb8' : 'rgb16', photometric: frame.photometric, pixels: frame.pixels };
  }
  const bits = frame.bitsAllocated === 1 ? 8 : frame.bitsAllocated;
  return { format: `gray${frame.signed ? 'S' : ''}${bits}` as FrameFormat, photometric: frame.photometric, pixels: frame.pixels };
}

/** Unsigned table output in the smallest container the viewer reads. */
function tableOutput(stored: ArrayLike<number>, map: (value: number) => number, bits: number): { format: FrameFormat; pixels: Uint8Array | Uint16Array } {
  const pixels = bits <= 8 ? new Uint8Array(stored.length) : new Uint16Array(stored.length);
  for (let i = 0; i < stored.length; i++) pixels[i] = map(stored[i] as number);
  return { format: bits <= 8 ? 'gray8' : 'gray16', pixels };
}

const IDENTITY = { slope: 1, intercept: 0 };

/** The file's VOI LUT Function when the renderer must know it: only for non-linear functions of the file's window. */
function windowFunction(image: ImageDescription): Pick<ViewerFrameMeta, 'voiFunction'> {
  const fn = image.voiFunction;
  return fn === 'LINEAR_EXACT' || fn === 'SIGMOID' ? { voiFunction: fn } : {};
}

type Shown = Samples & Pick<ViewerFrameMeta, 'bitsStored' | 'rescale' | 'window' | 'voiFunction'>;

/**
 * The renderer windows grey values through a rescale only, so the lookup tables it lacks are applied here: a Modality
 * LUT gives the values the file's windows are in; a VOI LUT (shown when the file has no window) gives its output with
 * the window that shows it as is (output / (2^bits − 1), as dcmtk and renderGrey8 do).
 */
function greyThroughTables(frame: DecodedFrame, image: ImageDescription, samples: Samples): Shown {
  const fileWindow = displayWindow(image);
  const window = fileWindow ? { center: fileWindow.center, width: fileWindow.width } : null;
  const rescale = { slope: image.rescale.slope, intercept: image.rescale.intercept };
  const asStored: Shown = { ...samples, bitsStored: frame.bitsStored, rescale, window, ...windowFunction(image) };
  if (frame.samplesPerPixel !== 1 || samples.photometric !== frame.photometric) return asStored;
  const voiLut = window ? undefined : image.voiLut;
  if (voiLut) {
    const toModality = modalityTransform({ rescale: image.rescale, modalityLut: image.modalityLut });
    const output = tableOutput(frame.pixels, (stored) => lookUp(voiLut, toModality(stored)), voiLut.bits);
    const white = 2 ** voiLut.bits;
    return { ...samples, ...output, bitsStored: voiLut.bits, rescale: IDENTITY, window: { center: white / 2, width: white } };
  }
  const modalityLut = image.modalityLut;
  if (!modalityLut) return asStored;
  const output = tableOutput(frame.pixels, (stored) => lookUp(modalityLut, stored), modalityLut.bits);
  return { ...asStored, ...output, bitsStored: modalityLut.bits, rescale: IDENTITY };
}

/** One frame of a DICOM image; `frames` is how many the viewer may step through (1 for a single dataset item). */
export function dicomViewerFrame(frame: DecodedFrame, image: ImageDescription, options: { frames: number; frameTimeMs: number | null }): ViewerFrame {
  const { format, photometric, pixels, bitsStored, rescale, window, voiFunction } = greyThroughTables(frame, image, viewerSamples(frame, image));
  return {
    meta: {
      width: frame.width,
      height: frame.height,
      format,
      bitsAllocated: frame.bitsAllocated,
      bitsStored,
      photometric,
      rescale,
      window,
      ...(voiFunction ? { voiFunction } : {}),
      frames: options.frames,
      frameTimeMs: options.frameTimeMs,
    },
    bytes: asBytes(pixels),
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
