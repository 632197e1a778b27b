// Multiscale Hessian vesselness (Frangi et al. 1998) for dark tubes on a bright background: at each scale the
// across-vessel second derivative is large and positive while the along-vessel one stays near zero.
import { gaussianBlur, type FloatImage } from './image.ts';

export interface VesselnessMap {
  width: number;
  height: number;
  /** Vesselness in [0, 1], 1 at the strongest tube of the map. */
  value: Float32Array;
  /** The scale (Gaussian σ, pixels) that answered best at each pixel: about half the lumen radius. */
  scale: Float32Array;
}

const BLOB_SUPPRESSION = 0.5;

/** Scales from σ 1 px upward by √2, up to `maxSigma`: covers lumens from about 2 px to 4·maxSigma px across. */
export function vesselScales(maxSigma: number): number[] {
  const scales: number[] = [];
  for (let s = 1; s <= maxSigma + 1e-6; s *= Math.SQRT2) scales.push(s);
  return scales;
}

export function vesselness(image: FloatImage, scales: readonly number[]): VesselnessMap {
  const { width, height } = image;
  const n = width * height;
  const value = new Float32Array(n);
  const scale = new Float32Array(n);
  const lambda1 = new Float32Array(n);
  const lambda2 = new Float32Array(n);
  for (const sigma of scales) {
    const blurred = gaussianBlur(image, sigma).data;
    const norm = sigma * sigma;
    let maxStructure = 0;
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const i = y * width + x;
        const c = blurred[i]!;
        const dxx = (blurred[i + 1]! - 2 * c + blurred[i - 1]!) * norm;
        const dyy = (blurred[i + width]! - 2 * c + blurred[i - width]!) * norm;
        const dxy = ((blurred[i + width + 1]! - blurred[i + width - 1]! - blurred[i - width + 1]! + blurred[i - width - 1]!) / 4) * norm;
        const mean = (dxx + dyy) / 2;
        const root = Math.sqrt(((dxx - dyy) / 2) ** 2 + dxy * dxy);
        const a = mean + root;
        const b = mean - root;
        // λ2 is the eigenvalue of larger magnitude: across the vessel.
        const [small, large] = Math.abs(a) >= Math.abs(b) ? [b, a] : [a, b];
        lambda1[i] = small;
        lambda2[i] = large;
        const s = small * small + large * large;
        if (large > 0 && s > maxStructure) maxStructure = s;
      }
    }
    const c2 = 2 * (0.25 * maxStructure || 1);
    for (let i = 0; i < n; i++) {
      const large = lambda2[i]!;
      if (large <= 0) continue;
      const small = lambda1[i]!;
      const rb = small / large;
      const v = Math.exp(-(rb * rb) / (2 * BLOB_SUPPRESSION * BLOB_SUPPRESSION)) * (1 - Math.exp(-(small * small + large * large) / c2));
      if (v > value[i]!) {
        value[i] = v;
        scale[i] = sigma;
      }
    }
  }
  let max = 0;
  for (let i = 0; i < n; i++) if (value[i]! > max) max = value[i]!;
  if (max > 0) for (let i = 0; i < n; i++) value[i]! /= max;
  return { width, height, value, scale };
}
