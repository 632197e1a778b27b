// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment per byte plane,
// most significant byte first, one sample after another.
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples } from './types.ts';

/** Decodes one PackBits segment into `out` (length = pixels); returns how many bytes it produced. */
export function unpackBits(segment: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let o = 0;
  while (i < segment.length && o < out.length) {
    const n = (segment[i++] as number) << 24 >> 24; // signed byte
    if (n >= 0) {
      const run = Math.min(n + 1, out.length - o, segment.length - i);
      out.set(segment.subarray(i, i + run), o);
      i += n + 1;
      o += run;
    } else if (n !== -128) {
      const value = segment[i++] as number;
      const run = Math.min(1 - n, out.length - o);
      out.fill(value, o, o + run);
      o += run;
    }
  }
  return o;
}

export function decodeRle(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
  if (encoded.length < 64) throw new Error(`RLE frame is ${encoded.length} bytes, shorter than its 64-byte header`);
  const header = new DataView(encoded.buffer, encoded.byteOffset, 64);
  const segments = header.getUint32(0, true);
  const bytesPerSample = g.bitsAllocated / 8;
  const expected = g.samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new Error(`RLE frame has ${segments} segments, ${expected} expected`);
  const pixels = g.rows * g.columns;
  const plane = new Uint8Array(pixels);
  const count = expectedSamples(g);
  const out = g.bitsAllocated === 8 ? new Uint8Array(count) : g.bitsAllocated === 16 ? new Uint16Array(count) : new Uint32Array(count);
  for (let s = 0; s < segments; s++) {
    const start = header.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? header.getUint32(8 + 4 * s, true) : encoded.length;
    if (start < 64 || end > encoded.length || end < start) throw new Error(`RLE segment ${s} lies outside the frame (${start}–${end} of ${encoded.length})`);
    plane.fill(0);
    const produced = unpackBits(encoded.subarray(start, end), plane);
    if (produced < pixels) throw new Error(`RLE segment ${s} decoded to ${produced} bytes, ${pixels} expected`);
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample)); // first segment holds the most significant byte
    const channels = g.samplesPerPixel;
    // A top byte shifted by 24 turns the int32 negative; the Uint32Array store takes it modulo 2^32, as intended.
    for (let i = 0; i < pixels; i++) out[i * channels + sample] = (out[i * channels + sample] as number) | ((plane[i] as number) << shift);
  }
  return { samples: out, photometric: g.photometric };
}

export const rleDecoder: FrameDecoder = {
  name: 'rle',
  ready: () => Promise.resolve(),
  decode: decodeRle,
};
