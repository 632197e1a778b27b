// The picture a finding is shown with: the frame the model read at display grey levels (the app's own display
// pipeline), the saliency overlay blended on top, and the overlay's colour bar. Pure pixel functions plus one loader.
import { AppError } from '../ipc/index.ts';
import { frameToGrey, type IngestService } from '../ingest/index.ts';
import type { Finding, OverlayScale, SaliencyOverlay } from './finding.ts';

export interface RgbImage {
  width: number;
  height: number;
  /** RGB, 8 bits per sample, interleaved, row-major. */
  pixels: Uint8Array;
}

/** The frame a finding points at, as display grey levels; a missing blob or frame is a clear, typed refusal. */
export async function findingFrame(ingest: IngestService, finding: Pick<Finding, 'instanceId' | 'frameIndex'>): Promise<{ width: number; height: number; pixels: Uint8Array }> {
  try {
    const { frame, image } = await ingest.frame(finding.instanceId, finding.frameIndex);
    return frameToGrey(frame, image);
  } catch (error) {
    const code = error instanceof AppError ? error.code : (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'report-frame-missing',
      `Frame ${finding.frameIndex} of instance ${finding.instanceId} cannot be read (${message}), so the report cannot show what the model read. Nothing was exported; re-import the study or compute the finding again.`,
      { instanceId: finding.instanceId, frameIndex: finding.frameIndex, cause: code },
    );
  }
}

/** Blends an RGBA overlay (its own alpha) onto a grey frame; an overlay of another size is sampled to the frame's. */
export function blendOverlay(grey: { width: number; height: number; pixels: Uint8Array }, overlay: SaliencyOverlay | null): RgbImage {
  const { width, height } = grey;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const oy = overlay ? Math.min(overlay.height - 1, Math.floor((y * overlay.height) / height)) : 0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const g = grey.pixels[i] as number;
      if (!overlay) {
        out.fill(g, 3 * i, 3 * i + 3);
        continue;
      }
      const ox = Math.min(overlay.width - 1, Math.floor((x * overlay.width) / width));
      const o = 4 * (oy * overlay.width + ox);
      const a = (overlay.rgba[o + 3] as number) / 255;
      for (let c = 0; c < 3; c++) out[3 * i + c] = Math.round(g * (1 - a) + (overlay.rgba[o + c] as number) * a);
    }
  }
  return { width, height, pixels: out };
}

/** Colour of a value on the scale: linear between the legend stops, clamped at the ends. */
export function scaleColour(scale: OverlayScale, value: number): [number, number, number] {
  const stops = [...scale.stops].sort((a, b) => a.value - b.value);
  if (stops.length === 0) return [0, 0, 0];
  if (value <= stops[0]!.value) return stops[0]!.rgb;
  for (let k = 1; k < stops.length; k++) {
    const lo = stops[k - 1]!;
    const hi = stops[k]!;
    if (value <= hi.value) {
      const t = (value - lo.value) / (hi.value - lo.value || 1);
      return [0, 1, 2].map((c) => Math.round(lo.rgb[c]! + t * (hi.rgb[c]! - lo.rgb[c]!))) as [number, number, number];
    }
  }
  return stops[stops.length - 1]!.rgb;
}

/** A vertical colour bar, highest value at the top. */
export function colourBar(scale: OverlayScale, width: number, height: number): RgbImage {
  const pixels = new Uint8Array(width * height * 3);
  const low = Math.min(...scale.stops.map((s) => s.value));
  const high = Math.max(...scale.stops.map((s) => s.value));
  for (let y = 0; y < height; y++) {
    const rgb = scaleColour(scale, high - ((high - low) * y) / Math.max(1, height - 1));
    for (let x = 0; x < width; x++) pixels.set(rgb, 3 * (y * width + x));
  }
  return { width, height, pixels };
}

/** The frame with its overlay and, to its right after a black gap, the colour bar: what the Secondary Capture holds. */
export function withColourBar(image: RgbImage, scale: OverlayScale | null): RgbImage {
  if (!scale) return image;
  const gap = Math.max(4, Math.round(image.width / 64));
  const barWidth = Math.max(8, Math.round(image.width / 24));
  const barHeight = Math.round(image.height * 0.8);
  const top = Math.round((image.height - barHeight) / 2);
  const width = image.width + gap + barWidth + gap;
  const out = new Uint8Array(width * image.height * 3);
  for (let y = 0; y < image.height; y++) out.set(image.pixels.subarray(3 * y * image.width, 3 * (y + 1) * image.width), 3 * y * width);
  const bar = colourBar(scale, barWidth, barHeight);
  for (let y = 0; y < barHeight; y++) {
    out.set(bar.pixels.subarray(3 * y * barWidth, 3 * (y + 1) * barWidth), 3 * ((top + y) * width + image.width + gap));
  }
  return { width, height: image.height, pixels: out };
}
