// PNG in and out for patch sets and derived images (pngjs: pure JS, no native build). Pure functions over bytes.
import { PNG } from 'pngjs';
import { AppError } from '../ipc/app-error.ts';

export interface DecodedPng {
  width: number;
  height: number;
  /** Samples per pixel in `pixels`: 1 (grey) or 3 (RGB); alpha is dropped. */
  channels: 1 | 3;
  bitDepth: 8 | 16;
  /** Row-major samples, interleaved when channels = 3. */
  pixels: Uint8Array | Uint16Array;
}

/** Decodes a PNG file's bytes; greyscale stays one channel (true grey or RGB with R=G=B). */
export function decodePng(bytes: Uint8Array, source = 'PNG'): DecodedPng {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  } catch (error) {
    throw new AppError('png-unreadable', `${source} is not a readable PNG: ${(error as Error).message}`);
  }
  const { width, height } = png;
  const sixteen = (png as PNG & { depth: number }).depth === 16;
  // pngjs expands every image to RGBA (16-bit samples stay 16-bit with skipRescale).
  const rgba = sixteen ? new Uint16Array(png.data.buffer, png.data.byteOffset, png.data.byteLength / 2) : png.data;
  let grey = true;
  for (let i = 0; i < width * height && grey; i++) {
    grey = rgba[4 * i] === rgba[4 * i + 1] && rgba[4 * i] === rgba[4 * i + 2];
  }
  const channels = grey ? 1 : 3;
  const pixels = sixteen ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < channels; c++) pixels[i * channels + c] = rgba[4 * i + c] as number;
  }
  return { width, height, channels, bitDepth: sixteen ? 16 : 8, pixels };
}

/** Encodes 8-bit grey or RGB samples as a PNG (thumbnails, overlays, figures). */
export function encodePng(width: number, height: number, channels: 1 | 3 | 4, pixels: Uint8Array): Uint8Array {
  if (pixels.length !== width * height * channels) {
    throw new AppError('png-encode-size', `expected ${width * height * channels} samples for ${width}×${height}×${channels}, got ${pixels.length}`);
  }
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const r = pixels[i * channels] as number;
    png.data[4 * i] = r;
    png.data[4 * i + 1] = channels >= 3 ? (pixels[i * channels + 1] as number) : r;
    png.data[4 * i + 2] = channels >= 3 ? (pixels[i * channels + 2] as number) : r;
    png.data[4 * i + 3] = channels === 4 ? (pixels[i * channels + 3] as number) : 255;
  }
  return new Uint8Array(PNG.sync.write(png));
}
