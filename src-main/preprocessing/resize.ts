// The resize rule of the patch transform: area averaging when shrinking (no aliasing of thin vessels), bilinear with
// half-pixel centres when enlarging, on square uint8 images.
/** Per output index: source indices and weights along one axis (area when shrinking, bilinear when enlarging). */
function axisWeights(from: number, to: number): { index: number[]; weight: number[] }[] {
  const taps: { index: number[]; weight: number[] }[] = [];
  const ratio = from / to;
  for (let j = 0; j < to; j++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (ratio >= 1) {
      const start = j * ratio;
      const end = (j + 1) * ratio;
      for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 1e-12) {
          index.push(i);
          weight.push(overlap / ratio);
        }
      }
    } else {
      const centre = Math.min(from - 1, Math.max(0, (j + 0.5) * ratio - 0.5));
      const i0 = Math.floor(centre);
      const i1 = Math.min(from - 1, i0 + 1);
      const f = centre - i0;
      index.push(i0, i1);
      weight.push(1 - f, f);
    }
    taps.push({ index, weight });
  }
  return taps;
}

export function resizeSquare(pixels: Uint8Array, from: number, to: number): Uint8Array {
  if (from === to) return pixels.slice();
  const taps = axisWeights(from, to);
  const rows = new Float64Array(from * to); // horizontal pass: from rows × to columns
  for (let y = 0; y < from; y++) {
    for (let x = 0; x < to; x++) {
      const { index, weight } = taps[x] as { index: number[]; weight: number[] };
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += (pixels[y * from + (index[k] as number)] as number) * (weight[k] as number);
      rows[y * to + x] = sum;
    }
  }
  const out = new Uint8Array(to * to);
  for (let y = 0; y < to; y++) {
    const { index, weight } = taps[y] as { index: number[]; weight: number[] };
    for (let x = 0; x < to; x++) {
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += (rows[(index[k] as number) * to + x] as number) * (weight[k] as number);
      out[y * to + x] = Math.round(Math.min(255, Math.max(0, sum)));
    }
  }
  return out;
}
