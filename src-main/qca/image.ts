// The grey image QCA measures on: one float per pixel, row-major, vessels darker than their background (as an
// X-ray shows contrast), plus the sampling every later step needs (bilinear reads, crops, separable Gaussian blur).

export interface Point {
  x: number;
  y: number;
}

export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Bilinear read at a sub-pixel position (pixel centres at integer coordinates); outside reads the nearest border. */
export function sampleBilinear(image: FloatImage, x: number, y: number): number {
  const { width, height, data } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.min(Math.floor(cx), width - 2 < 0 ? 0 : width - 2);
  const y0 = Math.min(Math.floor(cy), height - 2 < 0 ? 0 : height - 2);
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * width + x0;
  const x1 = width > 1 ? 1 : 0;
  const y1 = height > 1 ? width : 0;
  const top = data[i]! * (1 - fx) + data[i + x1]! * fx;
  const bottom = data[i + y1]! * (1 - fx) + data[i + y1 + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

export interface Crop {
  image: FloatImage;
  /** Where the crop's (0, 0) sits in the source image. */
  x0: number;
  y0: number;
}

export function cropImage(image: FloatImage, x0: number, y0: number, x1: number, y1: number): Crop {
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const right = Math.min(image.width, Math.ceil(x1));
  const bottom = Math.min(image.height, Math.ceil(y1));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const data = new Float32Array(width * height);
  for (let r = 0; r < height; r++) data.set(image.data.subarray((top + r) * image.width + left, (top + r) * image.width + left + width), r * width);
  return { image: { width, height, data }, x0: left, y0: top };
}

export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** Separable Gaussian blur with borders clamped (a vessel running off the crop keeps its profile). */
export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  const { width, height, data } = image;
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) >> 1;
  const across = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
        sum += kernel[k + radius]! * data[row + xx]!;
      }
      across[row + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        sum += kernel[k + radius]! * across[yy * width + x]!;
      }
      out[y * width + x] = sum;
    }
  }
  return { width, height, data: out };
}
