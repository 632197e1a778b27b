// Per-image normalisation: each prepared patch is stretched so that its 1st percentile becomes 0 and its 99th 255.
// A detector or processing chain that changes contrast or offset linearly then gives the network the same input; the
// engine's fixed (x/255 − mean)/std still follows. Percentiles are order statistics of the patch's own pixels
// (ranks ⌊0.01·(n−1)⌋ and ⌈0.99·(n−1)⌉, numpy's 'lower' and 'higher'), and the stretch maps them to 0 and 255
// exactly, so stretching an already stretched patch returns it unchanged.
export const STRETCH_LOW_PERCENTILE = 1;
export const STRETCH_HIGH_PERCENTILE = 99;

function valueAtRank(histogram: Uint32Array, rank: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v] as number;
    if (seen > rank) return v;
  }
  return 255;
}

/** A new array: (v − low) · 255 / (high − low), rounded and clamped; a patch whose percentiles meet is copied as it is. */
export function stretchPercentiles(pixels: Uint8Array): Uint8Array {
  const n = pixels.length;
  if (n === 0) return pixels.slice();
  const histogram = new Uint32Array(256);
  for (let i = 0; i < n; i++) histogram[pixels[i] as number]! += 1;
  const low = valueAtRank(histogram, Math.floor((STRETCH_LOW_PERCENTILE / 100) * (n - 1)));
  const high = valueAtRank(histogram, Math.ceil((STRETCH_HIGH_PERCENTILE / 100) * (n - 1)));
  if (high <= low) return pixels.slice();
  const scale = 255 / (high - low);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.min(255, Math.max(0, ((pixels[i] as number) - low) * scale)));
  return out;
}
