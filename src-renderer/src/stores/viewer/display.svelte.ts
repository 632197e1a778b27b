// How the frame on screen is drawn: the window (level and width, from a preset or dragged), inversion, and zoom
// and pan (pan in CSS pixels from the centred position; zoom relative to fit). The grey lookup table follows from
// them and the frame's meta, so every frame of a run is drawn the same way.
import { isColour } from '../../lib/frame-samples.ts';
import { buildGreyLut, dragWindow, fullRangeWindow, percentileWindow, type GreyLut, type VoiWindow } from '../../lib/voi.ts';
import type { FrameSource } from './frames.svelte.ts';
import type { WindowPreset } from './types.ts';

export const ZOOM_LIMITS = { min: 0.1, max: 16 };

export class ViewDisplay {
  window = $state<VoiWindow>({ center: 128, width: 256 });
  preset = $state<WindowPreset>('full');
  invert = $state(false);
  zoom = $state(1);
  panX = $state(0);
  panY = $state(0);

  private dragStart: VoiWindow | null = null;
  private readonly source: FrameSource;

  constructor(source: FrameSource) {
    this.source = source;
  }

  readonly colour: boolean = $derived.by(() => (this.source.meta ? isColour(this.source.meta.format) : false));
  readonly signed: boolean = $derived.by(() => (this.source.meta ? this.source.meta.format.startsWith('grayS') : false));
  /** MONOCHROME1 shows low values bright; the user's invert flips whatever the photometric interpretation gives. */
  readonly effectiveInvert: boolean = $derived.by(() => (this.source.meta?.photometric === 'MONOCHROME1') !== this.invert);
  readonly lut: GreyLut | null = $derived.by(() => {
    const meta = this.source.meta;
    if (!meta || this.colour) return null;
    return buildGreyLut({ bitsStored: meta.bitsStored, signed: this.signed, rescale: meta.rescale, window: this.window, voiFunction: meta.voiFunction, invert: this.effectiveInvert });
  });
  readonly fullRange: VoiWindow | null = $derived.by(() => {
    const meta = this.source.meta;
    return meta ? fullRangeWindow({ bitsStored: meta.bitsStored, signed: this.signed }, meta.rescale) : null;
  });

  /** The file's own window, the angio window (the shown frame's percentiles), or the whole stored range. */
  applyPreset(preset: Exclude<WindowPreset, 'custom'>): void {
    const meta = this.source.meta;
    if (!meta) return;
    const range = { bitsStored: meta.bitsStored, signed: this.signed };
    const shown = this.source.shown;
    if (preset === 'file' && meta.window) this.window = { ...meta.window };
    else if (preset === 'angio' && shown && !this.colour) this.window = percentileWindow(shown.samples, range, meta.rescale);
    else this.window = fullRangeWindow(range, meta.rescale);
    this.preset = preset === 'file' && !meta.window ? 'full' : preset;
  }

  /** The preset an image opens with: its file's window when it has one. */
  applyDefault(): void {
    this.applyPreset(this.source.meta?.window ? 'file' : 'angio');
  }

  setWindow(window: VoiWindow): void {
    if (!Number.isFinite(window.center) || !Number.isFinite(window.width)) return;
    this.window = { center: window.center, width: Math.max(1, window.width) };
    this.preset = 'custom';
  }

  beginWindowDrag(): void {
    this.dragStart = { ...this.window };
  }

  /** A drag across 512 screen pixels spans the stored value range. */
  dragWindowBy(dx: number, dy: number): void {
    if (!this.dragStart || !this.fullRange) return;
    this.setWindow(dragWindow(this.dragStart, dx, dy, Math.max(this.fullRange.width / 512, 0.25)));
  }

  endWindowDrag(): void {
    this.dragStart = null;
  }

  toggleInvert(): void {
    this.invert = !this.invert;
  }

  zoomAt(factor: number, dxFromCentre = 0, dyFromCentre = 0): void {
    const zoom = Math.min(ZOOM_LIMITS.max, Math.max(ZOOM_LIMITS.min, this.zoom * factor));
    const f = zoom / this.zoom;
    this.panX = f * (this.panX - dxFromCentre) + dxFromCentre;
    this.panY = f * (this.panY - dyFromCentre) + dyFromCentre;
    this.zoom = zoom;
  }

  panBy(dx: number, dy: number): void {
    this.panX += dx;
    this.panY += dy;
  }

  resetView(): void {
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
  }

  /** Back to how the image opened: its default window, no inversion, fitted and centred. */
  reset(): void {
    this.invert = false;
    this.resetView();
    this.applyDefault();
  }

  /** Fitted, centred and not inverted, for the next image (whose window is set once it arrives). */
  clear(): void {
    this.resetView();
    this.invert = false;
  }
}
