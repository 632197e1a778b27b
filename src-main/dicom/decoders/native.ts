// Uncompressed pixel data (implicit/explicit little endian, deflated after inflation, explicit big endian).
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples, interleave } from './types.ts';

export function decodeNative(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
  const count = expectedSamples(g);
  const bytesNeeded = count * (g.bitsAllocated / 8);
  if (encoded.length < bytesNeeded) {
    throw new Error(`native frame has ${encoded.length} bytes, ${bytesNeeded} expected for ${g.columns}×${g.rows}×${g.samplesPerPixel} at ${g.bitsAllocated} bits`);
  }
  let samples: Uint8Array | Uint16Array;
  if (g.bitsAllocated === 8) {
    samples = encoded.slice(0, count);
  } else {
    samples = new Uint16Array(count);
    const view = new DataView(encoded.buffer, encoded.byteOffset, bytesNeeded);
    for (let i = 0; i < count; i++) samples[i] = view.getUint16(2 * i, g.littleEndian);
  }
  if (g.samplesPerPixel > 1 && g.planarConfiguration === 1) samples = interleave(samples, g.rows * g.columns, g.samplesPerPixel);
  return { samples, photometric: g.photometric };
}

export const nativeDecoder: FrameDecoder = {
  name: 'native',
  ready: () => Promise.resolve(),
  decode: decodeNative,
};
