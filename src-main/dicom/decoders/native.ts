// Uncompressed pixel data (implicit/explicit little endian, deflated after inflation, explicit big endian): 1-bit
// packed pixels, 8/16/32-bit samples, interleaved or planar colour, and YBR_FULL_422's shared chroma.
import { unpackBits } from './packed-bits.ts';
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { interleave, isSubsampledYbr, nativeFrameBits } from './types.ts';

function readSamples(encoded: Uint8Array, count: number, g: FrameGeometry): Uint8Array | Uint16Array | Uint32Array {
  if (g.bitsAllocated === 1) return unpackBits(encoded, count);
  if (g.bitsAllocated === 8) return encoded.slice(0, count);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  if (g.bitsAllocated === 16) {
    const out = new Uint16Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, g.littleEndian);
    return out;
  }
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, g.littleEndian);
  return out;
}

/** Y1 Y2 Cb Cr per pixel pair to Y Cb Cr per pixel: both pixels of a pair take the pair's chroma, as pydicom and dcmtk do. */
export function expandYbr422<T extends Uint8Array | Uint16Array | Uint32Array>(subsampled: T, pixels: number): T {
  const out = new (subsampled.constructor as { new (n: number): T })(pixels * 3);
  for (let pair = 0, from = 0, to = 0; pair < pixels / 2; pair++, from += 4, to += 6) {
    const cb = subsampled[from + 2] as number;
    const cr = subsampled[from + 3] as number;
    out[to] = subsampled[from] as number;
    out[to + 3] = subsampled[from + 1] as number;
    out[to + 1] = out[to + 4] = cb;
    out[to + 2] = out[to + 5] = cr;
  }
  return out;
}

export function decodeNative(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
  const subsampled = isSubsampledYbr(g);
  if (subsampled && g.columns % 2 !== 0) throw new Error(`YBR_FULL_422 needs an even number of columns, the frame has ${g.columns}`);
  const bits = nativeFrameBits(g);
  const bytesNeeded = Math.ceil(bits / 8);
  if (encoded.length < bytesNeeded) {
    throw new Error(`native frame has ${encoded.length} bytes, ${bytesNeeded} expected for ${g.columns}×${g.rows}×${g.samplesPerPixel} at ${g.bitsAllocated} bits`);
  }
  const pixels = g.rows * g.columns;
  let samples = readSamples(encoded, bits / g.bitsAllocated, g);
  // Expanded chroma is plain YBR_FULL: one Y, Cb and Cr per pixel.
  if (subsampled) return { samples: expandYbr422(samples, pixels), photometric: 'YBR_FULL' };
  if (g.samplesPerPixel > 1 && g.planarConfiguration === 1) samples = interleave(samples, pixels, g.samplesPerPixel);
  return { samples, photometric: g.photometric };
}

export const nativeDecoder: FrameDecoder = {
  name: 'native',
  ready: () => Promise.resolve(),
  decode: decodeNative,
};
