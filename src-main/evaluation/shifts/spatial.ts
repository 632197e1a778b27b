// Shifts in space: Gaussian blur (a softer focal spot or motion), additive Gaussian noise (a lower dose) and
// down-then-up rescaling (a detector with larger pixels). Images are 8-bit grey, row-major, width × height.
import { seededRandom } from '../../random/index.ts';

const clampRound = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

/** Mirror an index into [0, n) as scipy.ndimage's mode "reflect" does (the edge sample repeated: d c b a | a b c d). */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

/** The normalised 1-D Gaussian of scipy.ndimage.gaussian_filter (radius = round(4σ)). */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.round(4 * sigma);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-0.5 * (i / sigma) ** 2);
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** Separable Gaussian blur of standard deviation `sigma` pixels, reflected at the borders, rounded to 8 bit. */
export function gaussianBlur(pixels: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const rows = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * pixels[y * width + reflect(x + k, width)]!;
      rows[y * width + x] = sum;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * rows[reflect(y + k, height) * width + x]!;
      out[y * width + x] = clampRound(sum);
    }
  }
  return out;
}

/** x + noise, rounded and clipped to 8 bit; `noise` holds one value per pixel. */
export function addNoise(pixels: Uint8Array, noise: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = clampRound(pixels[i]! + (noise[i] as number));
  return out;
}

/** Seeded zero-mean Gaussian noise of standard deviation `sigma` grey levels (Box–Muller). */
export function gaussianNoise(count: number, sigma: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = sigma * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return out;
}

/**
 * Bilinear resampling with pixel centres aligned (align_corners = false, edges clamped), as
 * torch.nn.functional.interpolate(mode="bilinear", antialias=False) computes it; float output.
 */
export function bilinearResize(pixels: ArrayLike<number>, width: number, height: number, toWidth: number, toHeight: number): Float64Array {
  const out = new Float64Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(height - 1, Math.floor(fy));
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < toWidth; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(width - 1, Math.floor(fx));
      const x1 = Math.min(width - 1, x0 + 1);
      const wx = fx - x0;
      const top = (1 - wx) * (pixels[y0 * width + x0] as number) + wx * (pixels[y0 * width + x1] as number);
      const bottom = (1 - wx) * (pixels[y1 * width + x0] as number) + wx * (pixels[y1 * width + x1] as number);
      out[y * toWidth + x] = (1 - wy) * top + wy * bottom;
    }
  }
  return out;
}

/** Down to `factor` of the size (at least 2 pixels a side) and back up, both bilinear; rounded to 8 bit once at the end. */
export function rescaleDownUp(pixels: Uint8Array, width: number, height: number, factor: number): Uint8Array {
  const smallWidth = Math.max(2, Math.round(width * factor));
  const smallHeight = Math.max(2, Math.round(height * factor));
  const small = bilinearResize(pixels, width, height, smallWidth, smallHeight);
  return Uint8Array.from(bilinearResize(small, smallWidth, smallHeight, width, height), clampRound);
}
