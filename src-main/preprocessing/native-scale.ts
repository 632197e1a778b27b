// Native scale: a patch keeps its own pixels instead of being stretched to the network's input size. The square
// patch is centred in the size × size canvas and the margin repeats the nearest border pixel (as pad-to-square does),
// so no constant bars appear that a model could learn as a cue. A patch larger than the canvas cannot keep its
// scale; it shrinks to fit by the same area averaging as the resize rule.
import { resizeSquare } from './resize.ts';

/** A side × side square centred in a size × size canvas with replicated borders; larger squares shrink to fit. */
export function padIntoCanvas(pixels: Uint8Array, side: number, size: number): Uint8Array {
  if (side >= size) return resizeSquare(pixels, side, size);
  return centreWithReplicatedBorders(pixels, side, side, size);
}

/**
 * A width × height image centred in a size × size canvas (size ≥ both), the nearest edge pixel repeated around it:
 * no constant bars a model could learn as a cue.
 */
export function centreWithReplicatedBorders(pixels: Uint8Array, width: number, height: number, size: number): Uint8Array {
  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - height) / 2);
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - top));
    for (let x = 0; x < size; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - left));
      out[y * size + x] = pixels[sy * width + sx] as number;
    }
  }
  return out;
}
