// Maps a float map from model pixels back onto source pixels (bilinear, pixel centres aligned), so an overlay
// lines up with the image the reader sees rather than with the 64-pixel model input.
import type { PreprocessingSpec } from '../../preprocessing/index.ts';

export function resampleMap(map: Float32Array, fromWidth: number, fromHeight: number, toWidth: number, toHeight: number): Float32Array {
  const out = new Float32Array(toWidth * toHeight);
  const sx = fromWidth / toWidth;
  const sy = fromHeight / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), fromHeight - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, fromHeight - 1);
    const wy = fy - y0;
    for (let x = 0; x < toWidth; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), fromWidth - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, fromWidth - 1);
      const wx = fx - x0;
      const top = map[y0 * fromWidth + x0]! * (1 - wx) + map[y0 * fromWidth + x1]! * wx;
      const bottom = map[y1 * fromWidth + x0]! * (1 - wx) + map[y1 * fromWidth + x1]! * wx;
      out[y * toWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/**
 * The model-pixel map as the reader's image: a model that keeps native scale (preprocessing fit 'pad') shows an image
 * smaller than its canvas centred and unscaled, so the image's own pixels are read back one for one; otherwise the
 * whole map is resampled onto the image.
 */
export function sourceMap(map: Float32Array, size: number, width: number, height: number, spec: PreprocessingSpec): Float32Array {
  const side = Math.max(width, height);
  if (spec.fit !== 'pad' || side >= size) return resampleMap(map, size, size, width, height);
  const offset = Math.floor((size - side) / 2);
  const left = offset + Math.floor((side - width) / 2);
  const top = offset + Math.floor((side - height) / 2);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) out.set(map.subarray((top + y) * size + left, (top + y) * size + left + width), y * width);
  return out;
}
