// JPEG 2000 lossless and lossy: OpenJPEG (WebAssembly, @cornerstonejs/codec-openjpeg).
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples, samplesFromBytes } from './types.ts';
import { loadEmscriptenCodec } from './wasm-module.ts';

interface OpenJpegDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => OpenJpegDecoder;
}

const load = loadEmscriptenCodec<OpenJpegModule>('@cornerstonejs/codec-openjpeg/decodewasmjs', '@cornerstonejs/codec-openjpeg/decodewasm');
let codec: OpenJpegModule | undefined;

/** YBR_RCT / YBR_ICT name the codestream's reversible / irreversible colour transform, which decoding inverts. */
function decodedPhotometric(photometric: string): string {
  return photometric === 'YBR_RCT' || photometric === 'YBR_ICT' ? 'RGB' : photometric;
}

/**
 * A lossy codestream written at a higher precision than Bits Stored (gdcm writes 12-bit data at 16) overshoots the
 * stored range near edges. Those values are real, not garbage high bits, so they clamp to the range, as dcmtk's and
 * gdcm's decodes do, rather than wrap when the stored value is later masked to Bits Stored. In place, as bit patterns.
 */
function clampToStoredRange(samples: Uint8Array | Uint16Array, containerBits: 8 | 16, codestreamSigned: boolean, g: FrameGeometry): void {
  const signed = g.pixelRepresentation === 1 && g.samplesPerPixel === 1;
  const min = signed ? -(2 ** (g.bitsStored - 1)) : 0;
  const max = signed ? 2 ** (g.bitsStored - 1) - 1 : 2 ** g.bitsStored - 1;
  const shift = 32 - containerBits;
  const patternMask = 2 ** containerBits - 1;
  for (let i = 0; i < samples.length; i++) {
    const raw = samples[i] as number;
    const value = codestreamSigned ? (raw << shift) >> shift : raw;
    samples[i] = (Math.min(max, Math.max(min, value)) & patternMask) >>> 0;
  }
}

export const jpeg2000Decoder: FrameDecoder = {
  name: 'OpenJPEG',
  async ready() {
    codec ??= await load();
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (!codec) throw new Error('OpenJPEG is not loaded; await ready() first');
    const decoder = new codec.J2KDecoder();
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      decoder.decode();
      const info = decoder.getFrameInfo();
      if (info.width !== g.columns || info.height !== g.rows || info.componentCount !== g.samplesPerPixel) {
        throw new Error(`JPEG 2000 stream is ${info.width}×${info.height}×${info.componentCount}, data set says ${g.columns}×${g.rows}×${g.samplesPerPixel}`);
      }
      const count = expectedSamples(g);
      let samples = samplesFromBytes(decoder.getDecodedBuffer(), info.bitsPerSample > 8 ? 16 : 8, count);
      if (info.bitsPerSample > g.bitsStored) clampToStoredRange(samples, info.bitsPerSample > 8 ? 16 : 8, info.isSigned, g);
      if (samples.BYTES_PER_ELEMENT * 8 !== g.bitsAllocated) samples = g.bitsAllocated === 8 ? Uint8Array.from(samples) : Uint16Array.from(samples);
      // The codec already interleaves components (RGBRGB…, whatever Planar Configuration says) and undoes the
      // codestream's component transform: YBR_RCT and YBR_ICT arrive as RGB, as gdcm writes them; others as stored.
      return { samples, photometric: decodedPhotometric(g.photometric) };
    } finally {
      decoder.delete();
    }
  },
};
