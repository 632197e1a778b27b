// JPEG-LS lossless and near-lossless: CharLS (WebAssembly, @cornerstonejs/codec-charls).
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples, interleave, samplesFromBytes } from './types.ts';
import { loadEmscriptenCodec } from './wasm-module.ts';

interface CharlsDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  getInterleaveMode(): number;
  getNearLossless(): number;
  delete(): void;
}
interface CharlsModule {
  JpegLSDecoder: new () => CharlsDecoder;
}

const load = loadEmscriptenCodec<CharlsModule>('@cornerstonejs/codec-charls/decodewasmjs', '@cornerstonejs/codec-charls/decodewasm');
let codec: CharlsModule | undefined;

export const jpegLsDecoder: FrameDecoder = {
  name: 'CharLS',
  async ready() {
    codec ??= await load();
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (!codec) throw new Error('CharLS is not loaded; await ready() first');
    const decoder = new codec.JpegLSDecoder();
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      decoder.decode();
      const info = decoder.getFrameInfo();
      if (info.width !== g.columns || info.height !== g.rows || info.componentCount !== g.samplesPerPixel) {
        throw new Error(`JPEG-LS stream is ${info.width}×${info.height}×${info.componentCount}, data set says ${g.columns}×${g.rows}×${g.samplesPerPixel}`);
      }
      const count = expectedSamples(g);
      let samples = samplesFromBytes(decoder.getDecodedBuffer(), info.bitsPerSample > 8 ? 16 : 8, count);
      if (samples.BYTES_PER_ELEMENT * 8 !== g.bitsAllocated) samples = g.bitsAllocated === 8 ? Uint8Array.from(samples) : Uint16Array.from(samples);
      // Interleave mode 0 (none) lays the components out one after another.
      if (g.samplesPerPixel > 1 && decoder.getInterleaveMode() === 0) samples = interleave(samples, g.rows * g.columns, g.samplesPerPixel);
      return { samples, photometric: g.photometric, nearLossless: decoder.getNearLossless() };
    } finally {
      decoder.delete();
    }
  },
};
