// What the Viewer paints for a decoded frame, computed with the renderer's own pure mapping (src-renderer's voi.ts and
// frame-samples.ts over what dicomViewerFrame sends): 8-bit grey after Modality LUT, VOI LUT or window and MONOCHROME1
// inversion, or 8-bit RGB after palette and photometric conversion. FrameCanvas runs these same functions in Chromium.
import { frameSamples } from '../../../src-renderer/src/lib/frame-samples.ts';
import { buildGreyLut, percentileWindow, renderGrey, renderRgb, type VoiWindow } from '../../../src-renderer/src/lib/voi.ts';
import type { DecodedFrame, ImageDescription } from '../../dicom/image.ts';
import { dicomViewerFrame, type ViewerFrame } from '../viewer-frame.ts';

/** Where the opening window comes from: the file's window, its VOI LUT, or the Viewer's own (0–1 for 1-bit frames,
 * else the 1st–99th percentile of the first frame: the 'angio' preset). Colour frames take no window. */
export type WindowSource = 'file window' | 'VOI LUT' | 'viewer default' | 'colour';

export interface ViewerScreen {
  channels: 1 | 3;
  pixels: Uint8Array;
}

export function viewerFrameOf(frame: DecodedFrame, image: ImageDescription): ViewerFrame {
  return dicomViewerFrame(frame, image, { frames: image.numberOfFrames, frameTimeMs: null });
}

const isColour = (viewer: ViewerFrame): boolean => viewer.meta.format === 'rgb8' || viewer.meta.format === 'rgb16';

/** The window the Viewer opens with (ViewerStore.open): the frame's own, else the percentile window of the first frame. */
export function openingWindow(first: ViewerFrame, image: ImageDescription): { source: WindowSource; window: VoiWindow | null } {
  if (isColour(first)) return { source: 'colour', window: null };
  const { meta } = first;
  const source = image.windows.length > 0 ? 'file window' : image.voiLut ? 'VOI LUT' : 'viewer default';
  if (meta.window) return { source, window: meta.window };
  const samples = frameSamples(meta.format, first.bytes.slice().buffer);
  return { source, window: percentileWindow(samples, { bitsStored: meta.bitsStored, signed: meta.format.startsWith('grayS') }, meta.rescale) };
}

/** The frames the Chromium corpus test reads back from the canvas: the first; first, middle and last of a multi-frame run. */
export function canvasFramesChecked(count: number): number[] {
  return [...new Set([0, Math.floor(count / 2), count - 1])];
}

/** dcm2pnm's flags for the Viewer's opening window: the file's first window or VOI LUT, else the very same window. */
export function dcm2pnmWindow(source: WindowSource, window: VoiWindow | null): string[] {
  if (source === 'file window') return ['+Wi', '1'];
  if (source === 'VOI LUT') return ['+Wl', '1'];
  return window ? ['+Ww', String(window.center), String(window.width)] : [];
}

/** The canvas's 8-bit channels for one frame under `window` (ignored for colour): grey as one channel, colour as RGB. */
export function viewerScreen(viewer: ViewerFrame, window: VoiWindow | null): ViewerScreen {
  const { meta } = viewer;
  const samples = frameSamples(meta.format, viewer.bytes.slice().buffer);
  const rgba = new Uint32Array(meta.width * meta.height);
  if (isColour(viewer)) {
    renderRgb(samples, meta.format === 'rgb16' ? 16 : 8, false, rgba);
    const pixels = new Uint8Array(rgba.length * 3);
    for (let i = 0; i < rgba.length; i++) {
      const pixel = rgba[i] as number;
      pixels[i * 3] = pixel & 0xff;
      pixels[i * 3 + 1] = (pixel >>> 8) & 0xff;
      pixels[i * 3 + 2] = (pixel >>> 16) & 0xff;
    }
    return { channels: 3, pixels };
  }
  if (!window) throw new Error('a grey frame needs a window to paint with');
  const lut = buildGreyLut({
    bitsStored: meta.bitsStored,
    signed: meta.format.startsWith('grayS'),
    rescale: meta.rescale,
    window,
    voiFunction: meta.voiFunction,
    invert: meta.photometric === 'MONOCHROME1',
  });
  renderGrey(samples, lut, rgba);
  return { channels: 1, pixels: Uint8Array.from(rgba, (pixel) => pixel & 0xff) };
}
