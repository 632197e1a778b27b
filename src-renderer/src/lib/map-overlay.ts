// A map from the inference service (saliency or scan heatmap) as the Viewer draws it: RGBA at the frame's own
// size, tagged with the image and frame it belongs to so that it is never shown over another frame.
import type { PixelMeta } from '../../../src-preload/contract.ts';

export type MapScale = PixelMeta<'inference.saliency'>['scale'];
export type ScanRegion = PixelMeta<'inference.heatmap'>['regions'][number];
export type MapKind = 'saliency' | 'heatmap';
export type SaliencyDetail = PixelMeta<'inference.saliency'>['detail'];

/** How finely a saliency map resolves evidence: its occluding square and step, in model input pixels. */
export interface MapDetail {
  level: SaliencyDetail;
  window: number;
  stride: number;
}

export interface MapOverlay {
  kind: MapKind;
  instanceId: number;
  frame: number;
  width: number;
  height: number;
  /** width × height × 4, straight (not premultiplied) alpha, as main encoded it. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  scale: MapScale;
  /** The scan's top windows (heatmaps only), highest first. */
  regions: ScanRegion[];
  /** P(stenosis) of the whole frame (saliency) or of the best window (heatmap). */
  probability: number;
  /** Saliency maps: coarse (shown first) or fine (replacing it). */
  detail?: MapDetail;
}

export interface MapAnswer {
  width: number;
  height: number;
  format: 'float32' | 'rgba8';
  scale: MapScale;
}

/** Wraps an rgba8 pixel answer; a byte count that does not match its meta is refused (drawing it would smear). */
export function mapOverlay(kind: MapKind, at: { instanceId: number; frame: number }, meta: MapAnswer, data: ArrayBuffer, extra: { probability: number; regions?: ScanRegion[]; detail?: MapDetail }): MapOverlay {
  if (meta.format !== 'rgba8' || data.byteLength !== meta.width * meta.height * 4) {
    throw new Error(`The ${kind} map arrived malformed (${data.byteLength} bytes for ${meta.width}×${meta.height} ${meta.format}).`);
  }
  const overlay: MapOverlay = { kind, ...at, width: meta.width, height: meta.height, rgba: new Uint8ClampedArray(data), scale: meta.scale, regions: extra.regions ?? [], probability: extra.probability };
  return extra.detail ? { ...overlay, detail: extra.detail } : overlay;
}

/** CSS linear-gradient for a scale's stops (numbers only, from main's schema-checked meta). */
export function scaleGradient(scale: MapScale): string {
  const lo = scale.stops[0]?.value ?? 0;
  const hi = scale.stops.at(-1)?.value ?? 1;
  const span = hi - lo || 1;
  const stops = scale.stops.map((s) => `rgb(${s.rgb.map((c) => Math.round(c)).join(', ')}) ${(((s.value - lo) / span) * 100).toFixed(1)}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
