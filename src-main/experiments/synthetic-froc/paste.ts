// Pasting a patch into a frame so the seam carries no signal: the patch is shifted by one grey offset so its border
// ring matches the frame's ring under it, then blended in with an alpha that rises smoothly from 0 at the patch edge
// to 1 a feather's width inside. The patch's own contrast (the vessel and the lesion) is kept whole inside.

/** An 8-bit grey image, row-major. */
export interface Grey8 {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Feather width in pixels for a patch of side `side`: 15 % of the side, at least 3 pixels. */
export function featherWidth(side: number): number {
  return Math.max(3, Math.round(0.15 * side));
}

/** Blend weight at distance `d` (pixels) inside the patch edge: 0 at the edge, 1 from `feather` on, C¹-smooth. */
export function blendWeight(d: number, feather: number): number {
  const t = Math.min(1, Math.max(0, (d + 0.5) / feather));
  return t * t * (3 - 2 * t);
}

function ringMean(image: Grey8, x0: number, y0: number, w: number, h: number, ring: number): number {
  let sum = 0;
  let n = 0;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (Math.min(r, c, h - 1 - r, w - 1 - c) >= ring) continue;
      sum += image.pixels[(y0 + r) * image.width + x0 + c]!;
      n++;
    }
  }
  return sum / n;
}

/** Pastes `patch` into a copy of `frame` with its top-left corner at (x, y); the patch must lie inside the frame. */
export function pasteBlended(frame: Grey8, patch: Grey8, x: number, y: number): Grey8 {
  if (!(Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x + patch.width <= frame.width && y + patch.height <= frame.height)) {
    throw new RangeError(`a ${patch.width}×${patch.height} patch at (${x}, ${y}) does not fit in a ${frame.width}×${frame.height} frame`);
  }
  const feather = featherWidth(Math.min(patch.width, patch.height));
  const local = { width: patch.width, height: patch.height, pixels: new Uint8Array(patch.width * patch.height) };
  for (let r = 0; r < patch.height; r++) local.pixels.set(frame.pixels.subarray((y + r) * frame.width + x, (y + r) * frame.width + x + patch.width), r * patch.width);
  const offset = ringMean(local, 0, 0, patch.width, patch.height, feather) - ringMean(patch, 0, 0, patch.width, patch.height, feather);
  const out = Uint8Array.from(frame.pixels);
  for (let r = 0; r < patch.height; r++) {
    for (let c = 0; c < patch.width; c++) {
      const alpha = blendWeight(Math.min(r, c, patch.height - 1 - r, patch.width - 1 - c), feather);
      const i = (y + r) * frame.width + x + c;
      const shifted = Math.min(255, Math.max(0, patch.pixels[r * patch.width + c]! + offset));
      out[i] = Math.round(alpha * shifted + (1 - alpha) * frame.pixels[i]!);
    }
  }
  return { width: frame.width, height: frame.height, pixels: out };
}
