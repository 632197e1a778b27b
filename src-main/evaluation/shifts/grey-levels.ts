// Shifts of the grey-level curve alone, as another detector, another exposure or another window would make them:
// contrast about mid-grey, gamma, and two detector curves (logarithmic and sigmoid). Each is a 256-entry table.
export type GreyTable = Uint8Array;

function table(f: (x: number) => number): GreyTable {
  const out = new Uint8Array(256);
  for (let x = 0; x < 256; x++) out[x] = Math.min(255, Math.max(0, Math.round(f(x))));
  return out;
}

export function applyTable(pixels: Uint8Array, lut: GreyTable): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = lut[pixels[i]!]!;
  return out;
}

/** (x − 127.5)·factor + 127.5: factor < 1 flattens the image, > 1 stretches it. */
export function contrastTable(factor: number): GreyTable {
  return table((x) => (x - 127.5) * factor + 127.5);
}

/** 255·(x/255)^γ: γ < 1 lifts the dark vessels, γ > 1 darkens the background. */
export function gammaTable(gamma: number): GreyTable {
  return table((x) => 255 * (x / 255) ** gamma);
}

/** 255·ln(1 + a·x/255)/ln(1 + a): a log-response detector, compressing the bright end more as a grows. */
export function logDetectorTable(a: number): GreyTable {
  return table((x) => (255 * Math.log1p((a * x) / 255)) / Math.log1p(a));
}

/** A sigmoid film-like curve of slope k around mid-grey, rescaled so 0 and 255 stay fixed. */
export function sigmoidDetectorTable(k: number): GreyTable {
  const s = (t: number) => 1 / (1 + Math.exp(-k * (t - 0.5)));
  const low = s(0);
  const high = s(1);
  return table((x) => (255 * (s(x / 255) - low)) / (high - low));
}
